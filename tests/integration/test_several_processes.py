"""Handvat on several processes, as it grows past one: two gunicorn masters
and two Celery workers against one database and one broker. A login made on
one web process holds on the other, and ends on both; the second step passed
on one holds on the other; due reminders arrive exactly once.

The web processes run with the production settings (DEBUG off) and are
reached over plain HTTP on 127.0.0.1. Their session and CSRF cookies are
therefore ``Secure``, which a cookie jar would not send over HTTP: ``Visitor``
keeps the cookies itself, as a browser behind the TLS proxy would.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from notifications.models import Kind, Notification, Reminder
from people.models import User
from tests.factories import PASSWORD
from tests.integration.conftest import WebServer, Worker, wait_for
from tests.integration.test_reminder_dispatch import (
    assert_each_delivered_once,
    delivered_by,
    dispatch,
    make_due_reminders,
    ran_at_the_same_time,
    running_a_dispatch,
    runs,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Page:
    status: int
    location: str
    text: str

    def csrf_token(self) -> str:
        found = CSRF_FIELD.search(self.text)
        assert found, self.text[:2000]
        return found[1]


class Visitor:
    """One browser: its own cookies, sent to whichever web process it asks."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.secure_cookies: set[str] = set()

    def get(self, server: WebServer, path: str) -> Page:
        return self._request(server, "GET", path)

    def post(self, server: WebServer, path: str, form: dict[str, str]) -> Page:
        return self._request(server, "POST", path, form)

    def _request(self, server: WebServer, method: str, path: str, form: dict[str, str] | None = None) -> Page:
        headers = {"Host": f"127.0.0.1:{server.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        channel = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            channel.request(method, path, body=body, headers=headers)
            response = channel.getresponse()
            page = Page(response.status, response.getheader("Location", ""), response.read().decode())
            for header in response.headers.get_all("Set-Cookie") or []:
                self._keep(header)
        finally:
            channel.close()
        return page

    def _keep(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
                continue
            self.cookies[name] = morsel.value
            if morsel["secure"]:
                self.secure_cookies.add(name)

    def log_in(self, server: WebServer, user: User) -> Page:
        with_production_password(user)
        form_page = self.get(server, reverse("login"))
        assert form_page.status == 200, form_page.text[:2000]
        page = self.post(
            server,
            reverse("login"),
            {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": form_page.csrf_token()},
        )
        assert page.status == 302, page.text[:2000]
        assert path_of(page.location) == reverse("home")
        # DEBUG is off: the session cookie is only ever sent over HTTPS.
        assert "sessionid" in self.secure_cookies
        return page


def with_production_password(user: User) -> None:
    """The test settings hash with MD5 for speed; the web processes know only
    the production hashers, so the user's password is hashed as they check it."""
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher=PBKDF2PasswordHasher()))


def path_of(location: str) -> str:
    return urlsplit(location).path


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_keeps_a_login_across_web_processes_and_ends_it_on_both(start_web, employee):
    web_a, web_b = start_web(2)
    visitor = Visitor()
    notifications = reverse("notifications:list")
    assert path_of(visitor.get(web_b, notifications).location) == reverse("login")

    visitor.log_in(web_a, employee)

    page = visitor.get(web_b, notifications)
    assert page.status == 200, page.text[:2000]
    assert escape(employee.display_name) in page.text
    session_cookie = visitor.cookies["sessionid"]

    logged_out = visitor.post(web_b, reverse("logout"), {"csrfmiddlewaretoken": page.csrf_token()})

    assert logged_out.status == 302
    assert "sessionid" not in visitor.cookies
    # A copy of the old cookie (another tab, or a stolen one) no longer works on A.
    visitor.cookies["sessionid"] = session_cookie
    page = visitor.get(web_a, notifications)
    assert page.status == 302
    assert path_of(page.location) == reverse("login")


def test_the_second_step_passed_on_one_web_process_holds_on_the_other(start_web, coordinator):
    web_a, web_b = start_web(2)
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    visitor = Visitor()
    dashboard = reverse("cases:dashboard")
    visitor.log_in(web_a, coordinator)

    # Password only: B, too, sends the coordinator to the code page.
    page = visitor.get(web_b, dashboard)
    assert page.status == 302
    assert path_of(page.location) == reverse("two_factor_verify")

    code_page = visitor.get(web_a, page.location)
    assert code_page.status == 200, code_page.text[:2000]
    before_the_code = visitor.cookies["sessionid"]
    passed = visitor.post(
        web_a, page.location, {"otp_token": code_for(device), "csrfmiddlewaretoken": code_page.csrf_token()}
    )
    assert passed.status == 302, passed.text[:2000]
    assert path_of(passed.location) == dashboard

    page = visitor.get(web_b, dashboard)
    assert page.status == 200, page.text[:2000]
    assert escape(coordinator.display_name) in page.text
    # The session got a new key with the code; the old one is gone on B too.
    assert visitor.cookies["sessionid"] != before_the_code
    visitor.cookies["sessionid"] = before_the_code
    assert path_of(visitor.get(web_b, dashboard).location) == reverse("login")


def sent_to(address: str, worker_env: dict[str, str]) -> int:
    folder = Path(worker_env["EMAIL_URL"].removeprefix("filemail:///"))
    return sum(path.read_text().count(f"\nTo: {address}\n") for path in folder.glob("*.log"))


def test_two_workers_deliver_due_reminders_once_and_both_web_processes_show_them(
    start_web, start_workers: Callable[..., list[Worker]], worker_env, employee
):
    web_a, web_b = start_web(2)
    # Tiny batches: a run takes a thousand turns, so the two workers' runs overlap.
    first, second = start_workers(2, env={"REMINDER_BATCH_SIZE": "2"})
    make_due_reminders(2000)
    labels = [f"HV-MP-{n}" for n in range(3)]
    Reminder.objects.bulk_create(
        Reminder(
            kind=Kind.CHECK_IN,
            recipient=employee,
            due_at=timezone.now() - timedelta(minutes=1),
            key=f"several-processes:{label}",
            label=label,
            link="/",
        )
        for label in labels
    )
    visitor = Visitor()
    visitor.log_in(web_a, employee)

    dispatch(10)

    wait_for(lambda: not Reminder.objects.pending().exists(), timeout=60, what="every reminder to be sent")
    wait_for(
        lambda: delivered_by(first) + delivered_by(second) >= 2003, timeout=10, what="the workers to log their runs"
    )
    wait_for(
        lambda: not running_a_dispatch(first) and not running_a_dispatch(second), timeout=15, what="every run to end"
    )
    assert_each_delivered_once(2003)
    assert delivered_by(first) + delivered_by(second) == 2003
    assert ran_at_the_same_time(first, second), (runs(first), runs(second))
    if connection.vendor == "postgresql":
        # SKIP LOCKED: both deliver side by side (on SQLite one may wait out the other).
        assert delivered_by(first) > 0
        assert delivered_by(second) > 0
    assert Notification.objects.filter(recipient=employee).count() == 3
    # The employee has an e-mail address: one e-mail per reminder, not one per worker.
    wait_for(
        lambda: Reminder.objects.filter(recipient=employee, emailed_at__isnull=False).count() == 3,
        timeout=30,
        what="the e-mails",
    )
    assert sent_to(employee.email, worker_env) == 3

    for server in (web_a, web_b):
        page = visitor.get(server, reverse("notifications:list"))
        assert page.status == 200, page.text[:2000]
        assert [page.text.count(f"<strong>{label}</strong>") for label in labels] == [1, 1, 1], server.name
