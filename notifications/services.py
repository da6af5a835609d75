"""Scheduling, cancelling and delivering reminders; reading notifications.

Delivery is at-most-once in the app and at-least-once by e-mail:

- ``dispatch_due`` claims due reminders in batches. On PostgreSQL the claim is
  ``SELECT … FOR UPDATE SKIP LOCKED``, so two dispatchers never take the same
  rows; on SQLite every write transaction starts with ``BEGIN IMMEDIATE``
  (settings), so dispatchers take turns. The in-app notifications and the
  "sent" mark are written in the same transaction, and ``Notification.reminder``
  is unique: one reminder can never show twice, even when a worker dies
  half-way (its transaction rolls back and the next run takes the rows).
- E-mails go out after commit, one Celery task per reminder, retried with
  back-off; when the retries run out the reminder is marked failed and the
  person named in ``escalate_to`` (the case's coordinator) is told in the app.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.kinds import message
from notifications.models import EmailPreference, Kind, Notification, Reminder
from people.models import User

logger = logging.getLogger(__name__)


# --- Scheduling ----------------------------------------------------------------


def reminder_schedule(
    *,
    kind: str,
    recipient: User,
    due_at: datetime,
    key: str,
    case_id: int | None = None,
    label: str = "",
    link: str = "",
    escalate_to: User | None = None,
) -> Reminder:
    """Plan a reminder. A second call with the same ``key`` changes nothing and
    returns the reminder planned first (sent, cancelled or not)."""
    reminder, _created = Reminder.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "due_at": due_at,
            "case_id": case_id,
            "label": label,
            "link": link,
            "escalate_to": escalate_to,
        },
    )
    return reminder


def reminder_ensure(
    *,
    kind: str,
    recipient: User,
    due_at: datetime,
    key: str,
    case_id: int | None = None,
    label: str = "",
    link: str = "",
    escalate_to: User | None = None,
) -> Reminder:
    """Make sure a reminder with this key is waiting for ``due_at``: planned if
    new, brought back if it was cancelled, moved if it has not gone out yet.
    One that went out already is left as it is. For plans that are worked out
    again whenever something changes (the next check-in)."""
    reminder = reminder_schedule(
        kind=kind,
        recipient=recipient,
        due_at=due_at,
        key=key,
        case_id=case_id,
        label=label,
        link=link,
        escalate_to=escalate_to,
    )
    if reminder.sent_at is None and reminder.failed_at is None:
        changed = []
        if reminder.due_at != due_at:
            reminder.due_at = due_at
            changed.append("due_at")
        if reminder.recipient_id != recipient.pk:
            reminder.recipient = recipient
            changed.append("recipient")
        if reminder.escalate_to_id != (escalate_to.pk if escalate_to is not None else None):
            reminder.escalate_to = escalate_to
            changed.append("escalate_to")
        if reminder.cancelled_at is not None:
            reminder.cancelled_at = None
            changed.append("cancelled_at")
        if changed:
            reminder.save(update_fields=changed)
    return reminder


def reminder_move(*, key: str, due_at: datetime | None = None, recipient: User | None = None) -> bool:
    """Change when, or to whom, a reminder that has not gone out yet goes."""
    changes: dict[str, object] = {}
    if due_at is not None:
        changes["due_at"] = due_at
    if recipient is not None:
        changes["recipient"] = recipient
    return bool(changes) and Reminder.objects.pending().filter(key=key).update(**changes) > 0


def reminders_cancel(
    *,
    keys: Iterable[str] = (),
    key_prefix: str | None = None,
    case_id: int | None = None,
    kinds: Iterable[str] = (),
) -> int:
    """Cancel what has not gone out yet: by exact keys, or by a key prefix, or
    by case (optionally only some kinds). Returns how many were cancelled.

    End a prefix with its separator ("peer-offer:1:"), or "peer-offer:1" would
    also cancel "peer-offer:12"."""
    condition = Q()
    keys = list(keys)
    if keys:
        condition |= Q(key__in=keys)
    if key_prefix:
        condition |= Q(key__startswith=key_prefix)
    if case_id is not None:
        by_case = Q(case_id=case_id)
        kinds = list(kinds)
        if kinds:
            by_case &= Q(kind__in=kinds)
        condition |= by_case
    if not condition:
        return 0
    return Reminder.objects.pending().filter(condition).update(cancelled_at=timezone.now())


# --- Delivery --------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    delivered: int
    to_email: list[int]


def dispatch_due(*, now: datetime | None = None, batch_size: int | None = None) -> Batch:
    """Deliver one batch of due reminders in the app; returns what was delivered
    and which reminders still need an e-mail. A fixed number of queries per
    batch, whatever its size."""
    now = now or timezone.now()
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    with transaction.atomic():
        claimed = list(
            Reminder.objects.pending()
            .filter(due_at__lte=now)
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values("pk", "kind", "recipient_id", "case_id", "label", "link")[:batch_size]
        )
        if not claimed:
            return Batch(0, [])
        ids = [row["pk"] for row in claimed]
        _notifications_from_reminders(ids, now=now)
        Reminder.objects.filter(pk__in=ids).update(sent_at=now)
        to_email = _wanting_email(claimed)
        if to_email:
            Reminder.objects.filter(pk__in=to_email).update(email_queued_at=now)
    return Batch(len(claimed), to_email)


def emails_lost(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """E-mails that should have gone out but whose task vanished: queued (or
    last tried) longer ago than the longest back-off, and neither sent nor
    failed. Marks them queued again and returns their ids, to enqueue."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.REMINDER_EMAIL_LOST_AFTER)
    with transaction.atomic():
        ids = list(
            Reminder.objects.filter(email_queued_at__lt=stale, emailed_at__isnull=True, failed_at__isnull=True)
            .order_by("email_queued_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(email_queued_at=now)
    return ids


def _notifications_from_reminders(reminder_ids: list[int], *, now: datetime) -> None:
    """One notification per reminder, copied by the database in one statement.
    ``bulk_create`` would split the batch on SQLite (999 parameters per
    statement, eight per row), so the query count would grow with the batch."""
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(reminder_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Notification._meta.db_table)} "  # noqa: S608 - table names from the models; values are parameters
            "(recipient_id, kind, reminder_id, case_id, label, link, created_at) "
            "SELECT recipient_id, kind, id, case_id, label, link, %s "
            f"FROM {quote(Reminder._meta.db_table)} WHERE id IN ({placeholders})",
            [connection.ops.adapt_datetimefield_value(now), *reminder_ids],
        )


