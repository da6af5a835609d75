"""django-axes' lockout check, for logins that come with a request."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username before any password is checked.

    axes refuses every ``authenticate()`` without a request; those come from
    code (management commands, tests), never from someone typing a password,
    so they are left to the next backend."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
