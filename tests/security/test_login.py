"""Logging in (issue 8, item 2): TOTP for privileged roles, lockout, password
rules, idle timeout, new session key, deactivation, single sign-on, rate limits."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.admin import OTPAdminSite
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.auth import otp
from people.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")


def code(device: TOTPDevice, *, offset: int = 0) -> str:
    """What an authenticator app shows for ``device`` now (``offset`` steps on)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def password_login(user: User, *, client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies["handvat_language"] = "en"
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# --- The second factor -----------------------------------------------------------


def test_it_sends_a_coordinator_without_a_device_to_set_one_up(coordinator):
    client = password_login(coordinator)

    response = client.get(reverse("cases:dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(SETUP)
    assert "next=%2Fcases%2F" in response.url


@pytest.mark.parametrize(
    "url",
    ["/", "/cases/", "/my/", "/report/new/", "/notifications/", "/admin/", "/this-page-does-not-exist/"],
)
def test_an_unverified_coordinator_reaches_no_other_page(coordinator, url):
    device_for(coordinator)
    client = password_login(coordinator)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


@pytest.mark.parametrize("role_user", ["coordinator", "specialist", "security", "hr", "privacy", "admin"])
def test_every_privileged_role_must_pass_the_code(request, role_user):
    user = request.getfixturevalue(role_user)
    client = password_login(user)

    assert client.get(reverse("notifications:list")).url.startswith(SETUP)


def test_the_code_unlocks_the_pages_and_renews_the_session_key(coordinator):
    device = device_for(coordinator)
    client = password_login(coordinator)
    before = client.cookies["sessionid"].value

    wrong = client.post(VERIFY, {"otp_token": "000000" if code(device) != "000000" else "111111"})
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # django-otp throttles after a miss
        right = client.post(VERIFY, {"otp_token": code(device), "next": "/cases/"})

    assert wrong.status_code == 200
    assert b"That code is not right" in wrong.content
    assert right.status_code == 302 and right.url == "/cases/"
    assert client.cookies["sessionid"].value != before
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_a_used_code_cannot_be_used_again(coordinator):
    device = device_for(coordinator)
    first = password_login(coordinator)
    token = code(device)
    first.post(VERIFY, {"otp_token": token})

    second = password_login(coordinator)
    response = second.post(VERIFY, {"otp_token": token})

    assert response.status_code == 200
    assert second.get(reverse("cases:dashboard")).status_code == 302


def test_setting_up_shows_the_secret_and_a_qr_code_made_on_the_server(coordinator):
    client = password_login(coordinator)

    response = client.get(SETUP)

    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    page = response.content.decode()
    assert response.status_code == 200
    assert otp.secret_text(device) in page
    assert "<svg" in page and "<path" in page
    assert "<img" not in page and "<script>" not in page


def test_the_first_code_confirms_the_device_and_opens_the_pages(coordinator):
    client = password_login(coordinator)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)

    response = client.post(SETUP, {"otp_token": code(device), "next": "/cases/"})

    device.refresh_from_db()
    assert device.confirmed
    assert response.url == "/cases/"
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_a_stolen_password_cannot_add_a_second_device(coordinator):
    device_for(coordinator)
    client = password_login(coordinator)

    response = client.get(SETUP)

    assert response.url == VERIFY
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=False).exists()


def test_an_employee_logs_in_without_a_code(employee):
    client = password_login(employee)

    assert client.get(reverse("cases:my")).status_code == 200


def test_an_employee_may_turn_it_on_and_is_then_asked_for_the_code(employee):
    client = password_login(employee)
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=employee, confirmed=False)
    client.post(SETUP, {"otp_token": code(device)})

    again = password_login(employee)

    assert b"You can choose" in page.content
    assert again.get(reverse("cases:my")).url.startswith(VERIFY)
    assert again.post(VERIFY, {"otp_token": code(device, offset=1)}).status_code == 302
    assert again.get(reverse("cases:my")).status_code == 200


