"""The security side: threat assessments, security measures, police reports
(recommendations 13, 19, 21, 22).

Measures and police reports concern the employee directly, so their timeline
lines are shown to the employee: decisions are taken with them, not about them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doxing_cases.models import (
    Behaviour,
    Case,
    CaseEvent,
    Part,
    PoliceReport,
    PoliceReportDecline,
    SecurityMeasure,
    Task,
    ThreatAssessment,
)
from doxing_cases.services.events import locked, record_event
from doxing_cases.services.involvement import involved_user
from doxing_cases.services.tasks import task_create, task_reopen, tasks_cancel_by_key_prefix
from people import access
from people.history import records_actor
from people.models import User

#: The fields of a security measure a person fills in: what ``security_measure_update`` may change.
MEASURE_FIELDS = (
    "kind",
    "for_whom",
    "description",
    "responsible_department",
    "status",
    "start_on",
    "next_review_on",
    "employee_view",
    "relatives_view",
    "phase_out_guidance",
    "end_on",
)
#: The fields of a police report that change after it is registered.
POLICE_UPDATE_FIELDS = ("status", "police_reference", "filed_on", "notes")
#: A task made for a date is due at the end of that working day.
END_OF_WORKING_DAY = dt.time(17, 0)
POLICE_FOLLOW_UP_PREFIX = "police-follow-up:"


def _require(actor: User, case: Case, ability: str) -> None:
    if not set(access.ability(ability)) & access.case_parts(actor, case):
        raise PermissionDenied


def _due_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, END_OF_WORKING_DAY))


def _measure_review_prefix(measure: SecurityMeasure) -> str:
    return f"measure-review:{measure.pk}:"


@transaction.atomic
@records_actor
def threat_assess(
    *, actor: User, case: Case, level: int, basis: str, police_consulted: bool = False
) -> ThreatAssessment:
    """Record a threat assessment; the newest sets the case's threat level."""
    case = locked(case)
    if not set(access.ability("assess_threat")) & access.case_parts(actor, case):
        raise PermissionDenied
    assessment = ThreatAssessment(
        case=case, level=level, basis=basis.strip(), police_consulted=police_consulted, assessed_by=actor
    )
    assessment.full_clean()
    assessment.save()
    old = case.threat_level
    case.threat_level = level
    case.save(update_fields=["threat_level"])
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.THREAT_CHANGED,
        part=Part.SECURITY,
        obj=assessment,
        old_value=str(old),
        new_value=str(level),
        shown_to_employee=True,
        shown_to_manager=True,
    )
    return assessment


# --- Security measures (recommendations 21, 22) ------------------------------------


def _check_measure(measure: SecurityMeasure, *, review_changed: bool) -> None:
    """What a measure must say for its status; the errors sit beside their fields."""
    errors: dict[str, str] = {}
    if review_changed and measure.next_review_on is not None and measure.next_review_on < timezone.localdate():
        errors["next_review_on"] = _("The next review cannot be in the past.")
    if measure.status == SecurityMeasure.Status.PHASING_OUT and not measure.phase_out_guidance:
        errors["phase_out_guidance"] = _(
            "Describe how the employee is guided while the measure is phased out. Stopping a measure can feel unsafe."
        )
    if measure.status == SecurityMeasure.Status.ENDED and measure.end_on is None:
        errors["end_on"] = _("Give the date the measure ended.")
    if measure.start_on and measure.end_on and measure.end_on < measure.start_on:
        errors["end_on"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)


def _clean_measure_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}


def _review_owner(case: Case, actor: User) -> User:
    """The involved security officer reviews; without one, the coordinator."""
    return involved_user(case, "security") or case.coordinator or actor


