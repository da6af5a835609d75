"""The subject-access export (GDPR art. 15): everything Handvat holds about one person.

``REGISTRY`` names, for every model that points at a user, how its rows are
collected. A row is in the export in one of two ways:

- **about the person** (full content): the person is in one of the ``about``
  fields (the employee a report is about, the one who filed it, whoever a
  notification was for), or the row belongs to one of the person's own cases
  (``case``), limited by ``own_case_filter`` to what the employee may see of
  their case and the facts held about them;
- **work the person did for the organisation** (a reference only): the person
  is in one of the ``acted`` fields on a row that is not about them, such as a
  check-in a manager logged for someone else. Its content is about someone
  else (art. 15(4)), so the export says what, when and on which case, and no more.

A test enumerates every model with a foreign key, one-to-one or many-to-many
field to the user model and fails until each such field is in ``about`` or
``acted`` of a source here (or the model is in ``EXCLUDED`` with a reason),
so a new model cannot be forgotten.

Each source costs one query, whatever the number of rows.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.dateformat import time_format
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doxing_cases import uploads
from doxing_cases.models import Case
from exports import pdf
from people import crypto
from people.history import records_actor
from people.models import AccessLog, User
from people.services import access_log_record

logger = logging.getLogger(__name__)

#: The object kind on the access-log rows an export writes; ``object_id`` is the person's id.
LOG_KIND = "subject_access"
PDF_NAME = "subject-access.pdf"


@dataclass(frozen=True)
class Source:
    """How one model's rows about a person are collected; one JSON file in the ZIP."""

    name: str
    title: Promise
    model: str
    fields: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    acted: tuple[str, ...] = ()
    #: The lookup from a row to its case: rows on the person's own cases are about them.
    case: str | None = None
    own_case_filter: Q | None = None
    #: The row's moment, for the order of rows and on references.
    at: str | None = None
    #: A user field naming who made the row; ``mine_only`` fields and the file
    #: are exported only for rows the person made themself.
    mine: str | None = None
    mine_only: tuple[str, ...] = ()
    #: A private file field whose files go into the ZIP.
    file: str | None = None
    #: What of this kind is left out, and why (shown in the manifest and the PDF).
    withheld: Promise | str = ""
    #: Whether a row shows content of its case (the access log only names a case).
    case_content: bool = True


_ORGANISATION_WORK = gettext_lazy(
    "Where this person did this work on someone else's case, only a reference is given (what, when, which case): "
    "the content is about someone else."
)

