"""Long-term follow-up (recommendation 24): conversations after 1, 3, 6 and 12
months about how the incident affects the work, and the employee's own way
back in: "it is getting to me again"."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftercare.models import FollowUp
from aftercare.services.common import morning, require
from doxing_cases.models import Case, CaseEvent, Part
from doxing_cases.services.events import locked, record_event
from doxing_cases.services.support import check_in_people, deliver_soon
from notifications import services as reminders
from notifications import timing
from notifications.models import Kind
from people.history import records_actor
from people.models import User

#: How soon a follow-up is planned after the employee says it is getting to them again.
GETTING_TO_ME_DAYS = 3


def follow_up_owner(case: Case) -> User | None:
    """The manager holds the follow-ups, or the coordinator when the employee keeps the manager out."""
    people = check_in_people(case)
    return people[0] if people else case.coordinator


def _key(follow_up: FollowUp) -> str:
    return f"follow-up:{follow_up.pk}"


def _remind(follow_up: FollowUp) -> None:
    reminders.reminders_cancel(keys=[_key(follow_up)])
    if follow_up.status != FollowUp.Status.PLANNED or follow_up.case.status == Case.Status.CLOSED:
        return
    reminders.reminder_ensure(
        kind=Kind.FOLLOW_UP,
        recipient=follow_up.owner,
        due_at=max(morning(follow_up.planned_on), timezone.now()),
        key=_key(follow_up),
        case_id=follow_up.case_id,
        label=follow_up.case.reference,
        link=reverse("aftercare:follow_up_record", args=[follow_up.case_id, follow_up.pk]),
        escalate_to=follow_up.case.coordinator,
    )


def _create(*, actor: User | None, case: Case, planned_on: dt.date, owner: User, reason: str = "") -> FollowUp:
    follow_up = FollowUp(case=case, planned_on=planned_on, owner=owner, reason=reason, created_by=actor)
    follow_up.full_clean()
    follow_up.save()
    _remind(follow_up)
    record_event(
        case, actor=actor, kind=CaseEvent.Kind.FOLLOW_UP, part=Part.SUPPORT, obj=follow_up, shown_to_manager=True
    )
    return follow_up


@transaction.atomic
@records_actor
def follow_ups_plan_usual(*, actor: User, case: Case, start: dt.date | None = None) -> list[FollowUp]:
    """The usual schedule (``HANDVAT_FOLLOW_UP_MONTHS``: 1, 3, 6 and 12 months),
    unless follow-ups are planned already."""
    case = locked(case)
    require(actor, case, "plan_follow_ups")
    if case.follow_ups.filter(status=FollowUp.Status.PLANNED).exists():
        return []
    owner = follow_up_owner(case)
    if owner is None:
        raise ValidationError(_("The case needs a coordinator first."))
    start = start or timezone.localdate()
    return [
        _create(
            actor=actor,
            case=case,
            planned_on=timing.add_months(start, months),
            owner=owner,
            reason=ngettext("After %(months)s month", "After %(months)s months", months) % {"months": months},
        )
        for months in settings.HANDVAT_FOLLOW_UP_MONTHS
    ]


@transaction.atomic
@records_actor
def follow_up_add(*, actor: User, case: Case, planned_on: dt.date, owner: User, reason: str = "") -> FollowUp:
    case = locked(case)
    require(actor, case, "plan_follow_ups")
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("This date has passed.")})
    allowed = {person.pk for person in check_in_people(case)} | {case.coordinator_id}
    if owner.pk not in allowed:
        raise ValidationError({"owner": _("Follow-ups are held by the manager or the coordinator.")})
    return _create(actor=actor, case=case, planned_on=planned_on, owner=owner, reason=reason.strip())


@transaction.atomic
@records_actor
def follow_up_record(
    *, actor: User, follow_up: FollowUp, held_on: dt.date, work_impact: str = "", needs: str = ""
) -> FollowUp:
    """The conversation took place: how it affects the work, and what is needed."""
    case = locked(follow_up.case)
    require(actor, case, "record_follow_up")
    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk, case=case)
    if follow_up.status != FollowUp.Status.PLANNED:
        raise ValidationError(_("This follow-up is already recorded or cancelled."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("This date is in the future.")})
    follow_up.status = FollowUp.Status.DONE
    follow_up.held_on = held_on
    follow_up.work_impact = work_impact.strip()
    follow_up.needs = needs.strip()
    follow_up.save(update_fields=["status", "held_on", "work_impact", "needs"])
    _remind(follow_up)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.FOLLOW_UP,
        action=CaseEvent.Action.DONE,
        part=Part.SUPPORT,
        obj=follow_up,
        shown_to_employee=True,
        shown_to_manager=True,
    )
    return follow_up


@transaction.atomic
@records_actor
def follow_up_cancel(*, actor: User, follow_up: FollowUp) -> FollowUp:
    case = locked(follow_up.case)
    require(actor, case, "plan_follow_ups")
    if follow_up.status != FollowUp.Status.PLANNED:
        return follow_up
    follow_up.status = FollowUp.Status.CANCELLED
    follow_up.save(update_fields=["status"])
    _remind(follow_up)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.FOLLOW_UP,
        action=CaseEvent.Action.ENDED,
        part=Part.SUPPORT,
        obj=follow_up,
    )
    return follow_up


@transaction.atomic
@records_actor
def getting_to_me_again(*, actor: User, case: Case) -> FollowUp | None:
    """The employee presses "it is getting to me again": the coordinator hears at
    once, and a follow-up is planned within a few days (also after closing)."""
    case = locked(case)
    require(actor, case, "signal_getting_to_me")
    now = timezone.now()
    record_event(case, actor=actor, kind=CaseEvent.Kind.GETTING_TO_ME, part=Part.SUPPORT, shown_to_employee=True)
    if case.coordinator is None:
        return None
    reminders.notify_now(
        kind=Kind.GETTING_TO_ME,
        recipient=case.coordinator,
        key=f"getting-to-me:{case.pk}:{now.isoformat()}",
        case_id=case.pk,
        label=case.reference,
        link=reverse("cases:detail", args=[case.pk]),
    )
    transaction.on_commit(deliver_soon, robust=True)
    follow_up = FollowUp(
        case=case,
        planned_on=timezone.localdate() + dt.timedelta(days=GETTING_TO_ME_DAYS),
        owner=case.coordinator,
        reason=_("The employee said it is getting to them again"),
        created_by=actor,
    )
    follow_up.full_clean()
    follow_up.save()
    _remind(follow_up)
    return follow_up


def follow_ups_follow_case(*, case: Case) -> None:
    """After a change of people or status: planned follow-ups move to the right
    person (the manager, or the coordinator) and their reminders are re-planned."""
    owner = follow_up_owner(case)
    for follow_up in case.follow_ups.filter(status=FollowUp.Status.PLANNED).select_related("owner"):
        if owner is not None and follow_up.owner_id not in (owner.pk, case.coordinator_id):
            follow_up.owner = owner
            follow_up.save(update_fields=["owner"])
        _remind(follow_up)
