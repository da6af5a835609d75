"""A coordinator registers a report that came in by phone: finds the employee
by name among many, fills in what they said, and lands on the new case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from doxing_cases.models import Case, Report
from tests.e2e.conftest import log_in
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_registers_a_phoned_in_report(live_server, open_context, journey):
    team = TeamFactory(name="Brandweer Noord")
    employee = UserFactory(username="sanne", first_name="Sanne", last_name="de Vries", team=team)
    UserFactory(username="sander", first_name="Sander", last_name="de Vries", team=team)
    UserFactory(username="coordinator", first_name="Lotte", last_name="Visser", roles=["coordinator"])
    steps = journey("intake")
    page = open_context().new_page()

    log_in(page, live_server.url, "coordinator")
    page.get_by_role("link", name="Telefonische of persoonlijke melding registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Melding registreren")
    steps.check(page, "find")

    page.get_by_label("Naam, gebruikersnaam of e-mailadres").fill("de vries")
    page.get_by_label("Naam, gebruikersnaam of e-mailadres").press("Enter")
    results = page.get_by_role("table")
    expect(results).to_contain_text("Sanne de Vries")
    expect(results).to_contain_text("Sander de Vries")
    steps.check(page, "found")

    page.get_by_role("link", name="Kiezen Sanne de Vries").click()
    expect(page.locator("main")).to_contain_text("Sanne de Vries · Brandweer Noord")
    page.get_by_role("group", name="Hoe heb je de melding ontvangen?").get_by_label("Telefonisch").check()
    page.get_by_role("radio", name="Nee").first.check()
    page.get_by_role("button", name="Melding registreren").first.click()
    expect(page.get_by_role("alert").or_(page.locator(".error-summary"))).to_be_visible()
    steps.check(page, "form-error")

    page.get_by_label("Wat is er gebeurd, in de woorden van de medewerker?").fill(
        "Belde vanavond: haar adres staat in een Telegram-groep."
    )
    page.get_by_role("button", name="Melding registreren").first.click()

    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(case.reference)
    steps.check(page, "case")
    report = case.reports.get()
    assert (report.subject, report.received_via) == (employee, Report.ReceivedVia.PHONE)
    assert case.coordinator.username == "coordinator"
    steps.finish()