REGISTRY: tuple[Source, ...] = (
    # --- people ---
    Source(
        "teams_managed",
        gettext_lazy("Teams this person manages"),
        "people.Team",
        fields=("name",),
        about=("managers",),
    ),
    Source(
        "roster",
        gettext_lazy("Peer-support roster"),
        "people.RosterEntry",
        fields=("available", "note", "updated_at"),
        about=("user",),
        at="updated_at",
    ),
    Source(
        "access_log",
        gettext_lazy("Access log: who looked at this person's cases, and what this person looked at"),
        "people.AccessLog",
        fields=("at", "username", "action", "object_kind"),
        about=("user",),
        case="case_id",
        at="at",
        withheld=gettext_lazy("The access log records that data was read, never its content."),
        case_content=False,
    ),
    # --- notifications ---
    Source(
        "reminders",
        gettext_lazy("Reminders"),
        "notifications.Reminder",
        fields=("kind", "label", "due_at", "sent_at", "cancelled_at", "emailed_at", "failed_at"),
        about=("recipient",),
        acted=("escalate_to",),
        at="due_at",
    ),
    Source(
        "notifications",
        gettext_lazy("Notifications"),
        "notifications.Notification",
        fields=("kind", "label", "created_at", "read_at"),
        about=("recipient",),
        at="created_at",
    ),
    Source(
        "email_preferences",
        gettext_lazy("E-mail preferences"),
        "notifications.EmailPreference",
        fields=("kind", "email"),
        about=("user",),
    ),
    # --- prevention ---
    Source(
        "training",
        gettext_lazy("Training attendance"),
        "prevention.TrainingAttendance",
        fields=("session__module", "session__held_on", "session__trainer", "session__location"),
        about=("user",),
        acted=("recorded_by",),
        at="session__held_on",
    ),
    Source(
        "self_scans",
        gettext_lazy("Self-scans"),
        "prevention.SelfScan",
        fields=("started_at", "completed_at", "open_follow_ups", "remind"),
        about=("user",),
        at="started_at",
        withheld=gettext_lazy("Handvat never stores what a self-scan found; only that it was done."),
    ),
    Source(
        "articles",
        gettext_lazy("Knowledge-base articles"),
        "prevention.Article",
        acted=("updated_by",),
        at="updated_at",
    ),
    Source(
        "training_sessions",
        gettext_lazy("Training sessions"),
        "prevention.TrainingSession",
        acted=("created_by",),
        at="held_on",
    ),
    Source(
        "deployments",
        gettext_lazy("Briefing risk checks"),
        "prevention.Deployment",
        acted=("created_by",),
        at="created_at",
    ),
    Source(
        "exposure_items",
        gettext_lazy("Exposure audit"),
        "prevention.ExposureItem",
        acted=("owner", "updated_by"),
        at="updated_at",
    ),
    Source("debriefs", gettext_lazy("Debriefs"), "prevention.Debrief", acted=("recorded_by",), at="held_on"),
    Source(
        "readiness",
        gettext_lazy("Readiness checklist"),
        "prevention.ReadinessItem",
        acted=("updated_by",),
        at="updated_at",
    ),
    # --- doxing_cases ---
    Source(
        "cases",
        gettext_lazy("Cases"),
        "doxing_cases.Case",
        fields=(
            "status",
            "threat_level",
            "incident_at",
            "opened_at",
            "first_contact_at",
            "closed_at",
            "coordinator",
            "urgent",
            "manager_may_know",
            "check_in_every_days",
        ),
        about=("subject",),
        acted=("coordinator",),
        case="pk",
        at="opened_at",
    ),
    Source(
        "reports",
        gettext_lazy("Reports (filed by this person or about them)"),
        "doxing_cases.Report",
        fields=(
            "filed_at",
            "subject",
            "reporter",
            "received_via",
            "description",
            "in_danger",
            "started_at",
            "platforms",
            "urls",
            "behaviours",
            "leaked_data",
            "relatives_affected",
            "contact_method",
            "contact_phone",
            "contact_times",
            "manager_may_know",
        ),
        about=("subject", "reporter"),
        at="filed_at",
    ),
    Source(
        "report_attachments",
        gettext_lazy("Files sent with reports"),
        "doxing_cases.ReportAttachment",
        fields=("original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"),
        about=("uploaded_by",),
        case="report__case",
        at="uploaded_at",
        file="file",
    ),
    Source(
        "case_access",
        gettext_lazy("Who has access to this person's cases"),
        "doxing_cases.CaseGrant",
        fields=("user", "permission__name"),
        acted=("user",),
        case="content_object",
    ),
    Source(
        "involvements",
        gettext_lazy("People involved in this person's cases"),
        "doxing_cases.Involvement",
        fields=("user", "kind", "department", "started_at", "ended_at"),
        acted=("user", "started_by", "ended_by"),
        case="case",
        at="started_at",
        withheld=gettext_lazy("What the coordinator asked an involved person to do is internal and left out."),
    ),
    Source(
        "timeline",
        gettext_lazy("Timeline of the case"),
        "doxing_cases.CaseEvent",
        fields=("at", "kind", "action", "actor", "note"),
        acted=("actor", "target_user"),
        case="case",
        own_case_filter=Q(shown_to_employee=True),
        at="at",
        withheld=gettext_lazy(
            "Only the timeline lines the employee sees on their own case page; internal notes are left out."
        ),
    ),
    Source(
        "exposed_data",
        gettext_lazy("Personal data found online"),
        "doxing_cases.ExposedItem",
        fields=("kind", "detail", "platform", "urls", "found_at", "risk", "status"),
        acted=("created_by",),
        case="case",
        at="found_at",
    ),
    Source(
        "evidence",
        gettext_lazy("Evidence"),
        "doxing_cases.Evidence",
        fields=(
            "url",
            "platform",
            "captured_at",
            "received_at",
            "collected_by",
            "original_name",
            "size",
            "sha256",
            "description",
        ),
        acted=("collected_by",),
        case="case",
        at="received_at",
        mine="collected_by",
        mine_only=("description",),
        file="file",
        withheld=gettext_lazy(
            "Evidence collected by the organisation is listed (where, when, the file's name, size and SHA-256) "
            "without its description or file: it shows what someone else posted, and may be part of a police "
            "investigation. The privacy officer can provide it after weighing the rights of others (art. 15(4) GDPR)."
        ),
    ),
    Source(
        "takedowns",
        gettext_lazy("Takedown requests"),
        "doxing_cases.TakedownRequest",
        fields=("url", "route", "recipient", "sent_on", "status", "answered_on"),
        acted=("sent_by", "created_by"),
        case="case",
        at="created_at",
    ),
    Source(
        "doxer_identifiers",
        gettext_lazy("Accounts of the suspected doxer"),
        "doxing_cases.DoxerIdentifier",
        acted=("added_by",),
        at="added_at",
        withheld=gettext_lazy(
            "Accounts of the suspected doxer are personal data of someone else and may be part of a criminal "
            "investigation; they are left out."
        ),
    ),
    Source(
        "threat_assessments",
        gettext_lazy("Threat assessments"),
        "doxing_cases.ThreatAssessment",
        fields=("level", "assessed_at", "police_consulted"),
        acted=("assessed_by",),
        case="case",
        at="assessed_at",
        withheld=gettext_lazy(
            "What an assessment is based on is left out: it concerns the suspected perpetrator and the "
            "effectiveness of the protection."
        ),
    ),
    Source(
        "security_measures",
        gettext_lazy("Security measures"),
        "doxing_cases.SecurityMeasure",
        fields=(
            "kind",
            "for_whom",
            "responsible_department",
            "status",
            "start_on",
            "next_review_on",
            "end_on",
            "employee_view",
            "relatives_view",
            "phase_out_guidance",
        ),
        acted=("created_by",),
        case="case",
        at="created_at",
        withheld=gettext_lazy(
            "The operational details of a measure are left out, as on the employee's own case page: "
            "sharing them could weaken the protection."
        ),
    ),
    Source(
        "police_reports",
        gettext_lazy("Police reports"),
        "doxing_cases.PoliceReport",
        fields=("kind", "filed_by", "vpt", "employer_address", "offences", "police_reference", "filed_on", "status"),
        acted=("created_by",),
        case="case",
        at="created_at",
        withheld=gettext_lazy("Internal notes on a police report are left out."),
    ),
    Source(
        "police_declines",
        gettext_lazy("Choices not to report to the police"),
        "doxing_cases.PoliceReportDecline",
        fields=("reason", "follow_up_on", "recorded_at"),
        acted=("recorded_by",),
        case="case",
        at="recorded_at",
    ),
    Source(
        "decisions",
        gettext_lazy("Decisions"),
        "doxing_cases.Decision",
        fields=("question", "decision", "decided_by", "decided_on", "employee_heard", "employee_view"),
        acted=("recorded_by",),
        case="case",
        at="recorded_at",
        withheld=gettext_lazy("The options weighed and the alignment with the police are internal and left out."),
    ),
    Source(
        "communication",
        gettext_lazy("Communication agreement"),
        "doxing_cases.CommunicationAgreement",
        fields=("strategy", "spokesperson", "agreed_with_employee", "agreed_with_relatives", "agreed_on"),
        acted=("updated_by",),
        case="case",
        at="agreed_on",
        withheld=gettext_lazy("Internal notes on the agreement are left out."),
    ),
    Source(
        "press_enquiries",
        gettext_lazy("Press enquiries"),
        "doxing_cases.PressEnquiry",
        fields=("received_at", "outlet", "question", "response"),
        acted=("handled_by",),
        case="case",
        at="received_at",
    ),
    Source(
        "legal_holds",
        gettext_lazy("Legal holds (cases kept past their retention period)"),
        "doxing_cases.LegalHold",
        fields=("reason", "until", "placed_at", "lifted_at"),
        acted=("placed_by", "lifted_by"),
        case="case",
        at="placed_at",
    ),
    Source(
        "peer_contacts",
        gettext_lazy("Peer support"),
        "doxing_cases.PeerSupportContact",
        fields=("offered_at", "offered_by", "response", "next_contact_on"),
        acted=("offered_by",),
        case="case",
        at="offered_at",
    ),
    Source(
        "check_ins",
        gettext_lazy("Check-ins"),
        "doxing_cases.CheckIn",
        fields=("at", "by", "wellbeing", "relatives", "needs", "team_talked", "next_check_in_on"),
        acted=("by",),
        case="case",
        at="at",
    ),
    Source(
        "support_activities",
        gettext_lazy("Support for the team and the manager"),
        "doxing_cases.SupportActivity",
        fields=("kind", "held_on"),
        acted=("by",),
        case="case",
        at="held_on",
        withheld=gettext_lazy("Notes on who took part are about colleagues and left out."),
    ),
    Source(
        "referrals",
        gettext_lazy("Referrals to professional care"),
        "doxing_cases.Referral",
        fields=("to", "to_detail", "referred_on", "consent"),
        acted=("by",),
        case="case",
        at="referred_on",
    ),
    Source(
        "messages",
        gettext_lazy("Messages"),
        "doxing_cases.Message",
        fields=("sent_at", "sender", "body", "read_at"),
        acted=("sender",),
        case="case",
        at="sent_at",
    ),
    Source(
        "tasks",
        gettext_lazy("Tasks"),
        "doxing_cases.Task",
        acted=("owner", "created_by", "done_by"),
        at="created_at",
        withheld=gettext_lazy("Tasks are the organisation's work planning; tasks on this person's cases are left out."),
    ),
    # --- aftercare ---
    Source(
        "flare_up_moments",
        gettext_lazy("Moments of attention"),
        "aftercare.FlareUpMoment",
        fields=("kind", "on", "at_time", "description", "alert_employee", "status", "outcome"),
        acted=("created_by",),
        case="case",
        at="on",
    ),
    Source(
        "aftercare_checklists",
        gettext_lazy("Move to aftercare"),
        "aftercare.AftercareChecklist",
        fields=("items", "recorded_at"),
        acted=("recorded_by",),
        case="case",
        at="recorded_at",
    ),
    Source(
        "follow_ups",
        gettext_lazy("Follow-up conversations"),
        "aftercare.FollowUp",
        fields=("planned_on", "owner", "reason", "status", "held_on", "work_impact", "needs"),
        acted=("owner", "created_by"),
        case="case",
        at="planned_on",
    ),
    Source(
        "evaluations",
        gettext_lazy("Evaluations"),
        "aftercare.Evaluation",
        fields=("held_with", "held_on", "went_well", "can_be_better", "for_organisation", "for_guideline_steps"),
        acted=("recorded_by",),
        case="case",
        at="held_on",
    ),
    Source(
        "feedback",
        gettext_lazy("Feedback on the support"),
        "aftercare.Feedback",
        fields=(
            "knew_contact",
            "involved_in_decisions",
            "support_in_time",
            "measures_fitted",
            "overall",
            "comment",
            "submitted_at",
        ),
        case="case",
        at="submitted_at",
    ),
    Source(
        "lessons",
        gettext_lazy("Lessons learned"),
        "aftercare.Lesson",
        acted=("written_by",),
        at="written_at",
        withheld=gettext_lazy("Lessons carry no identity and no link to a case."),
    ),
    Source(
        "calendar_feed",
        gettext_lazy("Calendar feed"),
        "aftercare.CalendarFeed",
        fields=("created_at",),
        about=("user",),
        at="created_at",
        withheld=gettext_lazy("The secret address of the feed is left out: whoever holds it can read the calendar."),
    ),
    # --- exports ---
    Source(
        "hr_export_grants",
        gettext_lazy("HR access to a case report"),
        "exports.HrExportGrant",
        fields=("hr_user", "valid_until", "reason", "granted_by", "granted_at", "revoked_at"),
        acted=("hr_user", "granted_by", "revoked_by"),
        case="case",
        at="granted_at",
    ),
    Source(
        "case_exports",
        gettext_lazy("Exports of the case"),
        "exports.CaseExport",
        fields=("document", "profile", "exported_by", "exported_at", "pages"),
        acted=("exported_by",),
        case="case",
        at="exported_at",
    ),
    # --- Django's admin site ---
    Source("admin_log", gettext_lazy("Changes in the admin site"), "admin.LogEntry", acted=("user",), at="action_time"),
)

