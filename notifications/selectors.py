from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import EmailPreference, Kind, Notification
from people.models import User


def notifications_of(user: User) -> QuerySet[Notification]:
    """Unread first, then newest first."""
    return Notification.objects.filter(recipient=user).order_by("read_at", "-created_at", "-pk")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_kinds(user: User) -> set[str]:
    """The kinds the user gets e-mail for (all, unless turned off)."""
    off = set(EmailPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return set(Kind.values) - off
