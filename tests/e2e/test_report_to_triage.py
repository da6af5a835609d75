"""An employee files a report on a phone; a coordinator finds it in triage and takes it."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from doxing_cases.models import Case
from people import access
from people.models import User
from tests.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    user = User.objects.get(username=username)
    # Privileged roles log in with a TOTP code: give them a device, then type
    # the code an authenticator app would show.
    device = None
    if access.must_use_second_factor(user):
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="e2e", defaults={"confirmed": True})
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if device is not None:
        page.wait_for_url(re.compile(r"/accounts/two-step/code/"))
        page.locator("input[name=otp_token]").fill(f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
        page.locator("form:has(input[name=otp_token]) button[type=submit]").click()


def test_an_employee_reports_and_a_coordinator_takes_it(live_server, browser: Browser, page: Page, journey):
    team = TeamFactory(name="Handhaving Centrum")
    UserFactory(username="employee", first_name="Sanne", last_name="de Vries", team=team)
    UserFactory(username="coordinator", first_name="Lotte", last_name="Visser", roles=["coordinator"])
    steps = journey("triage")

    log_in(page, live_server.url, "employee")
    page.get_by_role("link", name="Iets melden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld wat er is gebeurd")
    page.get_by_label("Wat is er gebeurd?").fill("Mijn adres staat sinds vanavond in een Telegram-groep.")
    page.get_by_role("radio", name="Nee").first.check()
    steps.check(page, "employee-report-form")
    page.get_by_role("button", name="Melding versturen").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("ontvangen")
    steps.check(page, "employee-report-sent")
    case = Case.objects.get()

    coordinator_context = browser.new_context(viewport={"width": 390, "height": 844})
    coordinator = coordinator_context.new_page()
    log_in(coordinator, live_server.url, "coordinator")
    queue = coordinator.get_by_role("table").first
    expect(queue).to_contain_text(case.reference)
    expect(queue).to_contain_text("Sanne de Vries")
    steps.check(coordinator, "coordinator-triage-queue")

    coordinator.get_by_role("button", name=re.compile(f"Oppakken {case.reference}")).click()

    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(coordinator.get_by_role("status")).to_contain_text("coördinator")
    steps.check(coordinator, "coordinator-case-taken")
    case.refresh_from_db()
    assert case.coordinator.username == "coordinator"
    assert case.status == Case.Status.TRIAGE
    coordinator_context.close()
    steps.finish()
