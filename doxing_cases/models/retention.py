"""Retention: a legal hold keeps a closed case past its erasure date.

A hold is a row of its own (not a flag on the case) so that every hold placed
and lifted stays visible with who, when and why, and its history is kept like
every other row of case data. It is erased together with its case.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models.case import Case
from people.history import historical_records


class LegalHold(models.Model):
    """While a hold is in force, the case is not erased (e.g. until a court case ends)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_holds", verbose_name=_("case"))
    reason = models.CharField(
        _("why the case must be kept"),
        max_length=300,
        help_text=_("For example: a court case against the doxer is running. No details about the employee."),
    )
    until = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Optional. Leave empty when the end is not known yet; you can lift the hold at any time."),
    )
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = historical_records()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} hold {self.pk}"

    def in_force(self, today: dt.date | None = None) -> bool:
        """Not lifted, and its end date (if any) not passed (Europe/Amsterdam)."""
        today = today or timezone.localdate()
        return self.lifted_at is None and (self.until is None or self.until >= today)

    def ended_at(self) -> dt.datetime | None:
        """When the hold stopped counting: lifted, or the day after its end date began."""
        if self.lifted_at is not None:
            return self.lifted_at
        if self.until is None:
            return None
        day_after = self.until + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day_after, dt.time.min))
