"""Action items on a case: made by hand, and by the parts of a case that
need something done by a date (a takedown answer overdue, a security review)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models.case import Case
from doxing_cases.models.choices import Part
from people.history import historical_records


class Task(models.Model):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("Task")
        TAKEDOWN_FOLLOW_UP = "takedown_follow_up", _("Follow up a takedown request")
        MEASURE_REVIEW = "measure_review", _("Review a security measure")
        POLICE_FOLLOW_UP = "police_follow_up", _("Talk again about a police report")
        FLARE_UP_MONITORING = "flare_up_monitoring", _("Watch online around a moment of attention")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("what"), max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MANUAL)
    part = models.CharField(_("part of the case"), max_length=12, choices=Part.choices, default=Part.COORDINATION)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("who")
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    #: Set for tasks the system makes, so making one twice changes nothing.
    key = models.CharField(max_length=100, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = historical_records()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["case", "status", "due_at"]),
            models.Index(fields=["owner", "status", "due_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()
