"""What an employee (or someone on their behalf) reports, and its files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models.case import Case
from doxing_cases.models.choices import Behaviour, LeakedData, Platform, labels
from doxing_cases.uploads import get_private_storage
from people.crypto import EncryptedCharField, EncryptedTextField
from people.history import historical_records


class Report(models.Model):
    class InDanger(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNSURE = "unsure", _("I am not sure")

    class Relatives(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("I don't know")

    class ReceivedVia(models.TextChoices):
        FORM = "form", _("The report form")
        PHONE = "phone", _("By phone, registered by a coordinator")
        IN_PERSON = "in_person", _("In person, registered by a coordinator")
        EMAIL = "email", _("By e-mail, registered by a coordinator")
        OTHER = "other", _("Otherwise, registered by a coordinator")

    class ContactMethod(models.TextChoices):
        NO_PREFERENCE = "any", _("No preference")
        PHONE = "phone", _("Phone call")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("In person")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports", verbose_name=_("case"))
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_about", verbose_name=_("about")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_filed", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    received_via = models.CharField(
        _("received via"), max_length=10, choices=ReceivedVia.choices, default=ReceivedVia.FORM
    )
    description = EncryptedTextField(_("what happened"), max_length=10_000)
    in_danger = models.CharField(_("someone in danger right now"), max_length=8, choices=InDanger.choices)
    started_at = models.DateTimeField(_("when it started"), null=True, blank=True)
    started_time_known = models.BooleanField(default=False)
    platforms = models.JSONField(_("where"), default=list, blank=True)
    urls = models.JSONField(_("links"), default=list, blank=True)
    behaviours = models.JSONField(_("kinds of behaviour"), default=list, blank=True)
    leaked_data = models.JSONField(_("personal details shared"), default=list, blank=True)
    relatives_affected = models.CharField(_("relatives affected"), max_length=8, choices=Relatives.choices, blank=True)
    contact_method = models.CharField(
        _("how to make contact"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.NO_PREFERENCE
    )
    contact_phone = EncryptedCharField(_("phone number for contact"), max_length=40, blank=True)
    contact_times = models.CharField(_("when contact suits"), max_length=200, blank=True)
    manager_may_know = models.BooleanField(_("the manager may know"), default=True)
    history = historical_records()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.case} / {self.pk}"

    @property
    def filed_on_behalf(self) -> bool:
        return self.reporter_id != self.subject_id

    @property
    def needs_emergency_guidance(self) -> bool:
        return self.in_danger != self.InDanger.NO

    def platform_labels(self) -> list[str]:
        return labels(Platform, self.platforms)

    def behaviour_labels(self) -> list[str]:
        return labels(Behaviour, self.behaviours)

    def leaked_data_labels(self) -> list[str]:
        return labels(LeakedData, self.leaked_data)


class ReportAttachment(models.Model):
    """A screenshot or document sent with a report, stored with no public URL."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(storage=get_private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(_("SHA-256 of the stored file"), max_length=64)
    original_sha256 = models.CharField(_("SHA-256 as uploaded"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