#: Models that point at a user and are deliberately not collected, with the reason.
EXCLUDED: dict[str, str] = {
    "otp_totp.TOTPDevice": (
        "the authenticator app linked to the login: a name and a secret key. The key is a credential, not "
        "information about the person, and copying it out would weaken the login; the person sees their "
        "device on the two-step login page."
    ),
    "guardian.UserObjectPermission": (
        "django-guardian's generic grant table; Handvat keeps its case grants in doxing_cases.CaseGrant "
        "(collected as case_access) and writes nothing here."
    ),
}

NOTE = gettext_lazy(
    "This is a copy of the personal data Handvat holds about the person named below (art. 15 GDPR). "
    "Each JSON file holds one kind of data; subject-access.pdf shows the same in readable form. "
    "Rows marked as references are work this person did for the organisation on someone else's case: "
    "only what, when and which case is given, because the content is about someone else (art. 15(4) GDPR). "
    "Earlier versions of records, kept in the change history, are not included: each record is shown as it is now. "
    "Times are in Europe/Amsterdam. "
    "Files: the files this person uploaded themself (screenshots sent with a report, evidence they collected) "
    "are included under files/, with their name, size and SHA-256 checked against the value stored at upload; "
    "files sent in on this person's behalf with a report about them are included too. Files collected by the "
    "organisation are listed with name, size and SHA-256 but not included (see the evidence section). "
    "What is left out of each kind, and why, is listed in this manifest. "
    "This copy is confidential: hand it only to the person it is about."
)


