"""Reads of case data that span relations or depend on who is asking.

Each list is built with its joins up front, so a page's query count stays
the same however many cases there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doxing_cases.models import (
    Case,
    CaseEvent,
    CommunicationAgreement,
    Decision,
    DoxerIdentifier,
    Evidence,
    ExposedItem,
    Involvement,
    PoliceReport,
    PoliceReportDecline,
    PressEnquiry,
    Report,
    ReportAttachment,
    SecurityMeasure,
    TakedownRequest,
    Task,
    ThreatAssessment,
)
from people import access
from people.models import User
from people.roles import Role

Status = Case.Status
OPEN_STATUSES = [Status.NEW, Status.TRIAGE, Status.ACTIVE, Status.AFTERCARE]
_REFERENCE = re.compile(r"^\s*(?:hv-?)?0*(\d{1,12})\s*$", re.IGNORECASE)


def _with_people(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("subject__team", "coordinator")


def with_next_task(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with its first open task (due date and title), in the same query."""
    first_open = Task.objects.filter(case=OuterRef("pk"), status=Task.Status.OPEN).order_by("due_at", "pk")
    return cases.annotate(
        next_task_due=Subquery(first_open.values("due_at")[:1]),
        next_task_title=Subquery(first_open.values("title")[:1]),
    )


def triage_queue(user: User) -> QuerySet[Case]:
    """Waiting cases, the urgent ones and then the oldest first."""
    return with_next_task(_with_people(access.triage_queue(user))).order_by("-urgent", "opened_at")


def dashboard_cases(
    user: User,
    *,
    status: str = "open",
    threat_level: int | None = None,
    coordinator: str = "",
    team_id: int | None = None,
    query: str = "",
) -> QuerySet[Case]:
    cases = access.cases_visible_to(user, perm=access.FULL).filter(merged_into__isnull=True)
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if threat_level is not None:
        cases = cases.filter(threat_level=threat_level)
    if coordinator == "mine":
        cases = cases.filter(coordinator=user)
    elif coordinator == "unassigned":
        cases = cases.filter(coordinator__isnull=True)
    if team_id is not None:
        cases = cases.filter(subject__team_id=team_id)
    if query.strip():
        cases = cases.filter(_search(query))
    return with_next_task(_with_people(cases)).order_by("-urgent", "-threat_level", "opened_at")


def _search(query: str) -> Q:
    match = _REFERENCE.match(query)
    if match:
        return Q(pk=int(match.group(1)))
    condition = Q()
    for word in query.split()[:5]:
        condition &= (
            Q(subject__first_name__icontains=word)
            | Q(subject__last_name__icontains=word)
            | Q(subject__username__icontains=word)
        )
    return condition


def own_cases(user: User) -> QuerySet[Case]:
    """The employee's own cases, newest first."""
    return (
        _with_people(access.cases_visible_to(user, perm=access.OWN))
        .filter(merged_into__isnull=True, subject=user)
        .order_by("-opened_at")
    )


def reports_filed_for_others(user: User) -> QuerySet[Report]:
    return (
        Report.objects.filter(reporter=user)
        .exclude(subject=user)
        .select_related("subject", "case")
        .order_by("-filed_at")
    )


def team_cases(user: User) -> QuerySet[Case]:
    """The cases of a manager's team members that the manager may support."""
    return (
        _with_people(access.cases_visible_to(user, perm=access.SUPPORT))
        .filter(merged_into__isnull=True)
        .order_by("status", "-opened_at")
    )


def case_reports(case: Case) -> QuerySet[Report]:
    return (
        case.reports.select_related("reporter", "subject")
        .prefetch_related(Prefetch("attachments", queryset=ReportAttachment.objects.order_by("uploaded_at", "pk")))
        .order_by("filed_at")
    )


#: How the row behind each kind of timeline line is loaded: one query per
#: kind of row, however long the timeline.
TIMELINE_OBJECTS = [
    Involvement.objects.select_related("user"),
    ThreatAssessment.objects.all(),
    Task.objects.select_related("owner"),
    ExposedItem.objects.all(),
    Evidence.objects.select_related("collected_by"),
    TakedownRequest.objects.all(),
    DoxerIdentifier.objects.all(),
    PoliceReport.objects.all(),
    PoliceReportDecline.objects.all(),
    SecurityMeasure.objects.all(),
    Decision.objects.all(),
    CommunicationAgreement.objects.all(),
    PressEnquiry.objects.all(),
]


def timeline(case: Case, *, parts: frozenset[str]) -> QuerySet[CaseEvent]:
    """The case's timeline, newest first, cut to what ``parts`` may see."""
    events = case.events.select_related("actor", "target_user", "other_case", "content_type").prefetch_related(
        GenericPrefetch("obj", TIMELINE_OBJECTS)
    )
    if not parts:
        return events.none()
    condition = access.timeline_filter(parts)
    return events if condition is None else events.filter(condition)


def other_open_cases(user: User, case: Case) -> QuerySet[Case]:
    """Open cases of the same employee that this coordinator may add a report to."""
    return (
        access.cases_visible_to(user, perm=access.CHANGE)
        .filter(subject_id=case.subject_id, status__in=OPEN_STATUSES, merged_into__isnull=True)
        .exclude(pk=case.pk)
        .annotate(report_count=Count("reports"))
        .order_by("-opened_at")
    )


def assignable_coordinators(exclude: User | None = None) -> QuerySet[User]:
    coordinators = access.role_members(Role.COORDINATOR)
    if exclude is not None:
        coordinators = coordinators.exclude(pk=exclude.pk)
    return coordinators.order_by("first_name", "last_name")


@dataclass(frozen=True)
class NextAction:
    label: str | Promise
    due_at: datetime | None = None

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()


def next_action(case: Case) -> NextAction | None:
    """What should happen next on the case: the first contact, then the first
    open task, then what the case's own fields say. Uses the annotations of
    ``with_next_task`` when present (lists), else one query (a case page)."""
    if case.status == Status.CLOSED:
        return None
    if case.coordinator_id is None:
        return NextAction(_("Take the case or assign it"), case.opened_at)
    if case.first_contact_at is None:
        hours = settings.HANDVAT_FIRST_CONTACT_HOURS_URGENT if case.urgent else settings.HANDVAT_FIRST_CONTACT_HOURS
        return NextAction(_("Contact the employee"), case.opened_at + timedelta(hours=hours))
    if not hasattr(case, "next_task_due"):
        first = case.tasks.filter(status=Task.Status.OPEN).order_by("due_at", "pk").values("due_at", "title").first()
        case.next_task_due, case.next_task_title = (first["due_at"], first["title"]) if first else (None, None)
    if case.next_task_due is not None:
        return NextAction(case.next_task_title, case.next_task_due)
    if case.threat_level == Case.ThreatLevel.UNKNOWN:
        return NextAction(_("Assess the threat"))
    if case.status == Status.TRIAGE:
        return NextAction(_("Start handling the case"))
    return None


def latest_contact(case: Case) -> Report | None:
    """How the employee wants to be reached, from their most recent report."""
    return case.reports.order_by("-filed_at", "-pk").first()
