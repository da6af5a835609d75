"""The alert when one user opens many cases they are not involved in.

Checked each time a case is opened (``people.services.access_log_record``):
one count query over the user's last hour of the log, which the index on
(user, at) keeps small. Over the threshold, ``outsider_reads_exceeded`` is
sent; the notifications app alerts every privacy officer, once per user per
clock hour (the reminder key says so, so a second send changes nothing).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from people import access
from people.models import AccessLog, User
from people.signals import outsider_reads_exceeded

#: The log actions that mean a case was opened (not merely listed or counted).
OPEN_ACTIONS = (AccessLog.Action.VIEW_CASE, AccessLog.Action.VIEW_EVIDENCE, AccessLog.Action.DOWNLOAD_FILE)
WINDOW = timedelta(hours=1)


def outsider_case_count(user: User) -> int:
    """How many distinct cases ``user`` opened in the last hour without being involved.
    The cases are gathered first and each is checked once, however often it was opened."""
    opened = (
        AccessLog.objects.filter(user=user, at__gte=timezone.now() - WINDOW, action__in=OPEN_ACTIONS)
        .exclude(case_id=None)
        .values_list("case_id", flat=True)
        .distinct()
    )
    return access.count_outsider_cases(user, opened)


def check_outsider_reads(*, user: User, action: str, case_id: int | None = None) -> bool:
    """After a case was opened: alert when the user is over the threshold. True if sent.

    Opening a case one is involved in adds nothing to the count, so it is not
    counted again (a coordinator opens their own cases all day)."""
    if action not in OPEN_ACTIONS:
        return False
    if case_id is not None and access.is_involved(user, case_id):
        return False
    count = outsider_case_count(user)
    if count <= settings.HANDVAT_ACCESS_ALERT_THRESHOLD:
        return False
    outsider_reads_exceeded.send(sender=AccessLog, user=user, count=count)
    return True
