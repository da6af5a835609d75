"""Decisions taken with the employee, and how the organisation communicates
(recommendations 12, 13, 14, 16)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models.case import Case
from people.history import historical_records


class Decision(models.Model):
    """A decision on the case, taken with the employee, not about them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    question = models.CharField(_("question"), max_length=300)
    options = models.TextField(_("options weighed"), max_length=5_000, blank=True)
    decision = models.TextField(_("decision"), max_length=5_000)
    decided_by = models.CharField(_("decided by"), max_length=200)
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)
    employee_heard = models.BooleanField(_("the employee was heard"), default=True)
    employee_view = models.TextField(_("the employee's view and wish"), max_length=2_000, blank=True)
    about_perpetrator = models.BooleanField(
        _("about the (suspected) perpetrator"),
        default=False,
        help_text=_("For example inviting them for an informal talk."),
    )
    criminal_doxing_suspected = models.BooleanField(_("criminal doxing is suspected"), default=False)
    police_alignment = models.TextField(
        _("alignment with the police"),
        max_length=2_000,
        blank=True,
        help_text=_("Required for a decision about the perpetrator when criminal doxing is suspected."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def needs_police_alignment(self) -> bool:
        return self.about_perpetrator and self.criminal_doxing_suspected


class CommunicationAgreement(models.Model):
    """How the organisation handles media and the public, agreed with the employee."""

    class Strategy(models.TextChoices):
        SPEAK_OUT = "speak_out", _("Speak out")
        SILENT = "silent", _("Stay silent")
        REACTIVE = "reactive", _("Only answer questions (reactive)")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="communication_agreement")
    strategy = models.CharField(_("approach"), max_length=10, choices=Strategy.choices)
    spokesperson = models.CharField(_("spokesperson"), max_length=200, blank=True)
    agreed_with_employee = models.BooleanField(_("agreed with the employee"), default=False)
    agreed_with_relatives = models.BooleanField(_("agreed with relatives"), default=False)
    notes = models.TextField(_("notes"), max_length=5_000, blank=True)
    agreed_on = models.DateField(_("agreed on"), default=timezone.localdate)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = historical_records()

    class Meta:
        verbose_name = _("communication agreement")
        verbose_name_plural = _("communication agreements")

    def __str__(self) -> str:
        return f"{self.case} communication"


class PressEnquiry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="press_enquiries")
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    outlet = models.CharField(_("from (medium, journalist)"), max_length=200)
    question = models.TextField(_("question"), max_length=2_000)
    response = models.TextField(_("our answer"), max_length=5_000, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = historical_records()

    class Meta:
        verbose_name = _("press enquiry")
        verbose_name_plural = _("press enquiries")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} press {self.pk}"
