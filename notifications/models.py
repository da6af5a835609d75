"""The reminder engine: every timed action of Handvat is a Reminder row, and
what a person sees in the app is a Notification.

A Reminder carries ids and a neutral label (a case reference), never case
content: an e-mail made from it says only that there is something to do, and
where. ``case_id`` is a plain number because this app sits below the case app
in the import order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEW_CASE = "new_case", _("A new report is waiting")
    NEW_URGENT_CASE = "new_urgent_case", _("An urgent report is waiting")
    PEER_SUPPORT = "peer_support", _("Offer peer support")
    PEER_SUPPORT_ESCALATION = "peer_support_escalation", _("Peer support not offered yet")
    CHECK_IN = "check_in", _("Check in with the employee")
    TASK_DUE = "task_due", _("A task is due")
    MESSAGE = "message", _("A new message")
    DELIVERY_FAILED = "delivery_failed", _("A reminder could not be e-mailed")
    FLARE_UP = "flare_up", _("A moment of attention is coming up")
    FLARE_UP_OUTCOME = "flare_up_outcome", _("Record how a moment of attention went")
    FOLLOW_UP = "follow_up", _("Time for a follow-up conversation")
    GETTING_TO_ME = "getting_to_me", _("An employee says it is getting to them again")
    FEEDBACK_REQUEST = "feedback_request", _("How did the support work for you?")
    TRAINING_REFRESHER = "training_refresher", _("Time for a refresher training")
    EXPOSURE_REVIEW = "exposure_review", _("Review an image or page that makes staff findable")
    SELF_SCAN = "self_scan", _("Check again how findable you are online")
    ACCESS_ALERT = "access_alert", _("Someone opened many cases they are not involved in")
    RETENTION_NOTICE = "retention_notice", _("A closed case will be erased soon")


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def pending(self) -> ReminderQuerySet:
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True)


class Reminder(models.Model):
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    case_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    label = models.CharField(max_length=40, blank=True, help_text="A neutral reference such as a case number.")
    link = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField()
    #: Scheduling the same thing twice (same key) changes nothing.
    key = models.CharField(max_length=150, unique=True)
    #: Who is told in the app when the e-mail for this reminder cannot be delivered.
    escalate_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    #: Set in the transaction that delivers the reminder in the app when an
    #: e-mail should follow, and again at every attempt; a sweep re-queues
    #: e-mails whose task was lost (a worker killed, a broker away).
    email_queued_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            # The dispatcher's only question, answered from a small index
            # however many reminders were sent before.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True),
                name="reminder_pending_due",
            ),
            models.Index(
                fields=["email_queued_at"],
                condition=Q(email_queued_at__isnull=False, emailed_at__isnull=True, failed_at__isnull=True),
                name="reminder_email_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} at {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.sent_at is None and self.cancelled_at is None and self.failed_at is None


class Notification(models.Model):
    """What a person sees in the notification centre."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    #: One reminder makes at most one notification: the database refuses a second.
    reminder = models.OneToOneField(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    label = models.CharField(max_length=40, blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class EmailPreference(models.Model):
    """A person's choice to get (or not) an e-mail for one kind of reminder.
    Without a row, e-mail is on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.email}"
