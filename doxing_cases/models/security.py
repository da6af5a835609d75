"""Threat, security and the police (recommendations 13, 19, 21, 22)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doxing_cases.models.case import Case
from doxing_cases.models.choices import Behaviour, Level, labels
from people.crypto import EncryptedTextField
from people.history import historical_records


class ThreatAssessment(models.Model):
    """A judgement of the threat; the newest one sets the case's threat level."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="threat_assessments")
    level = models.PositiveSmallIntegerField(
        _("threat level"), choices=[c for c in Level.choices if c[0] != Level.UNKNOWN]
    )
    basis = EncryptedTextField(_("what it is based on"), max_length=5_000)
    police_consulted = models.BooleanField(_("police consulted"), default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("threat assessment")
        verbose_name_plural = _("threat assessments")
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} threat {self.level}"


class SecurityMeasure(models.Model):
    """A measure for the employee and/or relatives, reviewed until it is phased out."""

    class Kind(models.TextChoices):
        BRP_SHIELDING = "brp", _("Shielding in the municipal personal records (BRP)")
        RDW_SHIELDING = "rdw", _("Shielding in the vehicle registry (RDW)")
        KVK_SHIELDING = "kvk", _("Shielding in the chamber of commerce register (KvK)")
        CAMERA = "camera", _("Camera at home")
        ALARM = "alarm", _("Alarm or panic button")
        SURVEILLANCE = "surveillance", _("Extra surveillance by the police")
        ROUTE = "route", _("Changed route, roster or workplace")
        TEMPORARY_STAY = "stay", _("Temporary stay elsewhere")
        OTHER = "other", _("Other")

    class ForWhom(models.TextChoices):
        EMPLOYEE = "employee", _("The employee")
        RELATIVES = "relatives", _("Relatives")
        BOTH = "both", _("The employee and relatives")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", pgettext_lazy("security measure status", "Active")
        PHASING_OUT = "phasing_out", _("Being phased out")
        ENDED = "ended", _("Ended")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="security_measures")
    kind = models.CharField(_("measure"), max_length=12, choices=Kind.choices)
    for_whom = models.CharField(_("for"), max_length=10, choices=ForWhom.choices, default=ForWhom.EMPLOYEE)
    description = EncryptedTextField(_("details"), max_length=5_000, blank=True)
    responsible_department = models.CharField(_("responsible department"), max_length=100)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    start_on = models.DateField(_("start"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    employee_view = EncryptedTextField(
        _("what the employee says"),
        max_length=2_000,
        blank=True,
        help_text=_("Does it fit their life and their needs? What do they want?"),
    )
    relatives_view = EncryptedTextField(_("what relatives say"), max_length=2_000, blank=True)
    phase_out_guidance = EncryptedTextField(
        _("guidance when phasing out"),
        max_length=2_000,
        blank=True,
        help_text=_("How the employee is guided when the measure stops."),
    )
    end_on = models.DateField(_("end"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("security measure")
        verbose_name_plural = _("security measures")
        ordering = ["status", "next_review_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} measure {self.pk}"


class PoliceReport(models.Model):
    """A melding or aangifte, filed by the employer or by the employee."""

    class Kind(models.TextChoices):
        MELDING = "melding", _("Notification (melding)")
        AANGIFTE = "aangifte", _("Formal report (aangifte)")

    class FiledBy(models.TextChoices):
        EMPLOYER = "employer", _("The employer, with the employee as witness")
        EMPLOYEE = "employee", _("The employee")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        FILED = "filed", _("Filed")
        INVESTIGATING = "investigating", _("Under investigation")
        PROSECUTION = "prosecution", _("Prosecution")
        DISMISSED = "dismissed", _("Dismissed")
        CLOSED = "closed", _("Closed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="police_reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    filed_by = models.CharField(_("filed by"), max_length=10, choices=FiledBy.choices, default=FiledBy.EMPLOYER)
    vpt = models.BooleanField(
        _("marked as a VPT case"),
        default=True,
        help_text=_("Veilige Publieke Taak: the police give it priority."),
    )
    employer_address = models.BooleanField(_("the employer's address is used, not the home address"), default=True)
    offences = models.JSONField(_("offences it covers"), default=list, blank=True)
    police_reference = models.CharField(_("police reference"), max_length=100, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.PLANNED)
    notes = EncryptedTextField(_("notes"), max_length=5_000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("police report")
        verbose_name_plural = _("police reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} police report {self.pk}"

    def offence_labels(self) -> list[str]:
        return labels(Behaviour, self.offences)


class PoliceReportDecline(models.Model):
    """The employee does not want to report (yet): why, and when to talk again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="police_declines")
    reason = EncryptedTextField(_("the employee's reason"), max_length=2_000)
    follow_up_on = models.DateField(_("talk about it again on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("decision not to report to the police")
        verbose_name_plural = _("decisions not to report to the police")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} no police report {self.pk}"
