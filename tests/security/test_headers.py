"""Headers and deployment (issue 8, item 3): every page, as an employee, a
coordinator and anonymously, carries the security headers; production
settings pass `check --deploy`; cookies are Secure and HttpOnly."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.http import HttpResponse
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)

#: The production environment: DEBUG off and the values .env.example gives for production.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "handvat.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://handvat.example.org",
    "SITE_URL": "https://handvat.example.org",
    "BEHIND_TLS_PROXY": "true",
    "SECURE_SSL_REDIRECT": "true",
}


def named_patterns() -> list[tuple[str, tuple[str, ...], int]]:
    """(namespaced name, parameter names, unnamed groups) of every named URL pattern."""
    found: list[tuple[str, tuple[str, ...], int]] = []

    def walk(entries: list[Any], namespace: str | None) -> None:
        for entry in entries:
            if isinstance(entry, URLResolver):
                inner = entry.namespace and (f"{namespace}:{entry.namespace}" if namespace else entry.namespace)
                walk(entry.url_patterns, inner or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                params = tuple(getattr(entry.pattern, "converters", {})) or tuple(entry.pattern.regex.groupindex)
                unnamed = 0 if params else entry.pattern.regex.groups
                found.append((f"{namespace}:{entry.name}" if namespace else entry.name, params, unnamed))

    walk(get_resolver().url_patterns, None)
    return found


def urls_for(case: Any, user: Any) -> list[str]:
    """A URL for every pattern, its ids taken from the cast's case."""
    report = case.reports.first()
    values = {
        "case_id": case.pk,
        "report_id": report.pk,
        "app_label": "people",
        "model_name": "user",
        "object_id": str(user.pk),
        "content_type_id": 1,
    }
    urls = []
    for name, params, unnamed in named_patterns():
        if unnamed:
            urls.append(reverse(name, args=[user.pk] * unnamed))
            continue
        kwargs = {param: values.get(param, 1 if param.endswith(("_id", "pk")) else "x") for param in params}
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:  # a parameter of another shape (a number where "x" was tried)
            urls.append(reverse(name, kwargs=dict.fromkeys(params, 1)))
    return urls


def assert_secure_headers(response: HttpResponse, url: str) -> None:
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", url
    assert "no-store" in response["Cache-Control"], url
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    if response.get("Content-Type", "").startswith("text/html"):
        assert not INLINE_SCRIPT.search(response.content.decode()), url


@pytest.mark.parametrize("who", ["employee", "coordinator", "anonymous"])
def test_every_page_carries_the_security_headers(request, login, case, who, coordinator):
    client = Client() if who == "anonymous" else login(request.getfixturevalue(who))
    urls = urls_for(case, coordinator)

    answered = {}
    for url in urls:
        response = client.get(url, secure=True)
        answered[url] = response.status_code
        assert_secure_headers(response, url)

    assert len(urls) > 100
    assert reverse("cases:detail", args=[case.pk]) in answered
    if who == "coordinator":
        assert answered[reverse("cases:detail", args=[case.pk])] == 200
        assert sum(status == 200 for status in answered.values()) > 30


def test_a_case_page_is_not_stored(login, coordinator, case):
    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_static_files_stay_cacheable(client):
    response = client.get("/static/css/handvat.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_session_and_csrf_cookies_are_secure_and_http_only(client, employee):
    page = client.get(reverse("login"), secure=True)
    login = client.post(reverse("login"), {"username": "employee", "password": PASSWORD}, secure=True)

    for cookie in (page.cookies["csrftoken"], login.cookies["sessionid"]):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


def test_production_settings_pass_the_deployment_check():
    example = (ROOT / ".env.example").read_text()
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    for variable in PRODUCTION:
        assert re.search(rf"^#? ?{variable}=", example, re.MULTILINE), variable


def test_the_deployment_check_notices_an_insecure_setting():
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**environment, "SECURE_HSTS_SECONDS": "0"},
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