def test_an_employee_may_turn_it_off_a_coordinator_may_not(login, employee, coordinator):
    employee_device = device_for(employee)
    client = password_login(employee)
    client.post(VERIFY, {"otp_token": code(employee_device)})

    assert client.get(reverse("two_factor_disable")).status_code == 405
    assert client.post(reverse("two_factor_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=employee).exists()
    assert login(coordinator).post(reverse("two_factor_disable")).status_code == 404
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def test_the_admin_needs_a_verified_device(admin, login):
    plain = Client()
    plain.force_login(admin)

    assert isinstance(admin_site(), OTPAdminSite)
    assert plain.get("/admin/").url.startswith(SETUP)
    assert login(admin).get("/admin/").status_code == 200


def admin_site():
    return admin.site


# --- Lockout, passwords, sessions --------------------------------------------------


def test_five_wrong_passwords_lock_the_account_calmly_and_are_logged(client, employee, caplog, settings):
    caplog.set_level(logging.WARNING, logger="handvat.security")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "employee", "password": "wrong-password"})

    response = client.post(reverse("login"), {"username": "employee", "password": PASSWORD})

    assert response.status_code == 429
    assert b"paused" in response.content
    assert b"wrong-password" not in response.content
    assert AccessAttempt.objects.get(username="employee").failures_since_start >= 5
    assert f"user_id={employee.pk}" in caplog.text
    assert "employee" not in caplog.text.replace(f"user_id={employee.pk}", "")


def test_four_wrong_passwords_do_not_lock(client, employee):
    for _attempt in range(4):
        client.post(reverse("login"), {"username": "employee", "password": "wrong-password"})

    response = client.post(reverse("login"), {"username": "employee", "password": PASSWORD})

    assert response.status_code == 302


