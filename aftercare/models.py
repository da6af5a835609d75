"""Phase 3, aftercare (recommendations 23–28): moments the threat may flare up,
the move to aftercare, long-term follow-up, evaluation, lessons for the
organisation, and the employee's feedback.

Every model that holds case data keeps its history; lessons carry no identity
and no link to the case they came from.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models import Case
from people.crypto import EncryptedTextField
from people.history import historical_records


def default_offsets() -> list[int]:
    return list(settings.HANDVAT_FLARE_UP_OFFSETS)


class FlareUpMoment(models.Model):
    """A future moment the threat may flare up (recommendations 23, 25)."""

    class Kind(models.TextChoices):
        MEDIA = "media", _("Media attention")
        YEAR_END = "year_end", _("Year-end review")
        COMMEMORATION = "commemoration", _("Commemoration")
        ANNIVERSARY = "anniversary", _("Anniversary of the incident")
        DEBATE = "debate", _("Political debate")
        HEARING = "hearing", _("Hearing")
        COURT_CASE = "court_case", _("Court case")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flare_up_moments")
    kind = models.CharField(_("what"), max_length=14, choices=Kind.choices)
    on = models.DateField(_("date"))
    at_time = models.TimeField(_("time, if known"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=2_000, blank=True)
    alert_manager = models.BooleanField(_("alert the manager"), default=True)
    alert_specialist = models.BooleanField(_("alert the online specialist"), default=True)
    alert_employee = models.BooleanField(
        _("alert the employee"), default=False, help_text=_("Only when the employee wants to be reminded.")
    )
    offsets = models.JSONField(_("alerts, days before"), default=default_offsets)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    outcome = models.TextField(_("how it went"), max_length=5_000, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("flare-up moment")
        verbose_name_plural = _("flare-up moments")
        ordering = ["on", "at_time", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.on}"


class AftercareChecklist(models.Model):
    """How the case moved from active to aftercare: each item of the checklist,
    whether it was done, and the reason when it was accepted unfinished."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="aftercare_checklists")
    items = models.JSONField(_("checklist"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("aftercare checklist")
        verbose_name_plural = _("aftercare checklists")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} checklist {self.pk}"


class FollowUp(models.Model):
    """A long-term follow-up conversation (recommendation 24): how the incident
    affects the work, and what the employee needs to get back to where they want to be."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    planned_on = models.DateField(_("planned on"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("who")
    )
    reason = models.CharField(_("why"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    work_impact = EncryptedTextField(_("how the incident affects the work"), max_length=2_000, blank=True)
    needs = EncryptedTextField(
        _("what the employee needs to get back to where they want to be, and who can help"),
        max_length=2_000,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = historical_records()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} follow-up {self.planned_on}"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.PLANNED and self.planned_on < timezone.localdate()


class Evaluation(models.Model):
    """What went well and what can be better, with the employee or with the team (26, 28)."""

    class With(models.TextChoices):
        EMPLOYEE = "employee", _("With the employee")
        TEAM = "team", _("With the team")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    held_with = models.CharField(_("held"), max_length=10, choices=With.choices)
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    went_well = models.TextField(_("what went well"), max_length=5_000)
    can_be_better = models.TextField(_("what can be better"), max_length=5_000)
    for_organisation = models.TextField(_("what the organisation can learn"), max_length=5_000, blank=True)
    for_guideline_steps = models.TextField(
        _("about the steps we followed"),
        max_length=5_000,
        blank=True,
        help_text=_("Reporting, coordination, evidence and removal, security, police, support, aftercare."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} evaluation {self.pk}"


class Lesson(models.Model):
    """A lesson for the organisation's knowledge library (27, 28).

    It carries no identity and, on purpose, no link to the case it came from:
    its text is checked against the case's identifying data before it is saved.
    """

    class Theme(models.TextChoices):
        REPORTING = "reporting", _("Reporting")
        COORDINATION = "coordination", _("Coordination")
        ONLINE = "online", _("Evidence and removal")
        SECURITY = "security", _("Security")
        POLICE = "police", _("Police")
        SUPPORT = "support", _("Support")
        COMMUNICATION = "communication", _("Communication")
        AFTERCARE = "aftercare", _("Aftercare")
        PREVENTION = "prevention", _("Prevention")

    theme = models.CharField(_("theme"), max_length=14, choices=Theme.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("lesson"), max_length=5_000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["theme", "-written_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Feedback(models.Model):
    """The employee's view of how the support worked, asked when the case closes.
    Used only in aggregated statistics, never shown per person to their manager."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="feedback")
    knew_contact = models.PositiveSmallIntegerField(
        _("I knew who to turn to"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    involved_in_decisions = models.PositiveSmallIntegerField(
        _("I was involved in the decisions about me"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    support_in_time = models.PositiveSmallIntegerField(
        _("Support came at the right moments"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    measures_fitted = models.PositiveSmallIntegerField(
        _("The measures fitted my life"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    overall = models.PositiveSmallIntegerField(
        _("Overall, my organisation helped me"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("anything else"), max_length=2_000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.case} feedback"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address (an .ics feed of flare-up moments)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
