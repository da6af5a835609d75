"""Psychosocial support (recommendations 15–18): peer support, the manager's
check-ins, support for the team and the manager, referrals, and messages
between the coordinator and the employee.

Only that support happened is recorded, with what is needed to keep it going:
never what was said in a conversation, never a diagnosis.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models.case import Case
from people.crypto import EncryptedCharField, EncryptedTextField
from people.history import historical_records


class PeerSupportContact(models.Model):
    """Peer support was offered: when, by whom, and the employee's answer."""

    class Response(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined for now")
        LATER = "later", _("Would like it later")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="peer_contacts")
    offered_at = models.DateTimeField(_("offered at"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("offered by")
    )
    response = models.CharField(_("the employee's answer"), max_length=10, choices=Response.choices)
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("peer-support contact")
        verbose_name_plural = _("peer-support contacts")
        ordering = ["-offered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} peer contact {self.pk}"


class CheckIn(models.Model):
    """The manager (or the coordinator) asked how it goes (recommendation 15)."""

    class Wellbeing(models.TextChoices):
        GOOD = "good", _("Doing well")
        OKAY = "okay", _("Doing all right")
        STRUGGLING = "struggling", _("Having a hard time")
        NOT_REACHED = "not_reached", _("Could not be reached")

    class Relatives(models.TextChoices):
        FINE = "fine", _("Doing all right")
        CONCERNS = "concerns", _("There are worries")
        NOT_DISCUSSED = "not_discussed", _("Not talked about")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="check_ins")
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    wellbeing = models.CharField(_("how the employee is doing"), max_length=12, choices=Wellbeing.choices)
    relatives = models.CharField(
        _("how family and housemates are doing"), max_length=14, choices=Relatives.choices, blank=True
    )
    needs = EncryptedTextField(
        _("what the employee needs"),
        max_length=1_000,
        blank=True,
        help_text=_("Practical needs only, such as time off or a different shift. No medical details."),
    )
    team_talked = models.BooleanField(_("talked about it with the team"), default=False)
    next_check_in_on = models.DateField(_("next check-in"), null=True, blank=True)
    history = historical_records()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} check-in {self.pk}"


class SupportActivity(models.Model):
    """Support for colleagues and for the manager themself (recommendation 18)."""

    class Kind(models.TextChoices):
        TEAM_TALK = "team_talk", _("Talk with the team")
        INTERVISION = "intervision", _("Intervision")
        MANAGER_SUPPORT = "manager_support", _("Support for the manager")
        COLLEAGUE_SUPPORT = "colleague_support", _("Support for a colleague")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_activities")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("when"), default=timezone.localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedCharField(
        _("note"), max_length=300, blank=True, help_text=_("Who took part, in general terms. Not what was said.")
    )
    history = historical_records()

    class Meta:
        verbose_name = _("support activity")
        verbose_name_plural = _("support activities")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class Referral(models.Model):
    """A referral to professional care: that it happened, to whom, with consent; never a diagnosis."""

    class To(models.TextChoices):
        OCCUPATIONAL_HEALTH = "occupational_health", _("Company doctor or occupational health service")
        PSYCHOLOGIST = "psychologist", _("Psychologist")
        GP = "gp", _("General practitioner")
        VICTIM_SUPPORT = "victim_support", _("Victim Support Netherlands (Slachtofferhulp)")
        COMPANY_CARE_TEAM = "care_team", _("The organisation's own care team")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    to = models.CharField(_("referred to"), max_length=20, choices=To.choices)
    to_detail = models.CharField(_("name of the service"), max_length=200, blank=True)
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    consent = models.BooleanField(_("the employee agreed"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = historical_records()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} referral {self.pk}"


class Message(models.Model):
    """A message between the coordinator and the employee, inside Handvat only:
    its text never goes into an e-mail."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("message"), max_length=5_000)
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    history = historical_records()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} message {self.pk}"