# --- Reading the registry -----------------------------------------------------


def registry_by_model() -> dict[str, Source]:
    return {source.model: source for source in REGISTRY}


def covered_user_fields() -> dict[str, set[str]]:
    """Per model label, the user fields the registry collects through."""
    return {source.model: set(source.about) | set(source.acted) for source in REGISTRY}


def _model(source: Source) -> type[models.Model]:
    return apps.get_model(source.model)


def _field(model: type[models.Model], path: str) -> models.Field:
    *hops, last = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    return model._meta.get_field(last)


def _is_user_field(model_field: Any) -> bool:
    return bool(getattr(model_field, "is_relation", False) and model_field.related_model is User)


def _raw(row: Any, path: str) -> Any:
    """A field's value as a reader knows it: a person's name, a choice's label."""
    obj = row
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    model_field = obj._meta.get_field(last)
    value = getattr(obj, last)
    if value is None:
        return None
    if _is_user_field(model_field):
        return value.display_name
    if model_field.is_relation:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return value


def _plain(value: Any) -> Any:
    """For JSON."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def _display(value: Any) -> str:
    """For the PDF."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, time):
        return time_format(value, "H:i")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        return ", ".join(str(item) for item in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


def _case_attr(source: Source) -> str | None:
    """The attribute path (dots) that gives a row's case id, without a query."""
    if source.case is None:
        return None
    if source.case == "pk":
        return "pk"
    *hops, last = source.case.split("__")
    return ".".join([*hops, last if last.endswith("_id") else f"{last}_id"])


def _attr(row: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        row = getattr(row, part, None)
        if row is None:
            return None
    return row


def _related(source: Source) -> list[str]:
    """select_related paths for the fields shown, so reading them costs no query."""
    model = _model(source)
    paths: set[str] = set()
    for path in (*source.fields, *([source.case] if source.case and "__" in source.case else [])):
        hops = path.split("__")
        current = model
        for i, hop in enumerate(hops):
            model_field = current._meta.get_field(hop)
            if not (model_field.many_to_one or model_field.one_to_one) or not model_field.concrete:
                break
            paths.add("__".join(hops[: i + 1]))
            current = model_field.related_model
    return sorted(paths)


def labels_for(source: Source) -> list[tuple[str, str]]:
    model = _model(source)
    return [(path, capfirst(str(_field(model, path).verbose_name))) for path in source.fields]


# --- Collecting -----------------------------------------------------------------


@dataclass
class Section:
    source: Source
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)
    #: The same rows as text for the PDF: {"case", "id", "values": [(label, text), ...]}.
    display: list[dict[str, Any]] = field(default_factory=list)
    reference_display: list[dict[str, Any]] = field(default_factory=list)
    #: The cases whose content is in ``rows`` (the export logs a read of each).
    case_ids: set[int] = field(default_factory=set)

    @property
    def title(self) -> str:
        return str(self.source.title)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.source.name,
            "title": self.title,
            "fields": dict(self.columns),
            "withheld": str(self.source.withheld),
            "rows": self.rows,
            "references": self.references,
        }


