"""People the coordinator involves in a case, each for one part of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models.case import Case
from doxing_cases.models.choices import Part
from people.history import historical_records


class Involvement(models.Model):
    """One person working on one part of a case, from ``started_at`` until ``ended_at``.

    While it runs, the person holds the matching grant (``people/access.py``);
    ending it takes the grant away at once.
    """

    class Kind(models.TextChoices):
        SPECIALIST = "specialist", _("Online specialist")
        SECURITY = "security", _("Security officer")
        PEER = "peer", _("Peer supporter")
        DEPARTMENT = "department", _("Department contact")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements")
    kind = models.CharField(_("as"), max_length=12, choices=Kind.choices)
    department = models.CharField(
        _("department"), max_length=100, blank=True, help_text=_("For a department contact, e.g. Communication.")
    )
    note = models.CharField(_("what they are asked to do"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = historical_records()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "kind"],
                condition=Q(ended_at__isnull=True),
                name="involvement_once_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    @property
    def part(self) -> str:
        """The part of the case this person works on (timeline lines, tasks)."""
        return {
            self.Kind.SPECIALIST: Part.ONLINE,
            self.Kind.SECURITY: Part.SECURITY,
            self.Kind.PEER: Part.SUPPORT,
        }.get(self.kind, Part.CASE)
