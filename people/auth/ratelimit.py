"""Counting attempts per user and per address in the cache (fixed windows).

Keys are hashed: the cache (Redis in production) never holds a username or
an address in plain text."""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind HANDVAT_TRUSTED_PROXIES
    proxies the address the outermost trusted proxy saw (it appends it to
    X-Forwarded-For; anything before it the client may have made up)."""
    proxies = settings.HANDVAT_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return _valid_address(forwarded[-proxies])
    return _valid_address(request.META.get("REMOTE_ADDR", ""))


#: Stands for an address that is missing or malformed (a request made in code,
#: a proxy that sent garbage): axes stores addresses in an ``inet`` column on
#: PostgreSQL, which refuses anything that is not an address.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a placeholder value, never bound to


def _valid_address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return UNKNOWN_ADDRESS


def _key(scope: str, kind: str, value: str, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"handvat:rate:{scope}:{kind}:{digest}:{window}"


def hit(scope: str, kind: str, value: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt; True when it is over ``limit`` in the current window."""
    window = int(timezone.now().timestamp()) // seconds
    key = _key(scope, kind, value, window)
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > limit


def over_limit(request: HttpRequest, scope: str) -> bool:
    """Counts this request against the scope's limits (HANDVAT_RATE_LIMITS)."""
    per_user, per_address, seconds = settings.HANDVAT_RATE_LIMITS[scope]
    user = request.user
    who = str(user.pk) if user.is_authenticated else request.POST.get("username", "").strip().lower()
    over = False
    if who:
        over = hit(scope, "user", who, limit=per_user, seconds=seconds)
    # Both counters move, so an address cannot spread its attempts over usernames.
    return hit(scope, "address", client_address(request), limit=per_address, seconds=seconds) or over
