"""What the exports keep: HR's grants to export a case, and a row per export.

Both belong to a case and keep their history, like every row of case data:
who granted HR an export, until when, and who revoked it; who exported which
case, in which profile, and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models import Case, PoliceReport
from people.history import historical_records


class HrExportGrant(models.Model):
    """The coordinator lets one HR user export the case's report, until a date.

    The grant counts up to and including ``valid_until`` (Europe/Amsterdam);
    after that, or once revoked, the case answers 404 for that HR user again.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hr_export_grants")
    hr_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hr_export_grants", verbose_name=_("HR")
    )
    valid_until = models.DateField(_("until"))
    reason = models.CharField(_("why HR needs it"), max_length=300, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = historical_records()

    class Meta:
        verbose_name = _("HR export grant")
        verbose_name_plural = _("HR export grants")
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["hr_user", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.case} HR grant {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.valid_until >= timezone.localdate()


class CaseExport(models.Model):
    """One PDF made of a case: who, when, which document and which profile."""

    class Document(models.TextChoices):
        CASE_REPORT = "case_report", _("Case report")
        POLICE_PACK = "police_pack", _("Police pack")

    class Profile(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        HR = "hr", _("HR (need to know)")
        EMPLOYEE = "employee", _("Employee copy")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exports")
    document = models.CharField(_("document"), max_length=12, choices=Document.choices)
    profile = models.CharField(_("profile"), max_length=12, choices=Profile.choices)
    police_report = models.ForeignKey(PoliceReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now)
    pages = models.PositiveIntegerField(default=0)
    history = historical_records()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-exported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.document} {self.exported_at:%Y-%m-%d %H:%M}"
