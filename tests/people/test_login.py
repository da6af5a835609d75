"""Logging in and out, the start page per role, the language switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_in_with_username_and_password(client, employee):
    response = client.post(reverse("login"), {"username": "employee", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("cases:my")).status_code == 200


def test_a_wrong_password_keeps_the_username_and_says_so(client, employee):
    response = client.post(reverse("login"), {"username": "employee", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert b'value="employee"' in response.content


def test_logout_needs_a_post(login, employee):
    client = login(employee)

    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("cases:my")).status_code == 302


def test_the_start_page_sends_each_role_to_its_work(login, employee, manager, coordinator):
    assert login(employee).get("/").url == reverse("cases:my")
    assert login(manager).get("/").url == reverse("cases:team")
    assert login(coordinator).get("/").url == reverse("cases:dashboard")


def test_the_menu_shows_only_what_the_role_can_use(login, employee, manager, coordinator, hr, privacy):
    def menu(user):
        return [str(item["label"]) for item in login(user).get(reverse("cases:my")).context["nav_items"]]

    assert menu(employee) == ["Report", "My reports", "Prevention"]
    assert menu(manager) == ["Report", "My reports", "Prevention", "My team", "Lessons"]
    assert menu(coordinator) == [
        "Report",
        "My reports",
        "Prevention",
        "Cases",
        "Calendar",
        "My tasks",
        "Lessons",
        "Statistics",
    ]
    assert menu(hr) == ["Report", "My reports", "Prevention", "Statistics", "Case reports"]
    assert menu(privacy) == [
        "Report",
        "My reports",
        "Prevention",
        "National export",
        "Subject access",
        "Access log",
        "Record of processing",
    ]


def test_pages_are_in_dutch_by_default(client, employee):
    client.force_login(employee)

    response = client.get(reverse("cases:report_new"))

    assert response.headers["Content-Language"] == "nl"
    assert b"Wat is er gebeurd?" in response.content


def test_the_language_switch_remembers_english(client, employee):
    client.force_login(employee)

    client.post(reverse("set_language"), {"language": "en", "next": "/my/"})
    response = client.get(reverse("cases:report_new"))

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert b"What happened?" in response.content


def test_a_browser_set_to_english_still_gets_dutch(client, employee):
    client.force_login(employee)

    response = client.get(reverse("cases:report_new"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "nl"
