from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The number in the header: one small count per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
