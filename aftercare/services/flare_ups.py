"""Moments the threat may flare up (recommendations 23, 25): alerts ahead of
each, a monitoring task for the specialist, and afterwards a prompt to record
how it went."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.models import FlareUpMoment
from aftercare.services.common import end_of_day, morning, require
from doxing_cases.models import Case, CaseEvent, Part, Task
from doxing_cases.services import tasks as task_services
from doxing_cases.services.events import locked, record_event
from doxing_cases.services.involvement import involved_user
from notifications import services as reminders
from notifications import timing
from notifications.models import Kind
from people.history import records_actor
from people.models import User

FIELDS = (
    "kind",
    "on",
    "at_time",
    "description",
    "alert_manager",
    "alert_specialist",
    "alert_employee",
    "offsets",
)


def anniversary_of(case: Case) -> dt.date:
    """One year after the incident; 29 February falls on the 28th."""
    return timing.add_months(timezone.localdate(case.incident_at), 12)


def proposed_anniversary(case: Case) -> dt.date | None:
    """The anniversary Handvat proposes, until one is planned or turned down."""
    if case.flare_up_moments.filter(kind=FlareUpMoment.Kind.ANNIVERSARY).exists():
        return None
    day = anniversary_of(case)
    return day if day >= timezone.localdate() else None


def _recipients(moment: FlareUpMoment) -> list[User]:
    """Who is alerted: the coordinator, and as chosen the manager (when the
    employee agreed), the involved specialists, the employee."""
    case = moment.case
    people: list[User] = [case.coordinator] if case.coordinator else []
    if moment.alert_manager and case.manager_may_know and case.subject.team_id:
        people += list(case.subject.team.managers.filter(is_active=True).exclude(pk=case.subject_id))
    if moment.alert_specialist:
        people += [
            involvement.user
            for involvement in case.involvements.filter(kind="specialist", ended_at__isnull=True).select_related("user")
        ]
    if moment.alert_employee:
        people.append(case.subject)
    unique: dict[int, User] = {person.pk: person for person in people}
    return list(unique.values())


def _key(moment: FlareUpMoment) -> str:
    return f"flare-up:{moment.pk}:"


def _plan_reminders(moment: FlareUpMoment) -> None:
    """Alerts at each offset (skipping those already past), the specialist's
    monitoring task around the date, and the prompt to record how it went."""
    case = moment.case
    now = timezone.now()
    reminders.reminders_cancel(key_prefix=_key(moment))
    if moment.status != FlareUpMoment.Status.PLANNED or case.status == Case.Status.CLOSED:
        task_services.task_cancel_by_key(actor=None, key=f"flare-up-monitoring:{moment.pk}")
        return
    link = reverse("aftercare:flare_ups", args=[case.pk])
    for offset in sorted(set(moment.offsets), reverse=True):
        due = morning(moment.on - dt.timedelta(days=offset))
        if due < now and offset > 0:
            continue
        for person in _recipients(moment):
            reminders.reminder_ensure(
                kind=Kind.FLARE_UP,
                recipient=person,
                due_at=max(due, now),
                key=f"{_key(moment)}alert:{moment.on.isoformat()}:{offset}:{person.pk}",
                case_id=case.pk,
                label=case.reference,
                link=link if person.pk != case.subject_id else reverse("cases:my_case", args=[case.pk]),
                escalate_to=case.coordinator,
            )
    if case.coordinator is not None:
        reminders.reminder_ensure(
            kind=Kind.FLARE_UP_OUTCOME,
            recipient=case.coordinator,
            due_at=morning(moment.on + dt.timedelta(days=1)),
            key=f"{_key(moment)}outcome:{moment.on.isoformat()}",
            case_id=case.pk,
            label=case.reference,
            link=reverse("aftercare:flare_up_outcome", args=[case.pk, moment.pk]),
        )
    _plan_monitoring(moment)


def _plan_monitoring(moment: FlareUpMoment) -> None:
    """A task for the specialist (else the coordinator) to watch and collect
    online messages around the date, and to remove what resurfaced (rec. 25)."""
    case = moment.case
    key = f"flare-up-monitoring:{moment.pk}"
    owner = involved_user(case, "specialist") or case.coordinator
    existing = Task.objects.filter(key=key).first()
    due = end_of_day(moment.on + dt.timedelta(days=1))
    if existing is not None:
        if existing.status == Task.Status.CANCELLED:
            task_services.task_reopen(task=existing, owner=owner)
        return
    if owner is None:
        return
    task_services.task_create(
        actor=None,
        case=case,
        title=_("Watch online around the moment of attention on %(date)s, and have what resurfaces removed")
        % {"date": moment.on.strftime("%d-%m-%Y")},
        owner=owner,
        due_at=due,
        part=Part.ONLINE,
        kind=Task.Kind.FLARE_UP_MONITORING,
        key=key,
    )


def _check(moment: FlareUpMoment) -> None:
    offsets = moment.offsets
    if not isinstance(offsets, list) or not all(isinstance(day, int) and 0 <= day <= 365 for day in offsets):
        raise ValidationError({"offsets": _("Give the alert days as whole numbers from 0 to 365.")})


@transaction.atomic
@records_actor
def flare_up_plan(*, actor: User, case: Case, **fields: Any) -> FlareUpMoment:
    """Enter a moment; the people alerted hear of it ahead of time."""
    case = locked(case)
    require(actor, case, "edit_flare_ups")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown flare-up fields: {sorted(unknown)}")
    moment = FlareUpMoment(case=case, created_by=actor, **fields)
    if moment.on is not None and moment.on < timezone.localdate():
        raise ValidationError({"on": _("This date has passed. Enter moments that are still to come.")})
    moment.full_clean()
    _check(moment)
    moment.save()
    _plan_reminders(moment)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.FLARE_UP,
        part=Part.CASE,
        obj=moment,
        shown_to_employee=True,
        shown_to_manager=moment.alert_manager,
    )
    return moment


@transaction.atomic
@records_actor
def flare_up_update(*, actor: User, moment: FlareUpMoment, **changes: Any) -> FlareUpMoment:
    case = locked(moment.case)
    require(actor, case, "edit_flare_ups")
    moment = FlareUpMoment.objects.select_for_update(of=("self",)).get(pk=moment.pk, case=case)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown flare-up fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(moment, name) != value]
    for name in changed:
        setattr(moment, name, changes[name])
    if not changed:
        return moment
    if "on" in changed and moment.on < timezone.localdate():
        raise ValidationError({"on": _("This date has passed. Enter moments that are still to come.")})
    moment.full_clean()
    _check(moment)
    moment.save(update_fields=changed)
    _plan_reminders(moment)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.FLARE_UP,
        action=CaseEvent.Action.CHANGED,
        part=Part.CASE,
        obj=moment,
        shown_to_employee=True,
        shown_to_manager=moment.alert_manager,
    )
    return moment


@transaction.atomic
@records_actor
def flare_up_cancel(*, actor: User, moment: FlareUpMoment) -> FlareUpMoment:
    """The moment will not happen (or the proposal is not needed): its alerts and task go."""
    case = locked(moment.case)
    require(actor, case, "edit_flare_ups")
    if moment.status == FlareUpMoment.Status.CANCELLED:
        return moment
    moment.status = FlareUpMoment.Status.CANCELLED
    moment.save(update_fields=["status"])
    _plan_reminders(moment)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.FLARE_UP,
        action=CaseEvent.Action.ENDED,
        part=Part.CASE,
        obj=moment,
        shown_to_employee=True,
    )
    return moment


@transaction.atomic
@records_actor
def flare_up_decline_anniversary(*, actor: User, case: Case) -> FlareUpMoment:
    """The proposed anniversary is not needed: remembered as cancelled, so it is not proposed again."""
    case = locked(case)
    require(actor, case, "edit_flare_ups")
    moment = FlareUpMoment(
        case=case,
        kind=FlareUpMoment.Kind.ANNIVERSARY,
        on=anniversary_of(case),
        status=FlareUpMoment.Status.CANCELLED,
        created_by=actor,
    )
    moment.full_clean()
    moment.save()
    return moment


@transaction.atomic
@records_actor
def flare_up_record_outcome(*, actor: User, moment: FlareUpMoment, outcome: str) -> FlareUpMoment:
    """How the moment went, once it has passed."""
    case = locked(moment.case)
    require(actor, case, "edit_flare_ups")
    if moment.on > timezone.localdate():
        raise ValidationError(_("This moment is still to come."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write briefly how it went.")})
    moment.outcome = outcome.strip()
    moment.outcome_recorded_at = timezone.now()
    moment.save(update_fields=["outcome", "outcome_recorded_at"])
    reminders.reminders_cancel(key_prefix=f"{_key(moment)}outcome:")
    record_event(
        case, actor=actor, kind=CaseEvent.Kind.FLARE_UP, action=CaseEvent.Action.DONE, part=Part.CASE, obj=moment
    )
    return moment


def flare_ups_follow_case(*, case: Case) -> None:
    """Re-plan every planned moment after a change of coordinator, specialist,
    manager's access or status (called by the aftercare pages that change them)."""
    for moment in case.flare_up_moments.filter(status=FlareUpMoment.Status.PLANNED, on__gte=timezone.localdate()):
        _plan_reminders(moment)
