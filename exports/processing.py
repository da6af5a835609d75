"""The record of processing activities (GDPR article 30), as data.

Every concrete field of every model of Handvat's own apps is classified here:
``PERSONAL`` (personal data), ``SPECIAL`` (special categories of article 9,
such as health, and criminal-offence data of article 10) or ``NONE``. Each
model names the processing activity it serves: purpose, legal basis,
retention and recipients. The privacy officer's page and its CSV are made
from this module, and ``tests/security/test_processing.py`` fails when a field
is missing here or listed here but gone, so a new field cannot be forgotten.

History models (django-simple-history) follow their model: their copies of
the model's fields carry the same class, the bookkeeping fields are
``HISTORY_FIELDS``.

The legal bases and retention periods are the defaults Handvat ships with;
the organisation's privacy officer confirms or adapts them (README › Privacy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PERSONAL = "personal"
SPECIAL = "special"
NONE = "none"

CATEGORY_LABELS: dict[str, Promise] = {
    PERSONAL: _("Personal data"),
    SPECIAL: _("Special category or criminal-offence data"),
    NONE: _("No personal data"),
}

#: The apps whose models the record covers.
APPS = ("people", "notifications", "prevention", "doxing_cases", "aftercare", "exports")


@dataclass(frozen=True)
class Activity:
    key: str
    name: Promise
    purpose: Promise
    legal_basis: Promise
    retention: Promise
    recipients: Promise


_CASE_BASIS = _(
    "Art. 6(1)(c) GDPR: the employer's duty of care for safe work (Working Conditions Act art. 3, Civil Code "
    "art. 7:658). Health data: art. 9(2)(b) GDPR with UAVG art. 30. Criminal-offence data: art. 10 GDPR with "
    "UAVG art. 33 (supporting the employee's police report)."
)
_CASE_RETENTION = _(
    "Until the retention period after the case is closed (HANDVAT_RETENTION, default five years), unless a "
    "legal hold suspends it; then erased with its history and files."
)

ACTIVITIES: dict[str, Activity] = {
    activity.key: activity
    for activity in (
        Activity(
            "organisation",
            _("Organisation and user accounts"),
            _("Knowing who works where, who manages whom and who may do what in Handvat."),
            _("Art. 6(1)(b) and (c) GDPR: the employment relationship and the employer's duty of care."),
            _("As long as the account exists; history rows with the account."),
            _("Coordinators and managers within the organisation; the administrator."),
        ),
        Activity(
            "access_log",
            _("Access log"),
            _("Showing who read which case data, to detect and investigate misuse (art. 5(2) and 32 GDPR)."),
            _("Art. 6(1)(c) GDPR: the security and accountability duties of art. 5(2) and 32 GDPR."),
            _("HANDVAT_ACCESS_LOG_RETENTION_DAYS (default two years); never changed, not deleted sooner."),
            _("The privacy officer."),
        ),
        Activity(
            "notifications",
            _("Reminders and notifications"),
            _("Making the next step of the support happen on time (peer support, check-ins, reviews)."),
            _CASE_BASIS,
            _("With the case they belong to; other reminders as long as the account exists."),
            _("The recipient of each reminder; an e-mail says only what to do, never what is in the case."),
        ),
        Activity(
            "prevention",
            _("Prevention"),
            _("Training, briefing risk checks, the exposure audit, debriefs and readiness (recommendations 1-8)."),
            _("Art. 6(1)(c) GDPR: the employer's duty to inform and train staff (Working Conditions Act art. 8)."),
            _("Training records as long as the employment lasts; other records while they are relevant."),
            _("Coordinators, HR (training) and the managers of the team concerned."),
        ),
        Activity(
            "case",
            _("Handling a doxing case"),
            _(
                "Receiving the report, supporting the employee, collecting evidence, removing content, security "
                "measures and the police report (recommendations 9-22)."
            ),
            _CASE_BASIS,
            _CASE_RETENTION,
            _(
                "The case's coordinator and, each only their part, the employee, their manager, the involved "
                "specialist, security officer, peer supporter and departments; the police when a report is filed; "
                "platforms receive a takedown request with the URLs only."
            ),
        ),
        Activity(
            "aftercare",
            _("Aftercare and evaluation"),
            _(
                "Flare-up moments, long-term follow-up, the evaluation and the employee's feedback "
                "(recommendations 23-28)."
            ),
            _CASE_BASIS,
            _CASE_RETENTION,
            _("The case's coordinator, the employee, their manager (support side); lessons carry no identity."),
        ),
        Activity(
            "exports",
            _("Case reports and exports"),
            _("Need-to-know case reports for HR and the police, and the record of what was exported."),
            _CASE_BASIS,
            _CASE_RETENTION,
            _("HR while the coordinator's grant runs; the police (police pack); the employee (their copy)."),
        ),
    )
}


@dataclass(frozen=True)
class ModelRecord:
    activity: str
    fields: dict[str, str] = field(default_factory=dict)


def _record(activity: str, *, personal: str = "", special: str = "", none: str = "") -> ModelRecord:
    classes: dict[str, str] = {}
    for category, names in ((PERSONAL, personal), (SPECIAL, special), (NONE, none)):
        for name in names.split():
            if name in classes:
                raise ValueError(f"{name} is classified twice")
            classes[name] = category
    return ModelRecord(activity, classes)


#: The bookkeeping fields of every history model; history_user says who changed a row.
HISTORY_FIELDS: dict[str, str] = {
    "history_id": NONE,
    "history_date": NONE,
    "history_change_reason": NONE,
    "history_type": NONE,
    "history_user": PERSONAL,
}

MODELS: dict[str, ModelRecord] = {
    # --- people ---
    "people.Organisation": _record("organisation", none="id name address support_phone"),
    "people.Team": _record("organisation", none="id organisation name", personal="managers"),
    # The history of Team.managers (simple-history keeps one row per member per change).
    "people.HistoricalTeam_managers": _record("organisation", none="id team history m2m_history_id", personal="user"),
    "people.User": _record(
        "organisation",
        personal="username first_name last_name email last_login date_joined team is_active groups user_permissions",
        none="id password is_superuser is_staff",
    ),
    "people.AccessLog": _record(
        "access_log", personal="at user username", none="id action case_id object_kind object_id"
    ),
    "people.RosterEntry": _record("organisation", personal="user available note", none="id updated_at"),
    # --- notifications ---
    "notifications.Reminder": _record(
        "notifications",
        personal="recipient escalate_to",
        none=(
            "id kind case_id label link due_at key created_at sent_at cancelled_at failed_at "
            "email_queued_at emailed_at attempts"
        ),
    ),
    "notifications.Notification": _record(
        "notifications", personal="recipient read_at", none="id kind reminder case_id label link created_at"
    ),
    "notifications.EmailPreference": _record("notifications", personal="user", none="id kind email"),
    # --- prevention ---
    "prevention.Article": _record(
        "prevention",
        personal="updated_by",
        none=(
            "id slug topic title_nl title_en summary_nl summary_en body_nl body_en order published "
            "reviewed_on updated_at"
        ),
    ),
    "prevention.TrainingModule": _record("prevention", none="id title kind description active"),
    "prevention.TrainingSession": _record(
        "prevention", personal="trainer created_by", none="id module held_on location"
    ),
    "prevention.TrainingAttendance": _record("prevention", personal="session user recorded_by", none="id"),
    "prevention.Deployment": _record(
        "prevention",
        personal="created_by",
        none=(
            "id title held_on team location public_attention filming_expected earlier_incidents social_unrest "
            "staff_recognisable risk discussed_in_briefing created_at"
        ),
    ),
    "prevention.ExposureItem": _record(
        "prevention",
        personal="title location owner note updated_by",
        none="id kind decision review_on updated_at",
    ),
    "prevention.Debrief": _record("prevention", personal="note recorded_by", none="id team held_on topics"),
    "prevention.ReadinessItem": _record("prevention", personal="updated_by", none="id key done note updated_at"),
    "prevention.SelfScan": _record(
        "prevention", personal="user started_at completed_at open_follow_ups remind", none="id"
    ),
    # --- doxing_cases ---
    "doxing_cases.Case": _record(
        "case",
        personal=(
            "subject coordinator status threat_level incident_at opened_at first_contact_at closed_at urgent "
            "manager_may_know check_in_every_days next_check_in_at merged_into"
        ),
        none="id",
    ),
    "doxing_cases.CaseGrant": _record("case", personal="user content_object permission", none="id"),
    "doxing_cases.CaseEvent": _record(
        "case",
        personal="case at actor target_user other_case old_value new_value note",
        none="id kind action part content_type object_id shown_to_employee shown_to_manager",
    ),
    "doxing_cases.Decision": _record(
        "case",
        personal="case question options decision decided_by decided_on employee_heard employee_view recorded_by",
        special="about_perpetrator criminal_doxing_suspected police_alignment",
        none="id recorded_at",
    ),
    "doxing_cases.CommunicationAgreement": _record(
        "case",
        personal="case strategy spokesperson agreed_with_employee agreed_with_relatives notes agreed_on updated_by",
        none="id",
    ),
    "doxing_cases.PressEnquiry": _record(
        "case", personal="case received_at outlet question response handled_by", none="id"
    ),
    "doxing_cases.Involvement": _record(
        "case", personal="case user kind department note started_at started_by ended_at ended_by", none="id"
    ),
    "doxing_cases.ExposedItem": _record(
        "case",
        personal="case kind detail platform urls found_at risk status created_by created_at",
        none="id",
    ),
    "doxing_cases.Evidence": _record(
        "case",
        personal="case exposed_item url url_normalized platform captured_at received_at description collected_by "
        "file original_name",
        none="id content_type size sha256 original_sha256",
    ),
    "doxing_cases.TakedownRequest": _record(
        "case",
        personal="case exposed_item url url_normalized recipient sent_on sent_by answer answered_on created_by",
        none="id route answer_due status created_at",
    ),
    "doxing_cases.DoxerIdentifier": _record(
        "case",
        personal="case added_by",
        special="kind platform value normalized",
        none="id added_at",
    ),
    "doxing_cases.Report": _record(
        "case",
        personal=(
            "case subject reporter filed_at received_via description in_danger started_at started_time_known "
            "platforms urls behaviours leaked_data relatives_affected contact_method contact_phone contact_times "
            "manager_may_know"
        ),
        none="id",
    ),
    "doxing_cases.ReportAttachment": _record(
        "case",
        personal="report file original_name uploaded_by uploaded_at",
        none="id content_type size sha256 original_sha256",
    ),
    # The key that seals the case's files on disk: a credential, no personal data of its own.
    "doxing_cases.CaseKey": _record("case", personal="case", none="key created_at"),
    "doxing_cases.LegalHold": _record(
        "case", personal="case placed_by lifted_by", special="reason until", none="id placed_at lifted_at"
    ),
    "doxing_cases.ThreatAssessment": _record(
        "case", personal="case level assessed_by assessed_at", special="basis police_consulted", none="id"
    ),
    "doxing_cases.SecurityMeasure": _record(
        "case",
        personal=(
            "case kind for_whom description responsible_department status start_on next_review_on employee_view "
            "relatives_view phase_out_guidance end_on created_by created_at"
        ),
        none="id",
    ),
    "doxing_cases.PoliceReport": _record(
        "case",
        personal="case kind filed_by vpt employer_address filed_on status created_by created_at",
        special="offences police_reference notes",
        none="id",
    ),
    "doxing_cases.PoliceReportDecline": _record(
        "case", personal="case recorded_by recorded_at", special="reason follow_up_on", none="id"
    ),
    "doxing_cases.PeerSupportContact": _record(
        "case", personal="case offered_at offered_by next_contact_on recorded_at", special="response", none="id"
    ),
    "doxing_cases.CheckIn": _record(
        "case", personal="case at by team_talked next_check_in_on", special="wellbeing relatives needs", none="id"
    ),
    "doxing_cases.SupportActivity": _record("case", personal="case kind held_on by", special="note", none="id"),
    "doxing_cases.Referral": _record("case", personal="case referred_on by", special="to to_detail consent", none="id"),
    "doxing_cases.Message": _record("case", personal="case sender sent_at read_at", special="body", none="id"),
    "doxing_cases.Task": _record(
        "case",
        personal="case title owner due_at status created_by created_at done_at done_by",
        none="id kind part key",
    ),
    # --- aftercare ---
    "aftercare.FlareUpMoment": _record(
        "aftercare",
        personal=(
            "case kind on at_time description alert_manager alert_specialist alert_employee status outcome "
            "outcome_recorded_at created_by created_at"
        ),
        none="id offsets",
    ),
    "aftercare.AftercareChecklist": _record("aftercare", personal="case items recorded_by recorded_at", none="id"),
    "aftercare.FollowUp": _record(
        "aftercare",
        personal="case planned_on owner reason status held_on created_by",
        special="work_impact needs",
        none="id",
    ),
    "aftercare.Evaluation": _record(
        "aftercare",
        personal="case held_with held_on went_well can_be_better recorded_by recorded_at",
        none="id for_organisation for_guideline_steps",
    ),
    "aftercare.Lesson": _record("aftercare", personal="written_by", none="id theme title text written_at"),
    "aftercare.Feedback": _record(
        "aftercare",
        personal="case knew_contact involved_in_decisions support_in_time measures_fitted overall comment submitted_at",
        none="id",
    ),
    "aftercare.CalendarFeed": _record("aftercare", personal="user token created_at", none="id"),
    # --- exports ---
    "exports.HrExportGrant": _record(
        "exports",
        personal="case hr_user valid_until reason granted_by granted_at revoked_at revoked_by",
        none="id",
    ),
    "exports.CaseExport": _record(
        "exports", personal="case exported_by exported_at police_report", none="id document profile pages"
    ),
}


def project_models() -> list[type[models.Model]]:
    return [model for app in APPS for model in apps.get_app_config(app).get_models()]


def model_fields(model: type[models.Model]) -> list[str]:
    """Every field a model stores: its columns and its many-to-many tables."""
    return [f.name for f in model._meta.concrete_fields] + [f.name for f in model._meta.local_many_to_many]


def _base_of(model: type[models.Model]) -> type[models.Model] | None:
    """The model a django-simple-history model keeps the history of (None: not a history model)."""
    return getattr(model, "instance_type", None) if model.__name__.startswith("Historical") else None


def is_history(model: type[models.Model]) -> bool:
    """A django-simple-history model (also the history of a many-to-many field)."""
    return model.__name__.startswith("Historical")


def classification(model: type[models.Model]) -> tuple[ModelRecord | None, dict[str, str]]:
    """The record and the class of each field the registry gives ``model``."""
    label = model._meta.label
    if label in MODELS:
        return MODELS[label], dict(MODELS[label].fields)
    base = _base_of(model)
    if base is not None and base._meta.label in MODELS:
        record = MODELS[base._meta.label]
        return record, {**record.fields, **HISTORY_FIELDS}
    return None, {}


def unclassified_fields() -> list[str]:
    """``app.Model.field`` for every stored field the registry does not classify."""
    missing = []
    for model in project_models():
        _record_of, classes = classification(model)
        missing += [f"{model._meta.label}.{name}" for name in model_fields(model) if name not in classes]
    return missing


def stale_entries() -> list[str]:
    """Entries in the registry for a model or field that no longer exists."""
    stale = []
    for label, record in MODELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            stale.append(label)
            continue
        if record.activity not in ACTIVITIES:
            stale.append(f"{label} (activity {record.activity})")
        present = set(model_fields(model))
        stale += [f"{label}.{name}" for name in record.fields if name not in present]
    return stale


@dataclass
class ModelEntry:
    label: str
    name: str
    fields: list[tuple[str, str, str, bool]]  # (field name, verbose name, class, encrypted at rest)
    history: bool = False

    @property
    def special(self) -> list[tuple[str, str, str, bool]]:
        return [f for f in self.fields if f[2] == SPECIAL]

    @property
    def personal(self) -> list[tuple[str, str, str, bool]]:
        return [f for f in self.fields if f[2] == PERSONAL]

    @property
    def other(self) -> list[tuple[str, str, str, bool]]:
        return [f for f in self.fields if f[2] == NONE]


@dataclass
class ActivityEntry:
    activity: Activity
    models: list[ModelEntry] = field(default_factory=list)


def record_of_processing() -> list[ActivityEntry]:
    """The record, activity by activity, with every (non-history) model and its fields."""
    entries = {key: ActivityEntry(activity) for key, activity in ACTIVITIES.items()}
    for model in project_models():
        record, classes = classification(model)
        if record is None or is_history(model):
            continue
        fields = []
        for name in model_fields(model):
            field_ = model._meta.get_field(name)
            verbose = str(getattr(field_, "verbose_name", name))
            fields.append((name, verbose, classes.get(name, NONE), getattr(field_, "encrypted", False)))
        history = any(_base_of(other) is model for other in project_models())
        entries[record.activity].models.append(
            ModelEntry(model._meta.label, str(model._meta.verbose_name), fields, history)
        )
    return [entry for entry in entries.values() if entry.models]


def csv_rows() -> list[list[Any]]:
    """One row per field, for the CSV download."""
    rows = []
    for entry in record_of_processing():
        activity = entry.activity
        for model in entry.models:
            for name, verbose, category, encrypted in model.fields:
                rows.append(
                    [
                        str(activity.name),
                        model.label,
                        name,
                        verbose,
                        str(CATEGORY_LABELS[category]),
                        str(_("yes") if encrypted else _("no")),
                        str(activity.purpose),
                        str(activity.legal_basis),
                        str(activity.retention),
                        str(activity.recipients),
                    ]
                )
    return rows


def retention_settings() -> dict[str, Any]:
    """The retention periods in force, shown beside the record."""
    return {
        "access_log_days": settings.HANDVAT_ACCESS_LOG_RETENTION_DAYS,
        "retention": getattr(settings, "HANDVAT_RETENTION", {}),
    }