@dataclass
class StoredFile:
    source: str
    row_id: int
    name: str
    size: int | None
    sha256: str
    path: str | None  # in the ZIP; None: not included
    note: str
    content: bytes | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.source,
            "id": self.row_id,
            "name": self.name,
            "size": self.size,
            "sha256": self.sha256,
            "included_as": self.path,
            "note": self.note,
        }


@dataclass
class Collected:
    subject: User
    profile: dict[str, Any]
    sections: list[Section]
    files: list[StoredFile]
    case_ids: set[int]

    @property
    def filled_sections(self) -> list[Section]:
        return [section for section in self.sections if section.rows]

    @property
    def references(self) -> list[dict[str, Any]]:
        return [{**ref, "title": section.title} for section in self.sections for ref in section.reference_display]


def _profile(subject: User) -> dict[str, Any]:
    return {
        "id": subject.pk,
        "username": subject.username,
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "email": subject.email,
        "team": subject.team.name if subject.team else None,
        "roles": sorted(str(group.name) for group in subject.groups.all()),
        "active": subject.is_active,
        "joined": _plain(subject.date_joined),
        "last_login": _plain(subject.last_login),
    }


def _person_q(names: tuple[str, ...], subject: User) -> Q:
    condition = Q()
    for name in names:
        condition |= Q(**{name: subject})
    return condition


