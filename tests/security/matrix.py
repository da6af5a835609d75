"""The declared authorization table: who may do what on every URL pattern.

Actors (tests/security/world.py builds them): ``anonymous``; ``employee``
(the subject of the "own" case); ``manager`` (the employee's team; the other
case is in another team); ``coordinator`` (holds the own case, not the other);
``peer``, ``specialist``, ``security`` (involved in the own case, not in the
other); ``hr`` (granted an export of the own case, not of the other);
``privacy`` (the privacy officer); ``admin`` (a superuser: runs the
installation, no right to read cases).

Each row says who gets a 2xx (or a redirect that is not to a login page) on
the own case's URL, for GET and for POST (an empty POST: a form with errors
counts as let through). On the other case's URL (real ids of another case)
nobody is let through unless ``get_other``/``post_other`` says so, and a
"mixed" URL (the own case's id with the other case's object ids) lets nobody
through. A URL whose parameters name no case data (an article, a training
session) is the same in both contexts and is checked once.

When a new page fails ``test_every_url_pattern_is_in_the_table``: decide who
may use it, with the access model in ../shared/DESIGN.md, and add a row.
``HANDVAT_MATRIX_OBSERVE=/tmp/observed.json pytest tests/security/test_matrix.py``
writes what each actor actually got, to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTORS = ("anonymous", "employee", "manager", "coordinator", "peer", "specialist", "security", "hr", "privacy", "admin")
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
TWO_STEP = frozenset({"coordinator", "specialist", "security", "hr", "privacy", "admin"})


def _set(value: str | frozenset[str]) -> frozenset[str]:
    if isinstance(value, frozenset):
        return value
    names = frozenset(value.split())
    unknown = names - EVERYONE
    assert not unknown, f"unknown actors {unknown}"
    return names


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    post: frozenset[str]
    get_other: frozenset[str] = frozenset()
    post_other: frozenset[str] = frozenset()


def R(
    get: str | frozenset[str],
    post: str | frozenset[str],
    *,
    get_other: str | frozenset[str] = "",
    post_other: str | frozenset[str] = "",
) -> Rule:
    return Rule(_set(get), _set(post), _set(get_other), _set(post_other))


MATRIX: dict[str, Rule] = {
    # --- aftercare ---
    "aftercare:anniversary_decline": R("", "coordinator"),
    "aftercare:calendar": R("coordinator", ""),
    "aftercare:calendar_feed": R(SIGNED_IN, ""),
    "aftercare:calendar_feed_renew": R("", SIGNED_IN),
    "aftercare:calendar_ics": R(EVERYONE, "", get_other=EVERYONE, post_other=""),
    "aftercare:close": R("coordinator", "coordinator"),
    "aftercare:evaluation_new": R("coordinator", "coordinator"),
    "aftercare:evaluations": R("coordinator", ""),
    "aftercare:feedback": R("employee", "employee"),
    "aftercare:flare_up_cancel": R("", "coordinator"),
    "aftercare:flare_up_edit": R("coordinator", "coordinator"),
    "aftercare:flare_up_new": R("coordinator", "coordinator"),
    "aftercare:flare_up_outcome": R("coordinator", "coordinator"),
    "aftercare:flare_ups": R("manager coordinator specialist", ""),
    "aftercare:follow_up_cancel": R("", "coordinator"),
    "aftercare:follow_up_new": R("coordinator", "coordinator"),
    "aftercare:follow_up_record": R("manager coordinator", "manager coordinator"),
    "aftercare:follow_ups": R("manager coordinator", ""),
    "aftercare:follow_ups_plan": R("", "coordinator"),
    "aftercare:getting_to_me": R("employee", "employee"),
    "aftercare:lesson_new": R("coordinator", "coordinator"),
    "aftercare:lessons": R("manager coordinator", ""),
    "aftercare:move": R("coordinator", "coordinator"),
    "aftercare:my_evaluations": R("employee", ""),
    # --- cases ---
    "cases:assign": R("coordinator", "coordinator"),
    "cases:attachment": R("employee coordinator", ""),
    "cases:check_in_new": R("manager coordinator", "manager coordinator"),
    "cases:check_in_rhythm": R("coordinator", "coordinator"),
    "cases:communication": R("coordinator", "coordinator"),
    "cases:dashboard": R("coordinator", ""),
    "cases:decision_edit": R("coordinator", "coordinator"),
    "cases:decision_new": R("coordinator", "coordinator"),
    "cases:detail": R("manager coordinator peer specialist security", ""),
    "cases:doxer": R("coordinator specialist", ""),
    "cases:doxer_new": R("coordinator specialist", "coordinator specialist"),
    "cases:evidence": R("coordinator specialist", ""),
    "cases:evidence_file": R("coordinator specialist", ""),
    "cases:evidence_list": R("coordinator specialist", ""),
    "cases:evidence_new": R("employee coordinator specialist", "employee coordinator specialist"),
    "cases:exposed": R("coordinator specialist security", ""),
    "cases:exposed_edit": R("coordinator specialist", "coordinator specialist"),
    "cases:exposed_new": R("coordinator specialist", "coordinator specialist"),
    "cases:first_contact": R("coordinator", "coordinator"),
    "cases:intake": R("coordinator", ""),
    "cases:intake_for": R("coordinator", "coordinator", get_other="coordinator", post_other="coordinator"),
    "cases:involvement_end": R("", "coordinator"),
    "cases:involvement_new": R("coordinator", "coordinator"),
    "cases:involvements": R("coordinator peer specialist security", ""),
    "cases:legal_hold_lift": R("", "coordinator"),
    "cases:measure_edit": R("coordinator security", "coordinator security"),
    "cases:measure_new": R("coordinator security", "coordinator security"),
    "cases:messages": R("coordinator", "coordinator"),
    "cases:my": R(SIGNED_IN, ""),
    "cases:my_case": R("employee", ""),
    "cases:my_case_manager": R("employee", "employee"),
    "cases:my_messages": R("employee", "employee"),
    "cases:my_tasks": R(SIGNED_IN, ""),
    "cases:note": R("coordinator", "coordinator"),
    "cases:peer_contact_new": R("coordinator peer", "coordinator peer"),
    "cases:police_decline": R("coordinator", "coordinator"),
    "cases:police_report_new": R("coordinator", "coordinator"),
    "cases:police_report_update": R("coordinator", "coordinator"),
    "cases:press_enquiry_edit": R("coordinator", "coordinator"),
    "cases:press_enquiry_new": R("coordinator", "coordinator"),
    "cases:referral_new": R("coordinator peer", "coordinator peer"),
    "cases:report_move": R("coordinator", "coordinator"),
    "cases:report_new": R(SIGNED_IN, SIGNED_IN),
    "cases:report_sent": R("employee", ""),
    "cases:retention": R("coordinator", "coordinator"),
    "cases:status": R("coordinator", "coordinator"),
    "cases:support": R("manager coordinator peer", ""),
    "cases:support_activity_new": R("manager coordinator peer", "manager coordinator peer"),
    "cases:take": R("", "coordinator"),
    "cases:takedown_answer": R("coordinator specialist", "coordinator specialist"),
    "cases:takedown_new": R("coordinator specialist", "coordinator specialist"),
    "cases:takedown_send": R("coordinator specialist", "coordinator specialist"),
    "cases:takedown_text": R("coordinator specialist", ""),
    "cases:takedowns": R("coordinator specialist", ""),
    "cases:task_done": R("", "coordinator"),
    "cases:task_new": R("coordinator", "coordinator"),
    "cases:team": R("manager", ""),
    "cases:threat": R("coordinator security", "coordinator security"),
    "cases:threat_history": R("coordinator security", ""),
    # --- exports ---
    "exports:case_report": R("employee coordinator hr", ""),
    "exports:hr_cases": R("hr", ""),
    "exports:hr_grant": R("coordinator", "coordinator"),
    "exports:hr_grant_revoke": R("", "coordinator"),
    "exports:national_export": R("coordinator privacy", ""),
    "exports:national_export_download": R("coordinator privacy", ""),
    "exports:police_pack": R("coordinator", ""),
    "exports:processing": R("privacy", ""),
    "exports:processing_csv": R("privacy", ""),
    "exports:statistics": R("coordinator hr", ""),
    "exports:statistics_csv": R("coordinator hr", ""),
    "exports:statistics_pdf": R("coordinator hr", ""),
    "exports:subject_access": R("privacy", ""),
    "exports:subject_access_confirm": R("privacy", "", get_other="privacy", post_other=""),
    "exports:subject_access_download": R("", "privacy"),
    # --- project ---
    "health": R(EVERYONE, ""),
    "home": R(SIGNED_IN, ""),
    "login": R(EVERYONE, EVERYONE),
    "logout": R("", ""),
    "sso_callback": R("", ""),
    "sso_start": R("", ""),
    "two_factor_disable": R("", ""),
    "two_factor_setup": R(SIGNED_IN, SIGNED_IN),
    "two_factor_verify": R(
        "coordinator specialist security hr privacy admin", "coordinator specialist security hr privacy admin"
    ),
    # --- notifications ---
    "notifications:list": R(SIGNED_IN, ""),
    "notifications:open": R("", "employee"),
    "notifications:preferences": R(SIGNED_IN, SIGNED_IN),
    "notifications:read_all": R("", SIGNED_IN),
    # --- prevention ---
    "prevention:article": R(SIGNED_IN, ""),
    "prevention:article_edit": R("coordinator", "coordinator"),
    "prevention:article_new": R("coordinator", "coordinator"),
    "prevention:article_reviewed": R("", "coordinator"),
    "prevention:briefing": R("manager coordinator", ""),
    "prevention:briefing_discussed": R("", "manager coordinator"),
    "prevention:briefing_new": R("manager coordinator", "manager coordinator"),
    "prevention:briefings": R("manager coordinator", ""),
    "prevention:card": R(SIGNED_IN, ""),
    "prevention:card_pdf": R(SIGNED_IN, ""),
    "prevention:debrief_new": R("manager coordinator", "manager coordinator"),
    "prevention:debriefs": R("manager coordinator", ""),
    "prevention:exposure": R("coordinator", ""),
    "prevention:exposure_edit": R("coordinator", "coordinator"),
    "prevention:exposure_new": R("coordinator", "coordinator"),
    "prevention:exposure_reviewed": R("", "coordinator"),
    "prevention:hub": R(SIGNED_IN, ""),
    "prevention:knowledge": R(SIGNED_IN, ""),
    "prevention:my_availability": R("peer", "peer"),
    "prevention:readiness": R("coordinator", ""),
    "prevention:readiness_item": R("coordinator", "coordinator"),
    "prevention:roster_add": R("", "coordinator"),
    "prevention:roster_remove": R("", "coordinator"),
    "prevention:self_scan": R(SIGNED_IN, ""),
    "prevention:self_scan_complete": R("employee", "employee"),
    "prevention:self_scan_follow_up_done": R("", "employee"),
    "prevention:self_scan_start": R("", SIGNED_IN),
    "prevention:self_scan_step": R("employee", "employee"),
    "prevention:training": R(SIGNED_IN, ""),
    "prevention:training_attendance": R("coordinator hr", "coordinator hr"),
    "prevention:training_attendance_remove": R("", "coordinator hr"),
    "prevention:training_coverage": R("manager coordinator hr", ""),
    "prevention:training_mine": R(SIGNED_IN, ""),
    "prevention:training_module_edit": R("coordinator hr", "coordinator hr"),
    "prevention:training_module_new": R("coordinator hr", "coordinator hr"),
    "prevention:training_session": R("coordinator hr", ""),
    "prevention:training_session_edit": R("coordinator hr", "coordinator hr"),
    "prevention:training_session_new": R("coordinator hr", "coordinator hr"),
    # --- privacy ---
    "privacy:access_log": R("privacy", ""),
    "privacy:access_log_csv": R("privacy", ""),
}

# Why some rows are as they are:
# - aftercare:calendar_ics: the feed's secret token is the credential (calendar apps cannot log in), so
#   whoever holds the URL reads it, also without a session; the feed carries dates and labels, no case text.
# - health, login, two_factor_*, the calendar feed page, notifications, the report form, the self-scan,
#   the card and the knowledge base are for every signed-in user and hold only their own data.
# - exports:national_export_download: the anonymised figures (recommendation 8): coordinators and privacy.
# - exports:subject_access_confirm: the privacy officer chooses any person (GDPR art. 15).
# - cases:intake_for: a coordinator registers a report for any active employee (by phone, in person).
# - exports:case_report: the employee gets their own copy, HR the need-to-know profile when granted.

#: Who may read each canary (on the own case): care notes (check-in, support activity), a security
#: measure's detail, the home address (an exposed-data item and the report text). Anyone else, and
#: everyone on the other case, must never get a page or an export holding them.
CANARY_SEEN_BY: dict[str, frozenset[str]] = {
    "check_in": _set("manager coordinator"),
    "support": _set("manager coordinator peer"),
    "security": _set("coordinator security"),
    "address": _set("employee coordinator specialist security"),
}
#: (canary, URL name) -> who else may see it on that URL only, on either case.
CANARY_EXCEPTIONS: dict[tuple[str, str], frozenset[str]] = {
    # The GDPR art. 15 copy of everything Handvat holds about a person: the privacy officer makes it for
    # that person, so it holds their address and the check-ins about them (not security details).
    ("address", "exports:subject_access_download"): _set("privacy"),
    ("check_in", "exports:subject_access_download"): _set("privacy"),
}