def _schedule_review(*, actor: User, case: Case, measure: SecurityMeasure) -> None:
    """One open review task per measure, for its ``next_review_on``."""
    prefix = _measure_review_prefix(measure)
    key = f"{prefix}{measure.next_review_on.isoformat()}"
    tasks_cancel_by_key_prefix(actor=actor, case=case, prefix=prefix)
    earlier = case.tasks.filter(key=key).first()
    if earlier is not None:
        # The date went back to one used before: that task is this review again.
        task_reopen(task=earlier, owner=_review_owner(case, actor))
        return
    task_create(
        # The task comes from the measure, not from a person handing out work:
        # a security officer may set the date without being able to assign tasks.
        actor=None,
        case=case,
        title=_("Review the security measure: %(kind)s") % {"kind": measure.get_kind_display()},
        owner=_review_owner(case, actor),
        due_at=_due_at(measure.next_review_on),
        part=Part.SECURITY,
        kind=Task.Kind.MEASURE_REVIEW,
        key=key,
    )


@transaction.atomic
@records_actor
def security_measure_create(
    *,
    actor: User,
    case: Case,
    kind: str,
    responsible_department: str,
    for_whom: str = SecurityMeasure.ForWhom.EMPLOYEE,
    description: str = "",
    status: str = SecurityMeasure.Status.PLANNED,
    start_on: dt.date | None = None,
    next_review_on: dt.date | None = None,
    employee_view: str = "",
    relatives_view: str = "",
    phase_out_guidance: str = "",
    end_on: dt.date | None = None,
) -> SecurityMeasure:
    """Record a measure. A review date makes a review task for the security officer."""
    case = locked(case)
    _require(actor, case, "edit_security")
    fields = _clean_measure_fields(
        {
            "kind": kind,
            "responsible_department": responsible_department,
            "for_whom": for_whom,
            "description": description,
            "status": status,
            "start_on": start_on,
            "next_review_on": next_review_on,
            "employee_view": employee_view,
            "relatives_view": relatives_view,
            "phase_out_guidance": phase_out_guidance,
            "end_on": end_on,
        }
    )
    measure = SecurityMeasure(case=case, created_by=actor, **fields)
    if measure.status == SecurityMeasure.Status.ENDED:
        measure.next_review_on = None
    measure.full_clean()
    _check_measure(measure, review_changed=True)
    measure.save()
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.SECURITY_MEASURE,
        part=Part.SECURITY,
        obj=measure,
        new_value=measure.status,
        shown_to_employee=True,
    )
    if measure.next_review_on is not None:
        _schedule_review(actor=actor, case=case, measure=measure)
    return measure


@transaction.atomic
@records_actor
def security_measure_update(*, actor: User, measure: SecurityMeasure, **changes: Any) -> SecurityMeasure:
    """Change a measure: ``changes`` holds any of ``MEASURE_FIELDS``. A new review
    date moves its review task; ending the measure cancels it."""
    case = locked(measure.case)
    _require(actor, case, "edit_security")
    measure = SecurityMeasure.objects.select_for_update(of=("self",)).get(pk=measure.pk, case=case)
    before = {name: getattr(measure, name) for name in MEASURE_FIELDS}
    for name, value in _clean_measure_fields(changes).items():
        setattr(measure, name, value)
    if measure.status == SecurityMeasure.Status.ENDED:
        measure.next_review_on = None  # an ended measure has nothing left to review
    old_status, old_review = before["status"], before["next_review_on"]
    measure.full_clean()
    _check_measure(measure, review_changed=measure.next_review_on != old_review)
    changed = [name for name in MEASURE_FIELDS if before[name] != getattr(measure, name)]
    if not changed:
        return measure
    measure.save(update_fields=changed)
    ended = measure.status == SecurityMeasure.Status.ENDED and old_status != SecurityMeasure.Status.ENDED
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.SECURITY_MEASURE,
        action=CaseEvent.Action.ENDED if ended else CaseEvent.Action.CHANGED,
        part=Part.SECURITY,
        obj=measure,
        old_value=old_status,
        new_value=measure.status,
        shown_to_employee=True,
    )
    if measure.next_review_on is None:
        tasks_cancel_by_key_prefix(actor=actor, case=case, prefix=_measure_review_prefix(measure))
    elif measure.next_review_on != old_review:
        _schedule_review(actor=actor, case=case, measure=measure)
    return measure