def _collect_source(source: Source, subject: User, own_cases: Any) -> tuple[Section, list[tuple[Source, Any]]]:
    model = _model(source)
    full = _person_q(source.about, subject)
    if source.case is not None:
        own = Q(**{f"{source.case}__in": own_cases})
        if source.own_case_filter is not None:
            own &= source.own_case_filter
        full |= own
    acted = _person_q(source.acted, subject)
    wanted = full | acted
    section = Section(source, labels_for(source))
    if not wanted:
        return section, []
    queryset = (
        model._default_manager.filter(wanted)
        .annotate(sa_full=ExpressionWrapper(full, output_field=BooleanField()) if full else models.Value(False))
        .select_related(*_related(source))
        .order_by(*([source.at] if source.at else []), "pk")
    )
    if any(model._meta.get_field(name).many_to_many for name in (*source.about, *source.acted)):
        queryset = queryset.distinct()
    case_attr = _case_attr(source)
    with_files: list[tuple[Source, Any]] = []
    for row in queryset:
        case_id = _attr(row, case_attr) if case_attr else getattr(row, "case_id", None)
        case_ref = Case(pk=case_id).reference if case_id else None
        at = _raw(row, source.at) if source.at else None
        if not row.sa_full:
            roles = [
                capfirst(str(_field(model, name).verbose_name))
                for name in source.acted
                if getattr(row, f"{name}_id", None) == subject.pk
            ]
            section.references.append({"id": row.pk, "case": case_ref, "at": _plain(at), "as": roles})
            section.reference_display.append({"case": case_ref, "at": _display(at), "as": roles})
            continue
        mine = source.mine is None or getattr(row, f"{source.mine}_id") == subject.pk
        values: dict[str, Any] = {"id": row.pk}
        if case_ref:
            values["case"] = case_ref
            if source.case_content:
                section.case_ids.add(case_id)
        shown = []
        for path, label in section.columns:
            raw = _raw(row, path) if mine or path not in source.mine_only else None
            values[path] = _plain(raw)
            shown.append((label, _display(raw)))
        section.rows.append(values)
        section.display.append({"case": case_ref, "id": row.pk, "values": shown})
        if source.file and getattr(row, source.file):
            with_files.append((source, row))
    return section, with_files


