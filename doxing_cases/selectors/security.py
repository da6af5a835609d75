"""Reads of the security side. Each list is one query, however many rows."""

from __future__ import annotations

from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from doxing_cases.models import Case as CaseModel
from doxing_cases.models import PoliceReport, PoliceReportDecline, SecurityMeasure, ThreatAssessment
from people.models import Organisation

Status = SecurityMeasure.Status
#: Measures in the order they matter: running ones first, ended ones last.
STATUS_ORDER = Case(
    When(status=Status.ACTIVE, then=Value(0)),
    When(status=Status.PHASING_OUT, then=Value(1)),
    When(status=Status.PLANNED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def threat_assessments(case: CaseModel) -> QuerySet[ThreatAssessment]:
    return case.threat_assessments.select_related("assessed_by").order_by("-assessed_at", "-pk")


def security_measures(case: CaseModel) -> QuerySet[SecurityMeasure]:
    """The case's measures, running ones first; ``review_overdue`` marks a review date gone by."""
    overdue = Q(next_review_on__lt=timezone.localdate()) & ~Q(status=Status.ENDED)
    return (
        case.security_measures.select_related("created_by")
        .annotate(
            status_order=STATUS_ORDER,
            review_overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
        )
        .order_by("status_order", "next_review_on", "pk")
    )


def own_security_measures(case: CaseModel) -> QuerySet[SecurityMeasure]:
    """What the employee sees of their measures; the working details stay with security."""
    return security_measures(case).defer("description")


def police_reports(case: CaseModel) -> QuerySet[PoliceReport]:
    return case.police_reports.select_related("created_by").order_by("-created_at", "-pk")


def police_declines(case: CaseModel) -> QuerySet[PoliceReportDecline]:
    return case.police_declines.select_related("recorded_by").order_by("-recorded_at", "-pk")


def organisation_address(case: CaseModel) -> str:
    """The employer's address, used on police reports instead of the employee's home address."""
    team = case.subject.team
    organisation = team.organisation if team is not None else Organisation.objects.order_by("pk").first()
    return organisation.address.strip() if organisation is not None else ""
