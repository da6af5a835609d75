"""Every change to a case. Each service writes its rows, its timeline line
and its grants in one transaction, with the actor in every history row.

The case-level services are re-exported here; the parts of a case have their
own modules (``involvement``, ``tasks``, ``online``, ``security``,
``coordination``)."""

from doxing_cases.services.case import (
    MANUAL_STATUSES,
    STATUS_TRANSITIONS,
    case_add_note,
    case_assign,
    case_log_first_contact,
    case_set_manager_consent,
    case_set_status,
    case_sync_grants,
    case_take,
    cases_resync_for_teams,
    report_file,
    report_move,
)

__all__ = [
    "MANUAL_STATUSES",
    "STATUS_TRANSITIONS",
    "case_add_note",
    "case_assign",
    "case_log_first_contact",
    "case_set_manager_consent",
    "case_set_status",
    "case_sync_grants",
    "case_take",
    "cases_resync_for_teams",
    "report_file",
    "report_move",
]