def _stored_file(source: Source, row: Any, subject: User) -> StoredFile:
    entry = StoredFile(source.name, row.pk, row.original_name, row.size, row.sha256, None, "")
    if source.mine is not None and getattr(row, f"{source.mine}_id") != subject.pk:
        entry.note = _("Collected by the organisation: listed, not included.")
        return entry
    try:
        case_id = _attr(row, _case_attr(source) or "case_id")
        content = uploads.read_stored(getattr(row, source.file).name, case_id=case_id)
    except (OSError, crypto.DecryptionFailed):
        entry.note = _("The stored file could not be read.")
        return entry
    if hashlib.sha256(content).hexdigest() != row.sha256:
        logger.error("subject access: stored file hash mismatch kind=%s id=%s", source.name, row.pk)
        entry.note = _("The stored file no longer matches the SHA-256 taken at upload; it is not included.")
        return entry
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", row.original_name).strip("._") or "file"
    entry.path = f"files/{source.name}/{row.pk}-{safe[:80]}"
    entry.content = content
    entry.note = _("Included; SHA-256 checked.")
    return entry


def collect(subject: User) -> Collected:
    """Everything Handvat holds about ``subject``: one query per source."""
    subject = User.objects.select_related("team").prefetch_related("groups").get(pk=subject.pk)
    own_cases = Case.objects.filter(subject=subject).values("pk")
    sections: list[Section] = []
    files: list[StoredFile] = []
    for source in REGISTRY:
        section, with_files = _collect_source(source, subject, own_cases)
        sections.append(section)
        files.extend(_stored_file(file_source, row, subject) for file_source, row in with_files)
    case_ids = {case_id for section in sections for case_id in section.case_ids}
    return Collected(subject, _profile(subject), sections, files, case_ids)


# --- Packing --------------------------------------------------------------------


def manifest(collected: Collected, *, exporter: User, at: datetime) -> dict[str, Any]:
    return {
        "export": "Handvat subject-access export (GDPR art. 15)",
        "exported_at": _plain(at),
        "exported_by": {"id": exporter.pk, "username": exporter.username, "name": exporter.display_name},
        "subject": {
            "id": collected.subject.pk,
            "username": collected.subject.username,
            "name": collected.subject.display_name,
        },
        "language": translation.get_language(),
        "note": str(NOTE),
        "contents": [
            {
                "file": f"{section.source.name}.json",
                "title": section.title,
                "rows": len(section.rows),
                "references": len(section.references),
                "withheld": str(section.source.withheld),
            }
            for section in collected.sections
        ],
        "files": [entry.as_json() for entry in collected.files],
        "not_collected": EXCLUDED,
        "cases": sorted(Case(pk=pk).reference for pk in collected.case_ids),
    }


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()


def pack(collected: Collected, *, exporter: User, at: datetime, pdf_content: bytes) -> bytes:
    info = manifest(collected, exporter=exporter, at=at)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(info))
        archive.writestr("README.txt", f"{info['export']}\n\n{info['note']}\n".encode())
        archive.writestr("profile.json", _json(collected.profile))
        for section in collected.sections:
            archive.writestr(f"{section.source.name}.json", _json(section.as_json()))
        archive.writestr(PDF_NAME, pdf_content, compress_type=zipfile.ZIP_STORED)
        for entry in collected.files:
            if entry.path and entry.content is not None:
                archive.writestr(entry.path, entry.content, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def filename(subject: User, at: datetime) -> str:
    return f"handvat-subject-access-{subject.pk}-{timezone.localtime(at):%Y%m%d-%H%M}.zip"


# --- The service ------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectAccessExport:
    filename: str
    content: bytes
    case_ids: frozenset[int]


@transaction.atomic
@records_actor
def subject_access_export(*, actor: User, subject: User, request: HttpRequest | None = None) -> SubjectAccessExport:
    """Make the export and log it: an access-log row per case in it (and one
    naming the person when no case is), each naming the privacy officer."""
    at = timezone.now()
    collected = collect(subject)
    document = pdf.render(
        "exports/subject_access/pdf.html",
        {"collected": collected, "note": NOTE, "subject": collected.subject},
        exporter=actor,
        request=request,
    )
    content = pack(collected, exporter=actor, at=at, pdf_content=document.content)
    for case_id in sorted(collected.case_ids) or [None]:
        access_log_record(
            user=actor, action=AccessLog.Action.EXPORT, case_id=case_id, object_kind=LOG_KIND, object_id=subject.pk
        )
    logger.info(
        "subject access export by=%s subject=%s cases=%s files=%s",
        actor.pk,
        subject.pk,
        len(collected.case_ids),
        sum(1 for entry in collected.files if entry.path),
    )
    return SubjectAccessExport(filename(subject, at), content, frozenset(collected.case_ids))