@pytest.mark.parametrize("password", ["Short-1a", "password1234", "qwertyuiop123", "123456789012345"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("lantaarn-paal-rivier-77")


def test_login_gives_a_new_session_key(client, employee):
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key

    client.post(reverse("login"), {"username": "employee", "password": PASSWORD})

    assert client.cookies["sessionid"].value != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_privileged_user_is_logged_out_after_30_idle_minutes(login, coordinator):
    client = login(coordinator)
    client.get(reverse("cases:dashboard"))

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get(reverse("cases:dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) and "idle=1" in response.url
    assert b"not used Handvat for a while" in client.get(response.url).content


def test_an_employee_stays_logged_in_longer(login, employee, settings):
    client = login(employee)
    client.get(reverse("cases:my"))

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        kept = client.get(reverse("cases:my")).status_code
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.HANDVAT_IDLE_TIMEOUT + 31 * 60 + 60)):
        ended = client.get(reverse("cases:my")).status_code

    assert kept == 200
    assert ended == 302
    assert settings.HANDVAT_IDLE_TIMEOUT > settings.HANDVAT_IDLE_TIMEOUT_PRIVILEGED == 30 * 60


def test_the_idle_timeout_is_a_setting(login, coordinator, settings):
    settings.HANDVAT_IDLE_TIMEOUT_PRIVILEGED = 5 * 60
    client = login(coordinator)
    client.get(reverse("cases:dashboard"))

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert client.get(reverse("cases:dashboard")).status_code == 302


def test_deactivating_a_user_ends_their_sessions(login, employee, colleague):
    client = login(employee)
    other = login(colleague)
    assert client.get(reverse("cases:my")).status_code == 200

    employee.is_active = False
    employee.save()

    sessions = [session.get_decoded().get("_auth_user_id") for session in Session.objects.all()]
    assert str(employee.pk) not in sessions
    assert str(colleague.pk) in sessions
    assert client.get(reverse("cases:my")).status_code == 302
    assert other.get(reverse("cases:my")).status_code == 200


def test_saving_an_active_user_keeps_their_sessions(login, employee):
    client = login(employee)

    employee.first_name = "Sanne"
    employee.save()

    assert client.get(reverse("cases:my")).status_code == 200


# --- Single sign-on ------------------------------------------------------------------


def test_single_sign_on_is_off_by_default(client, settings):
    page = client.get(reverse("login"))

    assert settings.HANDVAT_OIDC_ENABLED is False
    assert "mozilla_django_oidc.auth.OIDCAuthenticationBackend" not in settings.AUTHENTICATION_BACKENDS
    assert reverse("sso_start").encode() not in page.content
    assert client.get(reverse("sso_start")).status_code == 404
    assert client.get(reverse("sso_callback")).status_code == 404


def test_the_login_page_offers_single_sign_on_when_configured(client, settings):
    settings.HANDVAT_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "handvat"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example.org/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example.org/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example.org/userinfo"

    page = client.get(reverse("login"))
    start = client.get(reverse("sso_start"))

    assert f'href="{reverse("sso_start")}"'.encode() in page.content
    assert start.status_code == 302
    assert start.url.startswith("https://idp.example.org/authorize?")
    assert "client_id=handvat" in start.url


def test_the_oidc_variables_switch_single_sign_on_on():
    probe = "from django.conf import settings as s; print(s.HANDVAT_OIDC_ENABLED, s.AUTHENTICATION_BACKENDS[-1])"
    endpoints = {
        "OIDC_RP_CLIENT_ID": "handvat",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.org/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.org/token",
        "OIDC_OP_USER_ENDPOINT": "https://idp.example.org/userinfo",
    }
    output = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        cwd=ROOT,
        env={**os.environ, **endpoints, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()

    assert output == ["True", "mozilla_django_oidc.auth.OIDCAuthenticationBackend"]
    example = (ROOT / ".env.example").read_text()
    assert all(f"# {name}=" in example for name in endpoints)


# --- Rate limits -----------------------------------------------------------------------


def test_the_login_is_rate_limited_per_username(client, employee, settings):
    settings.HANDVAT_RATE_LIMITS = {**settings.HANDVAT_RATE_LIMITS, "login": (3, 100, 600)}
    answers = [
        client.post(reverse("login"), {"username": "employee", "password": "wrong"}).status_code for _ in range(4)
    ]

    assert answers == [200, 200, 200, 429]


def test_the_login_is_rate_limited_per_address(client, settings):
    settings.HANDVAT_RATE_LIMITS = {**settings.HANDVAT_RATE_LIMITS, "login": (100, 3, 600)}
    answers = [
        client.post(reverse("login"), {"username": f"someone{n}", "password": "wrong"}).status_code for n in range(4)
    ]
    elsewhere = client.post(
        reverse("login"), {"username": "someone9", "password": "wrong"}, REMOTE_ADDR="192.0.2.7"
    ).status_code

    assert answers == [200, 200, 200, 429]
    assert elsewhere == 200


def test_the_rate_limit_page_is_calm_and_says_when_to_try_again(client, settings):
    settings.HANDVAT_RATE_LIMITS = {**settings.HANDVAT_RATE_LIMITS, "login": (1, 100, 600)}
    client.post(reverse("login"), {"username": "x", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "x", "password": "wrong"}, HTTP_COOKIE="handvat_language=en")

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert b"Please try again in 10 minutes" in response.content
    assert b"112" in response.content


def test_the_report_form_is_rate_limited_per_user(login, employee, settings):
    settings.HANDVAT_RATE_LIMITS = {**settings.HANDVAT_RATE_LIMITS, "cases:report_new": (2, 100, 3600)}
    client = login(employee)

    answers = [client.post(reverse("cases:report_new"), {}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert client.get(reverse("cases:report_new")).status_code == 200


def test_the_report_form_is_rate_limited_per_address(login, employee, colleague, settings):
    settings.HANDVAT_RATE_LIMITS = {**settings.HANDVAT_RATE_LIMITS, "cases:report_new": (100, 2, 3600)}

    answers = [login(person).post(reverse("cases:report_new"), {}).status_code for person in (employee, colleague)]
    third = login(UserFactory()).post(reverse("cases:report_new"), {}).status_code

    assert answers == [200, 200]
    assert third == 429


def test_the_limits_count_again_in_the_next_window(client, settings):
    settings.HANDVAT_RATE_LIMITS = {**settings.HANDVAT_RATE_LIMITS, "login": (1, 100, 60)}
    client.post(reverse("login"), {"username": "x", "password": "wrong"})

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        response = client.post(reverse("login"), {"username": "x", "password": "wrong"})

    assert response.status_code == 200


# --- The demo ----------------------------------------------------------------------------


def test_the_demo_gives_privileged_users_a_device_whose_secret_readme_shows(settings, shipped_articles):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    readme = (ROOT / "README.md").read_text()

    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))

    assert with_device == {"coordinator", "coordinator2", "specialist", "security", "hr", "privacy", "admin"}
    for device in TOTPDevice.objects.select_related("user"):
        assert device.key == otp.demo_key(device.user.username)
        assert otp.demo_secret(device.user.username) in readme


def test_every_page_links_to_two_step_login(login, employee):
    page = login(employee).get(reverse("cases:my"))

    assert f'href="{SETUP}"'.encode() in page.content


def test_the_menu_waits_for_the_code(client, coordinator):
    client.post(reverse("login"), {"username": coordinator.username, "password": PASSWORD})

    response = client.get(reverse("two_factor_verify"), follow=True)

    assert response.context["nav_items"] == []
