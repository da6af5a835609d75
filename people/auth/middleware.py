"""Request checks of the login: idle timeout, second factor, no-store, rate limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from people import access
from people.auth import ratelimit
from people.auth.otp import HAS_DEVICE_SESSION_KEY

LAST_SEEN_SESSION_KEY = "handvat_last_seen"
#: How often the last-seen time is written (seconds): not a session write per request.
LAST_SEEN_RESOLUTION = 60
#: Pages an unverified user may reach: passing the second factor, leaving, the language.
SECOND_FACTOR_OPEN = frozenset({"two_factor_verify", "two_factor_setup", "login", "logout", "set_language"})


def is_privileged(user: Any) -> bool:
    return access.must_use_second_factor(user)


class IdleTimeoutMiddleware:
    """Logs a user out after HANDVAT_IDLE_TIMEOUT_PRIVILEGED (privileged roles)
    or HANDVAT_IDLE_TIMEOUT (everyone else) seconds without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            limit = (
                settings.HANDVAT_IDLE_TIMEOUT_PRIVILEGED
                if is_privileged(request.user)
                else settings.HANDVAT_IDLE_TIMEOUT
            )
            if last_seen is not None and now - last_seen > limit:
                logout(request)
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path(), 'idle': 1})}")
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until a privileged user (or anyone who set up a device) has passed the
    TOTP code of this session, every page sends them to the code page, or to
    setting up a device when they have none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._open(request):
            has_device = request.session.get(HAS_DEVICE_SESSION_KEY, False)
            if has_device or is_privileged(user):
                target = "two_factor_verify" if has_device else "two_factor_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in SECOND_FACTOR_OPEN


class NoStoreMiddleware:
    """No page of Handvat is kept by a browser or proxy cache: they may show
    case data, and a shared computer's back button must not bring it back.
    Static files are served before this (whitenoise) and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


class RateLimitMiddleware:
    """POSTs to the views in HANDVAT_RATE_LIMITS, counted per user and per
    address; over the limit the answer is 429 with a calm page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if request.method != "POST":
            return None
        scope = request.resolver_match.view_name if request.resolver_match else None
        if scope not in settings.HANDVAT_RATE_LIMITS or not ratelimit.over_limit(request, scope):
            return None
        seconds = settings.HANDVAT_RATE_LIMITS[scope][2]
        response = render(request, "429.html", {"minutes": max(1, seconds // 60)}, status=429)
        response["Retry-After"] = str(seconds)
        return response
