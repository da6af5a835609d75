"""Every change to a case. Each service writes its rows, its timeline line
and its grants in one transaction, with the actor in every history row."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from doxing_cases import uploads
from doxing_cases.models import Case, CaseEvent, CaseGrant, Part, Report, ReportAttachment, Task
from doxing_cases.services import support, tasks
from doxing_cases.services.events import clean, locked, record_event
from notifications import services as reminders
from notifications.models import Kind
from people import access
from people.history import records_actor
from people.models import User
from people.roles import Role

logger = logging.getLogger(__name__)

Status = Case.Status

#: Where a case may go next. A case leaves "new" only by being taken or
#: assigned, so it never runs without a coordinator; aftercare and closing go
#: through the aftercare app's pages (checklist, evaluation, feedback).
#: The moves the plain status page offers; the others have their own page.
MANUAL_STATUSES = frozenset({Status.TRIAGE, Status.ACTIVE})

STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(),
    Status.TRIAGE: frozenset({Status.ACTIVE, Status.CLOSED}),
    Status.ACTIVE: frozenset({Status.AFTERCARE, Status.CLOSED}),
    Status.AFTERCARE: frozenset({Status.ACTIVE, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.ACTIVE}),
}


def case_sync_grants(*, case: Case, new: bool = False) -> None:
    """Make the stored grants for the case's own facts equal ``access.desired_grants``.

    Grants of people the coordinator involves are left alone. ``new``: the
    case was made in this transaction and has no grants yet.
    """
    wanted = access.desired_grants(case)
    current = (
        {}
        if new
        else {
            (grant.user_id, grant.permission.codename): grant.user
            for grant in case.grants.filter(permission__codename__in=access.DERIVED_PARTS).select_related(
                "permission", "user"
            )
        }
    )
    for (user_id, part), user in current.items():
        if (user_id, part) not in wanted:
            remove_perm(f"doxing_cases.{part}", user, case)
    missing = wanted - set(current)
    if not missing:
        return
    # One query for the permissions, then one insert (and its history row) per
    # grant: guardian's assign_perm would look up the user, the permission and
    # an existing grant again for each, inside a savepoint.
    permissions = {
        permission.codename: permission
        for permission in Permission.objects.select_related("content_type").filter(
            content_type__app_label=Case._meta.app_label,
            content_type__model=Case._meta.model_name,
            codename__in={part for _user_id, part in missing},
        )
    }
    for user_id, part in sorted(missing):
        CaseGrant(user_id=user_id, permission=permissions[part], content_object=case).save()


@transaction.atomic
@records_actor
def report_file(
    *,
    actor: User,
    subject: User,
    details: dict[str, Any],
    files: Sequence[uploads.CheckedFile] = (),
    kept: Sequence[uploads.KeptFile] = (),
    received_via: str = Report.ReceivedVia.FORM,
) -> Report:
    """File a report; it opens a new case in the triage queue.

    ``details`` holds the report's own fields (see ``Report``). A manager who
    files for a team member knows of it already, so the manager question is
    then the employee's to answer later, on their own page. A coordinator who
    registers a report received by phone or in person (``received_via``)
    records the employee's own answer to it.
    """
    if received_via == Report.ReceivedVia.FORM:
        if not access.may_report_for(actor, subject):
            raise PermissionDenied
    elif not access.may_register_for(actor, subject):
        raise PermissionDenied
    now = timezone.now()
    details = dict(details)
    if actor.pk != subject.pk and received_via == Report.ReceivedVia.FORM:
        details["manager_may_know"] = True
    started_at: datetime | None = details.get("started_at")
    case = Case(
        subject=subject,
        incident_at=min(started_at, now) if started_at else now,
        opened_at=now,
        urgent=details["in_danger"] != Report.InDanger.NO,
        manager_may_know=details.get("manager_may_know", True),
    )
    clean(case)
    case.save()
    report = Report(case=case, subject=subject, reporter=actor, filed_at=now, received_via=received_via, **details)
    clean(report)
    report.save()
    _attach_files(report=report, actor=actor, files=files, kept=kept)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.REPORT_FILED,
        target_user=subject if actor.pk != subject.pk else None,
        shown_to_employee=True,
        shown_to_manager=True,
    )
    case_sync_grants(case=case, new=True)
    _alert_coordinators(case)
    logger.info("report filed report=%s case=%s urgent=%s", report.pk, case.pk, case.urgent)
    return report


def _alert_coordinators(case: Case) -> None:
    """Every coordinator hears at once that a report waits in the queue; the
    reminders are cancelled when someone takes it."""
    coordinators = access.role_members(Role.COORDINATOR).exclude(pk=case.subject_id)
    reminders.notify_many_now(
        kind=Kind.NEW_URGENT_CASE if case.urgent else Kind.NEW_CASE,
        recipients=coordinators.only("pk"),
        key_prefix=f"new-case:{case.pk}",
        case_id=case.pk,
        label=case.reference,
        link=reverse("cases:detail", args=[case.pk]),
    )
    # robust: a broker that is down must not turn a saved report into an error
    # page; the minute dispatcher delivers the alerts anyway.
    transaction.on_commit(support.deliver_soon, robust=True)


def _attach_files(
    *,
    report: Report,
    actor: User,
    files: Sequence[uploads.CheckedFile],
    kept: Sequence[uploads.KeptFile],
) -> None:
    folder = f"reports/{report.case_id}"
    written: list[str] = []
    try:
        items: list[tuple[str, uploads.CheckedFile | uploads.KeptFile]] = []
        for checked in files:
            written.append(uploads.store(checked, folder=folder, case_id=report.case_id))
            items.append((written[-1], checked))
        for item in kept:
            written.append(uploads.claim_kept(item, folder=folder, case_id=report.case_id))
            items.append((written[-1], item))
        for name, item in items:
            attachment = ReportAttachment(
                report=report,
                file=name,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                original_sha256=item.original_sha256,
                uploaded_by=actor,
            )
            attachment.full_clean()
            attachment.save()
    except Exception:
        # The transaction rolls back; the files written for it must not linger.
        for name in written:
            uploads.private_storage.delete(name)
        raise


@transaction.atomic
@records_actor
def case_take(*, actor: User, case: Case) -> Case:
    """A coordinator takes a case from the triage queue."""
    case = locked(case)
    if not access.may_coordinate(actor):
        raise PermissionDenied
    if case.coordinator_id is not None:
        raise ValidationError(_("%(name)s already took this case.") % {"name": case.coordinator.display_name})
    return _set_coordinator(actor=actor, case=case, coordinator=actor, note="")


@transaction.atomic
@records_actor
def case_assign(*, actor: User, case: Case, coordinator: User, note: str = "") -> Case:
    """Give the case to another coordinator: from the queue, or a handover."""
    case = locked(case)
    if access.CHANGE not in access.case_parts(actor, case):
        raise PermissionDenied
    if not access.may_coordinate(coordinator):
        raise ValidationError(_("%(name)s is not a coordinator.") % {"name": coordinator.display_name})
    if case.coordinator_id == coordinator.pk:
        return case
    return _set_coordinator(actor=actor, case=case, coordinator=coordinator, note=note)


def _set_coordinator(*, actor: User, case: Case, coordinator: User, note: str) -> Case:
    previous_id = case.coordinator_id
    case.coordinator = coordinator
    fields = ["coordinator"]
    if case.status == Status.NEW:
        case.status = Status.TRIAGE
        fields.append("status")
    case.save(update_fields=fields)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.COORDINATOR_SET,
        target_user=coordinator,
        old_value=str(previous_id or ""),
        new_value=str(coordinator.pk),
        note=note,
        shown_to_employee=True,
        shown_to_manager=True,
    )
    case_sync_grants(case=case)
    reminders.reminders_cancel(case_id=case.pk, kinds=[Kind.NEW_CASE, Kind.NEW_URGENT_CASE])
    support.support_follow_case(case=case)
    logger.info("case coordinator set case=%s coordinator=%s", case.pk, coordinator.pk)
    return case


@transaction.atomic
@records_actor
def case_set_status(*, actor: User, case: Case, status: str, note: str = "", checklist_recorded: bool = False) -> Case:
    """Move the case on. Aftercare is reached only through its checklist (the
    aftercare app records it and passes ``checklist_recorded``). Closing needs
    an evaluation, or a reason to do without one; it stops every reminder and
    open task, and starts the retention clock (``closed_at``)."""
    case = locked(case)
    if status not in STATUS_TRANSITIONS[case.status]:
        raise ValidationError(
            _("A case cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(case.status).label, "new": Status(status).label}
        )
    if status == Status.AFTERCARE and case.status == Status.ACTIVE and not checklist_recorded:
        raise ValidationError(_("A case moves to aftercare through the aftercare checklist."))
    # ``evaluations`` is the aftercare app's reverse relation: asked, not imported.
    if status == Status.CLOSED and not note.strip() and not case.evaluations.exists():
        raise ValidationError({"note": _("Without an evaluation, say briefly why the case is closed.")})
    old = case.status
    case.status = status
    case.closed_at = timezone.now() if status == Status.CLOSED else None
    case.save(update_fields=["status", "closed_at"])
    if status == Status.CLOSED:
        for task in case.tasks.filter(status=Task.Status.OPEN):
            tasks.task_cancel(task=task)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.STATUS_CHANGED,
        old_value=old,
        new_value=status,
        note=note.strip(),
        shown_to_employee=True,
        shown_to_manager=True,
    )
    support.support_follow_case(case=case, became_active=status == Status.ACTIVE)
    return case


@transaction.atomic
@records_actor
def case_log_first_contact(*, actor: User, case: Case, at: datetime, note: str = "") -> Case:
    """Record that the coordinator reached the employee; not what was said."""
    case = locked(case)
    if case.first_contact_at is not None:
        raise ValidationError(_("The first contact was already recorded."))
    if at > timezone.now():
        raise ValidationError({"at": _("The first contact cannot be in the future.")})
    case.first_contact_at = at
    case.save(update_fields=["first_contact_at"])
    record_event(case, actor=actor, kind=CaseEvent.Kind.FIRST_CONTACT, at=at, note=note.strip(), shown_to_employee=True)
    return case


@transaction.atomic
@records_actor
def case_add_note(*, actor: User, case: Case, text: str) -> CaseEvent:
    """An internal note: only the coordinator sees it."""
    if not text.strip():
        raise ValidationError({"text": _("Write the note first.")})
    return record_event(case, actor=actor, kind=CaseEvent.Kind.NOTE, part=Part.COORDINATION, note=text.strip())


@transaction.atomic
@records_actor
def case_set_manager_consent(*, actor: User, case: Case, may_know: bool) -> Case:
    """The employee decides whether their manager sees the support side."""
    case = locked(case)
    if actor.pk != case.subject_id:
        raise PermissionDenied
    if case.manager_may_know == may_know:
        return case
    case.manager_may_know = may_know
    case.save(update_fields=["manager_may_know"])
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.MANAGER_CONSENT,
        part=Part.SUPPORT,
        new_value="yes" if may_know else "no",
        shown_to_employee=True,
    )
    case_sync_grants(case=case)
    support.support_follow_case(case=case)
    return case


@transaction.atomic
@records_actor
def report_move(*, actor: User, report: Report, target: Case) -> Report:
    """Put a report with another open case of the same employee.

    A case left without reports is closed as merged, so the queue holds each
    situation once; its history stays.
    """
    source = locked(report.case)
    target = locked(target)
    for case in (source, target):
        if access.CHANGE not in access.case_parts(actor, case):
            raise PermissionDenied
    if source.pk == target.pk:
        raise ValidationError(_("The report is already part of this case."))
    if target.subject_id != report.subject_id:
        raise ValidationError(_("A report can only join a case about the same employee."))
    if not target.is_open or target.merged_into_id is not None:
        raise ValidationError(_("That case is closed; reopen it first."))
    report.case = target
    report.save(update_fields=["case"])
    target.incident_at = min(target.incident_at, source.incident_at)
    target.urgent = target.urgent or report.in_danger != Report.InDanger.NO
    target.manager_may_know = target.manager_may_know and report.manager_may_know
    target.save(update_fields=["incident_at", "urgent", "manager_may_know"])
    for case, other, kind in (
        (target, source, CaseEvent.Kind.REPORT_MOVED_IN),
        (source, target, CaseEvent.Kind.REPORT_MOVED_OUT),
    ):
        record_event(case, actor=actor, kind=kind, part=Part.COORDINATION, other_case=other, shown_to_employee=True)
    if not source.reports.exists():
        old = source.status
        source.status = Status.CLOSED
        source.closed_at = timezone.now()
        source.merged_into = target
        source.save(update_fields=["status", "closed_at", "merged_into"])
        record_event(
            source,
            actor=actor,
            kind=CaseEvent.Kind.STATUS_CHANGED,
            old_value=old,
            new_value=Status.CLOSED,
            other_case=target,
            shown_to_employee=True,
        )
    case_sync_grants(case=target)
    case_sync_grants(case=source)
    return report


@transaction.atomic
@records_actor
def cases_resync_for_teams(*, actor: User | None, team_ids: set[int]) -> int:
    """Follow a change of team managers or membership on every affected case."""
    cases = Case.objects.filter(subject__team_id__in=team_ids).select_related("subject__team")
    count = 0
    for case in cases.iterator():
        case_sync_grants(case=case)
        support.support_follow_case(case=case)
        count += 1
    return count