# --- The police (recommendations 13, 19) -------------------------------------------


def _check_police_report(report: PoliceReport) -> None:
    today = timezone.localdate()
    if report.filed_on is not None and report.filed_on > today:
        raise ValidationError({"filed_on": _("This date is in the future.")})
    if report.status != PoliceReport.Status.PLANNED and report.filed_on is None:
        raise ValidationError({"filed_on": _("Give the date the report was filed.")})


@transaction.atomic
@records_actor
def police_report_create(
    *,
    actor: User,
    case: Case,
    kind: str,
    filed_by: str = PoliceReport.FiledBy.EMPLOYER,
    vpt: bool = True,
    employer_address: bool = True,
    offences: list[str] | None = None,
    police_reference: str = "",
    filed_on: dt.date | None = None,
    status: str = PoliceReport.Status.PLANNED,
    notes: str = "",
) -> PoliceReport:
    """Register a melding or aangifte. It ends the wait for a talk about reporting:
    open police follow-up tasks of the case are cancelled."""
    case = locked(case)
    _require(actor, case, "edit_police")
    report = PoliceReport(
        case=case,
        kind=kind,
        filed_by=filed_by,
        vpt=vpt,
        employer_address=employer_address,
        offences=list(offences or []),
        police_reference=police_reference.strip(),
        filed_on=filed_on,
        status=status,
        notes=notes.strip(),
        created_by=actor,
    )
    report.full_clean()
    _check_police_report(report)
    if set(report.offences) - set(Behaviour.values):
        raise ValidationError({"offences": _("Choose offences from the list.")})
    report.save()
    tasks_cancel_by_key_prefix(actor=actor, case=case, prefix=POLICE_FOLLOW_UP_PREFIX)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.POLICE_REPORT,
        part=Part.SECURITY,
        obj=report,
        new_value=report.status,
        shown_to_employee=True,
    )
    return report


@transaction.atomic
@records_actor
def police_report_update(*, actor: User, report: PoliceReport, **changes: Any) -> PoliceReport:
    """Follow the report: ``changes`` holds any of ``POLICE_UPDATE_FIELDS``."""
    case = locked(report.case)
    _require(actor, case, "edit_police")
    report = PoliceReport.objects.select_for_update(of=("self",)).get(pk=report.pk, case=case)
    unknown = set(changes) - set(POLICE_UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown police report fields: {sorted(unknown)}")
    old_status = report.status
    changed = []
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(report, name) != value:
            setattr(report, name, value)
            changed.append(name)
    if not changed:
        return report
    report.full_clean()
    _check_police_report(report)
    report.save(update_fields=changed)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.POLICE_REPORT,
        action=CaseEvent.Action.CHANGED,
        part=Part.SECURITY,
        obj=report,
        old_value=old_status,
        new_value=report.status,
        shown_to_employee=True,
    )
    return report


@transaction.atomic
@records_actor
def police_decline_record(*, actor: User, case: Case, reason: str, follow_up_on: dt.date) -> PoliceReportDecline:
    """The employee does not want to report, for now: record why, and plan the
    next talk so they keep an active role. The coordinator gets a task for that day."""
    case = locked(case)
    _require(actor, case, "edit_police")
    if follow_up_on <= timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose a date after today.")})
    decline = PoliceReportDecline(case=case, reason=reason.strip(), follow_up_on=follow_up_on, recorded_by=actor)
    decline.full_clean()
    decline.save()
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.POLICE_DECLINED,
        part=Part.SECURITY,
        obj=decline,
        shown_to_employee=True,
    )
    task_create(
        actor=actor,
        case=case,
        title=_("Talk with the employee again about a police report"),
        owner=case.coordinator or actor,
        due_at=_due_at(follow_up_on),
        part=Part.COORDINATION,
        kind=Task.Kind.POLICE_FOLLOW_UP,
        key=f"{POLICE_FOLLOW_UP_PREFIX}{decline.pk}",
    )
    return decline