def _wanting_email(rows: list[dict[str, object]]) -> list[int]:
    """The reminders whose recipient has an address and did not turn e-mail off for that kind."""
    recipients = {row["recipient_id"] for row in rows}
    with_address = set(
        User.objects.filter(pk__in=recipients, is_active=True).exclude(email="").values_list("pk", flat=True)
    )
    opted_out = set(EmailPreference.objects.filter(user_id__in=recipients, email=False).values_list("user_id", "kind"))
    return [
        row["pk"]  # type: ignore[misc]
        for row in rows
        if row["recipient_id"] in with_address and (row["recipient_id"], row["kind"]) not in opted_out
    ]


def reminder_send_email(*, reminder_id: int) -> bool:
    """E-mail one delivered reminder: only that there is something to do, and
    where. Raises on SMTP errors so the task can retry."""
    reminder = Reminder.objects.select_related("recipient").filter(pk=reminder_id).first()
    if reminder is None or reminder.emailed_at is not None or reminder.failed_at is not None:
        return False
    Reminder.objects.filter(pk=reminder_id).update(attempts=F("attempts") + 1, email_queued_at=timezone.now())
    context = {"lines": _bilingual(reminder.kind), "url": settings.SITE_URL + (reminder.link or "/notifications/")}
    subject = render_to_string("emails/reminder.subject.txt", context).strip()
    body = render_to_string("emails/reminder.txt", context)
    send_mail(subject, body, None, [reminder.recipient.email])
    Reminder.objects.filter(pk=reminder_id).update(emailed_at=timezone.now())
    logger.info("reminder e-mailed reminder=%s kind=%s", reminder_id, reminder.kind)
    return True


