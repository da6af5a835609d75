"""What goes into a case report and a police pack, per profile.

Each profile gets only what its reader may know (``people/access.py`` decides
the profile): the coordinator everything, HR the need-to-know facts, the
employee what their own case page shows. Every list is one query with its
joins, so the number of queries does not grow with the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from aftercare.selectors import aftercare as aftercare_selectors
from aftercare.selectors import evaluation as evaluation_selectors
from doxing_cases import selectors as case_selectors
from doxing_cases.models import Case, CaseEvent, Evidence, Part, PoliceReport, SecurityMeasure, TakedownRequest
from doxing_cases.selectors import coordination, involvement, online, security, support
from doxing_cases.selectors import tasks as task_selectors
from people import access
from people.models import User

COORDINATOR = access.REPORT_PROFILE_COORDINATOR
HR = access.REPORT_PROFILE_HR
EMPLOYEE = access.REPORT_PROFILE_EMPLOYEE

#: Timeline lines an HR report words without naming what the row is about:
#: that a security measure exists, never which one.
HR_GENERIC_KINDS = frozenset({CaseEvent.Kind.SECURITY_MEASURE, CaseEvent.Kind.THREAT_CHANGED})


def _timeline(case: Case, profile: str) -> list[CaseEvent]:
    if profile == COORDINATOR:
        events = case_selectors.timeline(case, parts=case.access_parts)
    elif profile == EMPLOYEE:
        events = case_selectors.timeline(case, parts=frozenset({access.OWN}))
    else:
        events = case_selectors.timeline(case, parts=frozenset({access.FULL})).filter(
            access.hr_report_timeline_filter()
        )
    return list(events.order_by("at", "pk"))


@dataclass(frozen=True)
class SecuritySummary:
    """For HR: that measures exist, and how many run; never which or how."""

    total: int
    running: int


def _security_summary(case: Case) -> SecuritySummary:
    counts = case.security_measures.aggregate(
        total=Count("pk"), running=Count("pk", filter=~Q(status=SecurityMeasure.Status.ENDED))
    )
    return SecuritySummary(total=counts["total"], running=counts["running"])


def case_report_context(case: Case, user: User, profile: str) -> dict[str, Any]:
    """Everything the template of ``profile`` shows; ``case`` comes from
    ``access.get_case_for_report`` (it carries the user's parts)."""
    context: dict[str, Any] = {
        "case": case,
        "profile": profile,
        "reports": list(case_selectors.case_reports(case)),
        "timeline": _timeline(case, profile),
        "police_reports": list(security.police_reports(case)),
    }
    if profile == COORDINATOR:
        context.update(_coordinator_parts(case, user))
    elif profile == HR:
        context.update(_hr_parts(case))
    else:
        context.update(_employee_parts(case, user))
    return context


def _coordinator_parts(case: Case, user: User) -> dict[str, Any]:
    return {
        "involvements": list(involvement.case_involvements(case)),
        "exposed_items": list(online.exposed_items(case)),
        "evidence": online.evidence_list(case, user),
        "takedowns": list(online.takedowns(case)),
        "identifiers": list(online.identifiers(case)),
        "threat_assessments": list(security.threat_assessments(case)),
        "security_measures": list(security.security_measures(case)),
        "police_declines": list(security.police_declines(case)),
        "decisions": list(coordination.decisions(case)),
        "communication_agreement": coordination.communication_agreement(case),
        "press_enquiries": list(coordination.press_enquiries(case)),
        "tasks": list(task_selectors.case_tasks(case, user)),
        "peer_contacts": list(support.peer_contacts(case)),
        "check_ins": list(support.check_ins(case)),
        "support_activities": list(support.support_activities(case)),
        "referrals": list(support.referrals(case)),
        "flare_ups": list(aftercare_selectors.flare_ups(case)),
        "follow_ups": list(aftercare_selectors.follow_ups(case)),
        "evaluations": list(evaluation_selectors.evaluations(case)),
    }


def _hr_parts(case: Case) -> dict[str, Any]:
    """Facts, actions and statuses: no care, no evidence, no security details."""
    return {
        "evidence_count": case.evidence.count(),
        "takedowns": list(
            case.takedowns.only("route", "status", "sent_on", "answered_on").order_by("created_at", "pk")
        ),
        "security_summary": _security_summary(case),
        "decisions": list(case.decisions.only("question", "decision", "decided_on", "employee_heard")),
        "communication_agreement": coordination.communication_agreement(case),
        "tasks": list(case.tasks.exclude(part=Part.SUPPORT).select_related("owner").order_by("status", "due_at", "pk")),
        "follow_ups": list(case.follow_ups.only("planned_on", "held_on", "status").order_by("planned_on", "pk")),
        "evaluations": list(case.evaluations.only("held_on", "held_with").order_by("held_on", "pk")),
    }


def _employee_parts(case: Case, user: User) -> dict[str, Any]:
    """The employee's own case page, on paper (``doxing_cases.views`` ``own_section_context``)."""
    can = case.can
    return {
        "decisions": list(coordination.own_decisions(case)) if can["own_decisions"] else [],
        "communication_agreement": coordination.communication_agreement(case) if can["own_communication"] else None,
        "security_measures": list(security.own_security_measures(case)) if can["own_security"] else [],
        "police_declines": list(security.police_declines(case)[:1]) if can["own_police"] else [],
        "evidence": online.evidence_list(case, user) if can["own_evidence"] else [],
        "flare_ups": list(aftercare_selectors.upcoming_flare_ups(case)[:5]) if can["own_flare_ups"] else [],
        "evaluations": list(evaluation_selectors.evaluations(case)) if can["view_evaluations"] else [],
    }


# --- The police pack -------------------------------------------------------------------


@dataclass(frozen=True)
class PackUrl:
    """One web address in the pack, with what came of the requests to take it down."""

    url: str
    evidence: list[Evidence]
    takedowns: list[TakedownRequest]


def police_pack_context(case: Case, report: PoliceReport) -> dict[str, Any]:
    """The police report, the employer as the address of record, the evidence
    with capture times, URLs and SHA-256 values, and the takedown status per URL."""
    evidence = list(case.evidence.select_related("collected_by").order_by("captured_at", "received_at", "pk"))
    takedowns = list(case.takedowns.order_by("created_at", "pk"))
    by_url: dict[str, PackUrl] = {}
    for item in evidence:
        if item.url:
            key = item.url_normalized or item.url
            by_url.setdefault(key, PackUrl(item.url, [], [])).evidence.append(item)
    for takedown in takedowns:
        key = takedown.url_normalized or takedown.url
        by_url.setdefault(key, PackUrl(takedown.url, [], [])).takedowns.append(takedown)
    team = case.subject.team
    organisation = team.organisation if team is not None else None
    return {
        "case": case,
        "report": report,
        "organisation": organisation,
        "organisation_address": security.organisation_address(case),
        "evidence": evidence,
        "urls": list(by_url.values()),
    }
