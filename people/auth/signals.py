"""Receivers: what logging in, a lockout and deactivating a user set in motion."""

from __future__ import annotations

import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from people.auth.middleware import LAST_SEEN_SESSION_KEY
from people.auth.otp import HAS_DEVICE_SESSION_KEY, has_confirmed_device
from people.auth.sessions import end_sessions_of
from people.models import User

logger = logging.getLogger("handvat.security")


@receiver(user_logged_in)
def remember_second_factor(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Whether this user has a device is read once, at login: the second-factor
    check then costs no query per request."""
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = has_confirmed_device(user)
        request.session[LAST_SEEN_SESSION_KEY] = int(timezone.now().timestamp())


@receiver(user_locked_out)
def log_lockout(sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any) -> None:
    """The lockout is logged by user id (never the username or address; those
    are in axes' own access-attempt table, for the administrator)."""
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first() if username else None
    logger.warning("login locked out after repeated failures: user_id=%s", user_id)


@receiver(pre_save, sender=User)
def notice_deactivation(sender: type[User], instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    was_active = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._handvat_deactivated = bool(was_active)


@receiver(post_save, sender=User)
def end_sessions_on_deactivation(sender: type[User], instance: User, **kwargs: Any) -> None:
    """A deactivated user is logged out everywhere at once."""
    if getattr(instance, "_handvat_deactivated", False):
        instance._handvat_deactivated = False
        ended = end_sessions_of(instance.pk)
        logger.info("user deactivated, sessions ended: user_id=%s sessions=%s", instance.pk, ended)