def _bilingual(kind: str) -> list[str]:
    """The message in Dutch, then in English: e-mail has no logged-in language."""
    from django.utils import translation

    lines = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lines.append(str(message(kind)))
    return lines


@transaction.atomic
def reminder_mark_failed(*, reminder_id: int) -> None:
    """The e-mail could not be delivered after every retry: mark it, and tell
    the coordinator in the app so a person makes sure the recipient is reached."""
    reminder = Reminder.objects.select_for_update().filter(pk=reminder_id, failed_at__isnull=True).first()
    if reminder is None:
        return
    reminder.failed_at = timezone.now()
    reminder.save(update_fields=["failed_at"])
    logger.error(
        "reminder e-mail failed reminder=%s kind=%s attempts=%s", reminder.pk, reminder.kind, reminder.attempts
    )
    if reminder.escalate_to_id is not None:
        Notification.objects.create(
            recipient_id=reminder.escalate_to_id,
            kind=Kind.DELIVERY_FAILED,
            case_id=reminder.case_id,
            label=reminder.label,
            link=reminder.link,
        )


def notify_now(
    *, kind: str, recipient: User, key: str, case_id: int | None = None, label: str = "", link: str = ""
) -> Reminder:
    """A reminder due at once: the next dispatch (within a minute) delivers it."""
    return reminder_schedule(
        kind=kind, recipient=recipient, due_at=timezone.now(), key=key, case_id=case_id, label=label, link=link
    )


def notify_many_now(
    *,
    kind: str,
    recipients: Iterable[User],
    key_prefix: str,
    case_id: int | None = None,
    label: str = "",
    link: str = "",
) -> int:
    """``notify_now`` for many recipients in one insert (the key of each is
    ``key_prefix`` and the recipient's id). Keys planned before are left as
    they are, like ``reminder_schedule`` does. Returns how many were new."""
    now = timezone.now()
    rows = [
        Reminder(
            kind=kind,
            recipient=recipient,
            due_at=now,
            key=f"{key_prefix}:{recipient.pk}",
            case_id=case_id,
            label=label,
            link=link,
        )
        for recipient in recipients
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)


# --- Reading ------------------------------------------------------------------------


def notification_mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def email_preferences_set(*, user: User, enabled: Iterable[str]) -> None:
    """E-mail for the kinds in ``enabled``, not for the others."""
    enabled = set(enabled)
    for kind in Kind.values:
        EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": kind in enabled})


# --- Security: the access alert (people/privacy/alerts.py) --------------------------


def access_alert_privacy_officers(*, user: User, count: int, now: datetime | None = None) -> list[Reminder]:
    """Tell every privacy officer that ``user`` opened ``count`` cases they are
    not involved in within an hour. Once per user per clock hour: the key
    repeats within the hour, so a second call plans nothing new. The in-app
    link filters the access log on that user and hour; the message names nobody."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from people.roles import Role

    now = now or timezone.now()
    hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    query = urlencode({"user": user.pk, "since": (hour - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")})
    link = f"{reverse('privacy:access_log')}?{query}"
    officers = User.objects.filter(groups__name=Role.PRIVACY_OFFICER.value, is_active=True).exclude(pk=user.pk)
    return [
        notify_now(
            kind=Kind.ACCESS_ALERT,
            recipient=officer,
            key=f"access-alert:{user.pk}:{officer.pk}:{hour:%Y%m%d%H}",
            link=link,
        )
        for officer in officers
    ]
