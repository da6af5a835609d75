"""Moving a case to aftercare through a checklist, closing it, and asking the
employee afterwards how the support worked."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.models import AftercareChecklist, FlareUpMoment, FollowUp
from aftercare.services.common import require
from doxing_cases import services as case_services
from doxing_cases.models import Case, CaseEvent, Part, SecurityMeasure, TakedownRequest
from doxing_cases.services.events import locked, record_event
from doxing_cases.services.support import deliver_soon
from notifications import services as reminders
from notifications.models import Kind
from people.history import records_actor
from people.models import User


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: Promise
    done: bool


ITEMS: dict[str, Promise] = {
    "threat": gettext_lazy("The threat was assessed again since the case became active"),
    "measures": gettext_lazy("Security measures are reviewed, or phased out with guidance"),
    "takedowns": gettext_lazy("Takedown requests are answered, or the outcome is accepted"),
    "flare_ups": gettext_lazy("Moments the threat may flare up again are entered"),
    "follow_ups": gettext_lazy("Follow-up conversations are planned"),
}


def checklist(case: Case) -> list[ChecklistItem]:
    """What should be settled before the case moves to aftercare: a fixed number of queries."""
    activated = (
        case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED, new_value=Case.Status.ACTIVE)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    threat = case.threat_assessments.filter(**({"assessed_at__gte": activated} if activated else {})).exists()
    today = timezone.localdate()
    open_measures = case.security_measures.filter(
        status__in=[SecurityMeasure.Status.PLANNED, SecurityMeasure.Status.ACTIVE]
    )
    measures = not open_measures.exclude(next_review_on__gte=today).exists()
    takedowns = not case.takedowns.filter(
        status__in=[TakedownRequest.Status.DRAFT, TakedownRequest.Status.PENDING]
    ).exists()
    flare_ups = case.flare_up_moments.filter(status=FlareUpMoment.Status.PLANNED, on__gte=today).exists()
    follow_ups = case.follow_ups.filter(status=FollowUp.Status.PLANNED).exists()
    done = {
        "threat": threat,
        "measures": measures,
        "takedowns": takedowns,
        "flare_ups": flare_ups,
        "follow_ups": follow_ups,
    }
    return [ChecklistItem(key, label, done[key]) for key, label in ITEMS.items()]


@transaction.atomic
@records_actor
def case_move_to_aftercare(*, actor: User, case: Case, accepted: dict[str, str] | None = None) -> AftercareChecklist:
    """Active → aftercare. Every unfinished item needs a reason to accept it as it is."""
    case = locked(case)
    require(actor, case, "move_to_aftercare")
    if case.status != Case.Status.ACTIVE:
        raise ValidationError(_("Only an active case moves to aftercare."))
    accepted = {key: reason.strip() for key, reason in (accepted or {}).items() if reason and reason.strip()}
    items = checklist(case)
    missing = {
        item.key: _("Finish this first, or say why it can stay as it is.")
        for item in items
        if not item.done and item.key not in accepted
    }
    if missing:
        raise ValidationError(missing)
    record = AftercareChecklist(
        case=case,
        items=[{"item": item.key, "done": item.done, "accepted": accepted.get(item.key, "")} for item in items],
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    record_event(case, actor=actor, kind=CaseEvent.Kind.AFTERCARE_CHECKLIST, part=Part.COORDINATION, obj=record)
    case_services.case_set_status(actor=actor, case=case, status=Case.Status.AFTERCARE, checklist_recorded=True)
    return record


@transaction.atomic
@records_actor
def case_close(*, actor: User, case: Case, reason: str = "") -> Case:
    """Close the case: after an evaluation, or with a reason to do without one.
    The employee is asked afterwards how the support worked."""
    case = locked(case)
    require(actor, case, "close_case")
    if not case.evaluations.exists() and not reason.strip():
        raise ValidationError({"reason": _("There is no evaluation yet: say why the case closes without one.")})
    case = case_services.case_set_status(
        actor=actor, case=case, status=Case.Status.CLOSED, note=reason.strip() or _("Closed after the evaluation.")
    )
    if not hasattr(case, "feedback") and case.subject.is_active:
        reminders.notify_now(
            kind=Kind.FEEDBACK_REQUEST,
            recipient=case.subject,
            key=f"feedback:{case.pk}:{timezone.now().isoformat()}",
            case_id=case.pk,
            label=case.reference,
            link=reverse("aftercare:feedback", args=[case.pk]),
        )
        transaction.on_commit(deliver_soon, robust=True)
    return case
