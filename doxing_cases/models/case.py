"""The central Case, its grants and its timeline."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from doxing_cases.models.choices import Level, Part
from people.crypto import EncryptedTextField
from people.history import historical_records


class Case(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGE = "triage", _("Triage")
        ACTIVE = "active", _("Active")
        AFTERCARE = "aftercare", _("Aftercare")
        CLOSED = "closed", _("Closed")

    ThreatLevel = Level

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_as_subject",
        verbose_name=_("employee"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
        verbose_name=_("coordinator"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    threat_level = models.PositiveSmallIntegerField(_("threat level"), choices=Level.choices, default=Level.UNKNOWN)
    incident_at = models.DateTimeField(_("started or first noticed"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    urgent = models.BooleanField(_("someone was in danger when reported"), default=False)
    manager_may_know = models.BooleanField(_("the manager may know"), default=True)
    check_in_every_days = models.PositiveSmallIntegerField(
        _("check in every (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("While the case is active, the manager is reminded this often to ask how it goes."),
    )
    #: When the next check-in is due, kept by the support services (the dashboard's overdue marker).
    next_check_in_at = models.DateTimeField(_("next check-in due"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    history = historical_records()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        default_permissions = ("change",)
        permissions = [
            ("view_case_full", _("See the whole case")),
            ("view_case_own", _("See one's own case")),
            ("view_case_support", _("See the support side of the case")),
            ("view_case_online", _("Work on the online side of the case")),
            ("view_case_security", _("Work on the security side of the case")),
            ("view_case_peer", _("Offer peer support on the case")),
            ("view_case_department", _("Work on the case for a department")),
        ]
        indexes = [
            models.Index(fields=["status", "opened_at"]),
            models.Index(fields=["coordinator", "status"]),
            # The dashboard's order for one coordinator: its first page is read
            # from this index instead of sorting every case they hold.
            models.Index(fields=["coordinator", "-urgent", "-threat_level", "opened_at"], name="case_dashboard_order"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"HV-{self.pk:04d}" if self.pk else "HV-…"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def days_open(self) -> int:
        end = self.closed_at or timezone.now()
        return max((end - self.opened_at).days, 0)


class CaseGrant(UserObjectPermissionBase):
    """A django-guardian grant of one part of one case to one user.

    A direct foreign key (not guardian's generic table) keeps the lookups
    joinable and deletes grants with their case; the history shows who was
    given or lost access, and when.
    """

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")
    history = historical_records()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case grant")
        verbose_name_plural = _("case grants")


class CaseEvent(models.Model):
    """One line of the case timeline: who did what, when, and for whom it shows.

    Services write one with every change. ``part`` says which involved people
    see it (``people/access.py``); ``shown_to_employee`` and
    ``shown_to_manager`` open it to the employee and their manager. The line
    points at the row it is about (``obj``), so the page shows that row as it
    is now; the event itself carries no report content.
    """

    class Kind(models.TextChoices):
        REPORT_FILED = "report_filed", _("Report filed")
        REPORT_MOVED_IN = "report_moved_in", _("Report added from another case")
        REPORT_MOVED_OUT = "report_moved_out", _("Report moved to another case")
        COORDINATOR_SET = "coordinator_set", _("Coordinator")
        STATUS_CHANGED = "status_changed", _("Status changed")
        THREAT_CHANGED = "threat_changed", _("Threat assessed")
        FIRST_CONTACT = "first_contact", _("First contact with the employee")
        NOTE = "note", _("Note")
        MANAGER_CONSENT = "manager_consent", _("Manager's access changed")
        INVOLVED = "involved", _("Someone was involved")
        INVOLVEMENT_ENDED = "involvement_ended", _("An involvement ended")
        EXPOSED_ITEM = "exposed_item", _("Exposed data")
        EVIDENCE = "evidence", _("Evidence")
        TAKEDOWN = "takedown", _("Takedown request")
        IDENTIFIER = "identifier", _("Suspected doxer's account")
        POLICE_REPORT = "police_report", _("Police report")
        POLICE_DECLINED = "police_declined", _("No police report for now")
        SECURITY_MEASURE = "security_measure", _("Security measure")
        DECISION = "decision", _("Decision")
        COMMUNICATION = "communication", _("Communication agreement")
        PRESS_ENQUIRY = "press_enquiry", _("Press enquiry")
        TASK = "task", _("Task")
        PEER_CONTACT = "peer_contact", _("Peer support")
        CHECK_IN = "check_in", _("Check-in")
        SUPPORT_ACTIVITY = "support_activity", _("Support for the team or manager")
        REFERRAL = "referral", _("Referral to professional care")
        FLARE_UP = "flare_up", _("Moment of attention")
        AFTERCARE_CHECKLIST = "aftercare_checklist", _("Moved to aftercare")
        FOLLOW_UP = "follow_up", _("Follow-up conversation")
        GETTING_TO_ME = "getting_to_me", _("It is getting to the employee again")
        EVALUATION = "evaluation", _("Evaluation")

    class Action(models.TextChoices):
        ADDED = "added", _("added")
        CHANGED = "changed", _("changed")
        DONE = "done", _("done")
        ENDED = "ended", _("ended")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.ADDED)
    part = models.CharField(max_length=12, choices=Part.choices, default=Part.CASE)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    old_value = models.CharField(max_length=40, blank=True)
    new_value = models.CharField(max_length=40, blank=True)
    note = EncryptedTextField(blank=True, max_length=5_000)
    shown_to_employee = models.BooleanField(default=False)
    shown_to_manager = models.BooleanField(default=False)
    history = historical_records()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def get_new_status_display(self) -> str:
        return str(dict(Case.Status.choices).get(self.new_value, self.new_value))

    def get_new_threat_display(self) -> str:
        labels = {str(value): label for value, label in Level.choices}
        return str(labels.get(self.new_value, self.new_value))
