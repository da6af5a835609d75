"""The online self-scan. Stored: that a scan was done and which follow-ups are
open; never what was found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import services as reminders
from notifications import timing
from notifications.models import Kind
from people.models import User
from prevention.models import SelfScan
from prevention.self_scan_steps import FOLLOW_UPS


def _own(actor: User, scan: SelfScan) -> None:
    if scan.user_id != actor.pk:
        raise PermissionDenied


@transaction.atomic
def self_scan_start(*, actor: User) -> SelfScan:
    """A new scan; open follow-ups of the last scan carry over until done."""
    previous = actor.self_scans.order_by("-started_at", "-pk").first()
    carried = list(previous.open_follow_ups) if previous else []
    scan = SelfScan(user=actor, open_follow_ups=carried)
    scan.full_clean()
    scan.save()
    return scan


@transaction.atomic
def self_scan_choose(*, actor: User, scan: SelfScan, follow_ups: Iterable[str]) -> SelfScan:
    """Add the follow-ups the employee chose for a step. Nothing else is kept."""
    _own(actor, scan)
    chosen = list(follow_ups)
    unknown = set(chosen) - set(FOLLOW_UPS)
    if unknown:
        raise ValidationError(_("Unknown follow-up."))
    scan.open_follow_ups = [*scan.open_follow_ups, *(key for key in chosen if key not in scan.open_follow_ups)]
    scan.save(update_fields=["open_follow_ups"])
    return scan


@transaction.atomic
def self_scan_complete(*, actor: User, scan: SelfScan, remind: bool) -> SelfScan:
    """The scan is done. With ``remind``, a reminder in six months (the last one replaced)."""
    _own(actor, scan)
    scan.completed_at = timezone.now()
    scan.remind = remind
    scan.save(update_fields=["completed_at", "remind"])
    reminders.reminders_cancel(key_prefix=f"self-scan:{actor.pk}:")
    if remind:
        day = timing.add_months(timezone.localdate(), settings.HANDVAT_SELF_SCAN_MONTHS)
        reminders.reminder_schedule(
            kind=Kind.SELF_SCAN,
            recipient=actor,
            due_at=timing.local_moment(day, dt.time.fromisoformat(settings.HANDVAT_REMINDER_TIME)),
            key=f"self-scan:{actor.pk}:{day.isoformat()}",
            link=reverse("prevention:self_scan"),
        )
    return scan


@transaction.atomic
def self_scan_follow_up_done(*, actor: User, scan: SelfScan, key: str) -> SelfScan:
    _own(actor, scan)
    if key in scan.open_follow_ups:
        scan.open_follow_ups = [item for item in scan.open_follow_ups if item != key]
        scan.save(update_fields=["open_follow_ups"])
    return scan
