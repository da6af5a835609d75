"""Reads of case data that span relations or depend on who is asking, one
module per part of the case. Each list is built with its joins up front, so a
page's query count stays the same however many rows there are."""

from doxing_cases.selectors.case import (
    OPEN_STATUSES,
    NextAction,
    assignable_coordinators,
    case_reports,
    dashboard_cases,
    latest_contact,
    next_action,
    other_open_cases,
    own_cases,
    reports_filed_for_others,
    team_cases,
    timeline,
    triage_queue,
)

__all__ = [
    "OPEN_STATUSES",
    "NextAction",
    "assignable_coordinators",
    "case_reports",
    "dashboard_cases",
    "latest_contact",
    "next_action",
    "other_open_cases",
    "own_cases",
    "reports_filed_for_others",
    "team_cases",
    "timeline",
    "triage_queue",
]
