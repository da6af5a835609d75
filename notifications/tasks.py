"""The minute dispatcher and the e-mail sender. Tasks take ids only."""

from __future__ import annotations

import logging
import smtplib
import time

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from notifications import services

logger = logging.getLogger(__name__)

#: SMTP and network errors worth another try.
RETRYABLE = (smtplib.SMTPException, OSError)


@shared_task
def dispatch_reminders() -> int:
    """Beat runs this every minute: deliver due reminders in batches for up to
    ``REMINDER_DISPATCH_SECONDS``, then leave the rest to the next run."""
    deadline = time.monotonic() + settings.REMINDER_DISPATCH_SECONDS
    delivered = 0
    while True:
        try:
            batch = services.dispatch_due()
        except OperationalError as exc:
            # SQLite (the embedded run): another dispatcher kept the write lock
            # past the busy timeout. It is delivering; this run leaves it to it.
            if "locked" not in str(exc):
                raise
            logger.info("reminder dispatch: the database is busy with another dispatcher")
            break
        delivered += batch.delivered
        for reminder_id in batch.to_email:
            send_reminder_email.delay(reminder_id)
        if batch.delivered < settings.REMINDER_BATCH_SIZE or time.monotonic() > deadline:
            break
    lost = services.emails_lost()
    for reminder_id in lost:
        send_reminder_email.delay(reminder_id)
    if delivered or lost:
        logger.info("reminders delivered count=%s emails_requeued=%s", delivered, len(lost))
    return delivered


@shared_task(bind=True, max_retries=None)
def send_reminder_email(self, reminder_id: int) -> bool:
    """One e-mail, retried with exponential back-off (at most 15 minutes apart,
    well under the broker's visibility timeout); marked failed when the
    retries run out."""
    try:
        return services.reminder_send_email(reminder_id=reminder_id)
    except RETRYABLE as exc:
        if self.request.retries >= settings.REMINDER_EMAIL_RETRIES:
            services.reminder_mark_failed(reminder_id=reminder_id)
            return False
        delay = min(settings.REMINDER_EMAIL_BACKOFF * 2**self.request.retries, 900)
        logger.warning(
            "reminder e-mail retry reminder=%s attempt=%s in=%ss", reminder_id, self.request.retries + 1, delay
        )
        raise self.retry(exc=exc, countdown=delay) from exc
