"""Evaluation (recommendations 26–28): what went well and what can be better,
with the employee or with the team; lessons for the organisation's library,
which carry no identity; and the employee's feedback on how the support worked."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from aftercare.identity import find_identifiers, identifying_terms
from aftercare.models import Evaluation, Feedback, Lesson
from aftercare.services.common import require
from doxing_cases.models import Case, CaseEvent, Part
from doxing_cases.services.events import locked, record_event
from people.history import records_actor
from people.models import User

#: A match longer than this is shortened in the message (a long link).
SHOWN_MATCH_LENGTH = 60


@transaction.atomic
@records_actor
def evaluation_record(
    *,
    actor: User,
    case: Case,
    held_with: str,
    held_on: dt.date,
    went_well: str,
    can_be_better: str,
    for_organisation: str = "",
    for_guideline_steps: str = "",
) -> Evaluation:
    """An evaluation held with the employee or with the team (26). The employee
    sees it on their own page; nobody but the coordinator sees it otherwise."""
    case = locked(case)
    require(actor, case, "evaluate")
    if case.merged_into_id is not None:
        raise ValidationError(_("This case was merged into another one: evaluate there."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record the evaluation once it has taken place.")})
    evaluation = Evaluation(
        case=case,
        held_with=held_with,
        held_on=held_on,
        went_well=went_well.strip(),
        can_be_better=can_be_better.strip(),
        for_organisation=for_organisation.strip(),
        for_guideline_steps=for_guideline_steps.strip(),
        recorded_by=actor,
    )
    evaluation.full_clean()
    evaluation.save()
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.EVALUATION,
        part=Part.COORDINATION,
        obj=evaluation,
        shown_to_employee=True,
    )
    return evaluation


def identity_error(matches: list[str]) -> str:
    shown = ", ".join(f"“{Truncator(match).chars(SHOWN_MATCH_LENGTH)}”" for match in matches)
    return _("This still contains: %(matches)s. Leave out or rewrite what could point to the employee or the case.") % {
        "matches": shown
    }


@transaction.atomic
@records_actor
def lesson_write(*, actor: User, case: Case, theme: str, title: str, text: str) -> Lesson:
    """A lesson for the library (27), written from an evaluated case. It is
    refused while the title or the text still holds the case's identifying
    data (28); once saved it keeps no link to the case."""
    require(actor, case, "write_lessons")
    if not case.evaluations.exists():
        raise ValidationError(_("Record an evaluation of this case first: a lesson grows from it."))
    title, text = title.strip(), text.strip()
    terms = identifying_terms(case)
    errors = {
        field: identity_error(matches)
        for field, value in (("title", title), ("text", text))
        if (matches := find_identifiers(value, terms))
    }
    if errors:
        raise ValidationError(errors)
    lesson = Lesson(theme=theme, title=title, text=text, written_by=actor)
    lesson.full_clean()
    lesson.save()
    return lesson


def feedback_open(case: Case) -> bool:
    """The employee is asked once the case is closed (not when it was merged into another)."""
    return case.status == Case.Status.CLOSED and case.merged_into_id is None


@transaction.atomic
@records_actor
def feedback_give(
    *,
    actor: User,
    case: Case,
    knew_contact: int,
    involved_in_decisions: int,
    support_in_time: int,
    overall: int,
    measures_fitted: int | None = None,
    comment: str = "",
) -> Feedback:
    """The employee's view of the support, once per case. It is never shown per
    person to anyone else, and it leaves no line on the timeline."""
    case = locked(case)
    require(actor, case, "give_feedback")
    if not feedback_open(case):
        raise ValidationError(_("You can give feedback once your case is closed."))
    if Feedback.objects.filter(case=case).exists():
        raise ValidationError(_("You gave your feedback already. Thank you."))
    feedback = Feedback(
        case=case,
        knew_contact=knew_contact,
        involved_in_decisions=involved_in_decisions,
        support_in_time=support_in_time,
        measures_fitted=measures_fitted,
        overall=overall,
        comment=comment.strip(),
    )
    feedback.full_clean()
    feedback.save()
    return feedback
