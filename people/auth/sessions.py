"""Ending every session of a user (on deactivation)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone


def end_sessions_of(user_id: int) -> int:
    """Deletes the user's sessions; returns how many. Sessions are looked up by
    decoding the unexpired ones: deactivating someone is rare, a table of
    session keys per user would be one more thing to keep right."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    ended = 0
    for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user_id):
            store(session.session_key).delete()
            ended += 1
    return ended
