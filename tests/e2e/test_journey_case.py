"""One case from triage to the privacy officer's access log, each person in
their own browser and in Dutch, the default: the coordinator triages and
arranges the work, the specialist sees only their part, the peer supporter's
reminder arrives a day later, the manager checks in, the case goes to
aftercare, the employee sees what lies ahead, HR downloads the report they
were granted, and the privacy officer sees who read the case."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from doxing_cases.models import Case
from notifications.tasks import dispatch_reminders
from people import services as people_services
from people.models import User
from tests.e2e.conftest import DESKTOP, log_in
from tests.factories import TeamFactory, UserFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)

REPORTED = "Mijn adres staat op een forum, met een foto van mijn huis."


def submit(page: Page) -> None:
    """The form's main button, whatever it is called on this page."""
    page.locator("main form button.button--primary[type=submit]").last.click()


def tr(text: str) -> str:
    """The Dutch text people see (Dutch is the default language)."""
    with translation.override("nl"):
        return gettext(text)


def field(page: Page, name: str) -> Locator:
    return page.locator(f"main form [name={name}]")


def choose(page: Page, name: str, value: str) -> None:
    page.locator(f"main form input[name={name}][value={value}]").check()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        return subprocess.run(
            ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def test_it_takes_a_case_from_triage_to_the_access_log(live_server, open_context, journey):
    team = TeamFactory(name="Handhaving Centrum")
    support_team = TeamFactory(name="Veiligheid en Welzijn")
    employee = UserFactory(username="employee", first_name="Sanne", last_name="de Vries", team=team)
    manager = UserFactory(username="manager", first_name="Marieke", last_name="Jansen", team=team, roles=["manager"])
    people_services.team_set_managers(actor=None, team=team, managers=[manager])
    for username, first, last, role in [
        ("coordinator", "Lotte", "Visser", "coordinator"),
        ("peer", "Ilse", "Mulder", "peer_supporter"),
        ("specialist", "Ruben", "de Boer", "specialist"),
        ("hr", "Thomas", "Hendriks", "hr"),
        ("privacy", "Fatima", "Ouali", "privacy_officer"),
    ]:
        UserFactory(username=username, first_name=first, last_name=last, team=support_team, roles=[role])
    # Filed through the service; the employee journeys file theirs through the form.
    case = make_case(employee, description=REPORTED)
    steps = journey("case")
    url = live_server.url

    # --- The coordinator, on a desktop, through the real two-step login.
    coordinator = open_context(viewport=DESKTOP).new_page()
    log_in(coordinator, url, "coordinator", steps)
    steps.check(coordinator, "coordinator-dashboard")
    coordinator.get_by_role("button", name=f"{tr('Take')} {case.reference}").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(case.reference)
    steps.check(coordinator, "coordinator-case-taken")

    coordinator.get_by_role("link", name=tr("Change the status")).click()
    choose(coordinator, "status", "active")
    field(coordinator, "note").fill("Gesproken met Sanne; we beginnen met het laten verwijderen.")
    steps.check(coordinator, "coordinator-status-form")
    submit(coordinator)
    expect(coordinator.locator(".badges").first).to_contain_text(tr("Active"))

    # Involve the specialist and the peer supporter.
    for kind, label, name in [
        ("specialist", "Online specialist", "Ruben de Boer"),
        ("peer", "Peer supporter", "Ilse Mulder"),
    ]:
        coordinator.goto(f"{url}/cases/{case.pk}/people/")
        coordinator.get_by_role("link", name=tr(label), exact=True).click()
        field(coordinator, "user").select_option(value=str(User.objects.get(username=kind).pk))
        field(coordinator, "note").fill("Wil je dit deze week oppakken?")
        steps.check(coordinator, f"coordinator-involve-{kind}")
        submit(coordinator)
        expect(coordinator.get_by_role("status")).to_contain_text(tr("%(name)s is now involved.") % {"name": name})
    steps.check(coordinator, "coordinator-people")

    # The specialist sees the case among their work, and only their part of it.
    specialist = open_context(viewport=DESKTOP).new_page()
    log_in(specialist, url, "specialist", steps)
    specialist.goto(f"{url}/tasks/")
    steps.check(specialist, "specialist-tasks")
    specialist.goto(f"{url}/cases/{case.pk}/")
    expect(specialist.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(specialist.locator("main")).not_to_contain_text(REPORTED)
    steps.check(specialist, "specialist-case")

    # Evidence, with a screenshot file.
    coordinator.goto(f"{url}/cases/{case.pk}/")
    coordinator.get_by_role("link", name=tr("Add evidence")).click()
    field(coordinator, "url").fill("https://forum.example.org/t/123")
    field(coordinator, "description").fill("Het bericht met het huisadres en een foto van het huis.")
    field(coordinator, "file").set_input_files(
        {"name": "forum-post.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    steps.check(coordinator, "coordinator-evidence-form")
    submit(coordinator)
    expect(coordinator.locator("main")).to_contain_text("forum.example.org")
    steps.check(coordinator, "coordinator-evidence-saved")

    # A formal police report, filed by the employer.
    coordinator.goto(f"{url}/cases/{case.pk}/")
    coordinator.get_by_role("link", name=tr("Register a police report")).click()
    choose(coordinator, "kind", "aangifte")
    choose(coordinator, "status", "filed")
    field(coordinator, "filed_on").fill(timezone.localdate().isoformat())
    field(coordinator, "police_reference").fill("PL0900-2026123456")
    steps.check(coordinator, "coordinator-police-form")
    submit(coordinator)
    steps.check(coordinator, "coordinator-police-saved")

    # A takedown request to the host.
    coordinator.goto(f"{url}/cases/{case.pk}/")
    coordinator.get_by_role("link", name=tr("Ask for removal")).click()
    field(coordinator, "url").fill("https://forum.example.org/t/123")
    choose(coordinator, "route", "ntd")
    steps.check(coordinator, "coordinator-takedown-form")
    submit(coordinator)
    steps.check(coordinator, "coordinator-takedown-saved")

    # HR may export the case report for two weeks (the form's default).
    coordinator.goto(f"{url}/cases/{case.pk}/")
    coordinator.get_by_role("link", name=tr("Let HR export the case report")).click()
    field(coordinator, "reason").fill("Een andere werkplek regelen.")
    steps.check(coordinator, "coordinator-hr-grant-form")
    submit(coordinator)
    steps.check(coordinator, "coordinator-hr-granted")

    case.refresh_from_db()
    assert case.coordinator.username == "coordinator"
    assert case.status == Case.Status.ACTIVE
    assert case.involvements.filter(ended_at__isnull=True).count() == 2
    assert case.evidence.count() == 1
    assert case.police_reports.get().kind == "aangifte"
    assert case.takedowns.count() == 1

    # --- A day and an hour later the dispatcher (run here, in-process, as beat
    # would every minute) delivers the peer-support offer.
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25), tick=True):
        assert dispatch_reminders() >= 1
        peer = open_context().new_page()
        log_in(peer, url, "peer", steps)
        header_link = peer.locator(".site-header__notifications")
        expect(header_link).to_contain_text(tr("unread"))
        header_link.click()
        offer = peer.locator("main li").filter(has_text=case.reference)
        expect(offer).to_contain_text(
            tr("Offer peer support now: the best moment is 24 to 48 hours after the incident.")
        )
        steps.check(peer, "peer-notifications")

        # --- The manager logs a check-in, on a phone.
        manager_page = open_context().new_page()
        log_in(manager_page, url, "manager", steps)
        steps.check(manager_page, "manager-home")
        manager_page.get_by_role("navigation").get_by_role("link", name=tr("My team")).click()
        steps.check(manager_page, "manager-team")
        manager_page.get_by_role("link", name="Sanne de Vries", exact=True).click()
        steps.check(manager_page, "manager-case")
        manager_page.go_back()
        manager_page.get_by_role("link", name=f"{tr('Record a check-in')} Sanne de Vries").click()
        choose(manager_page, "wellbeing", "okay")
        field(manager_page, "needs").fill("Twee weken een andere dienst.")
        steps.check(manager_page, "manager-check-in-form")
        submit(manager_page)
        steps.check(manager_page, "manager-check-in-saved")
        assert case.check_ins.get().wellbeing == "okay"

        # --- The coordinator, logged out by the idle timeout, logs in again
        # and moves the case to aftercare with a flare-up moment ahead.
        coordinator = open_context(viewport=DESKTOP).new_page()
        log_in(coordinator, url, "coordinator")
        coordinator.goto(f"{url}/cases/{case.pk}/")
        coordinator.get_by_role("link", name=tr("Move to aftercare")).click()
        for reason in coordinator.locator("main form textarea").all():
            reason.fill("Afgesproken met Sanne; dit kan zo blijven.")
        steps.check(coordinator, "coordinator-aftercare-checklist")
        coordinator.get_by_role("button", name=tr("Move to aftercare")).click()
        expect(coordinator.locator(".badges").first).to_contain_text(tr("Aftercare"))
        steps.check(coordinator, "coordinator-in-aftercare")

        coordinator.get_by_role("link", name=tr("Moments of attention")).first.click()
        coordinator.get_by_role("link", name=tr("Enter a moment")).click()
        choose(coordinator, "kind", "court_case")
        field(coordinator, "on").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
        field(coordinator, "description").fill("De rechtszaak tegen de verdachte.")
        steps.check(coordinator, "coordinator-flare-up-form")
        submit(coordinator)
        expect(coordinator.locator("main")).to_contain_text("De rechtszaak tegen de verdachte.")
        steps.check(coordinator, "coordinator-flare-ups")
        case.refresh_from_db()
        assert case.status == Case.Status.AFTERCARE
        assert case.flare_up_moments.get().kind == "court_case"

        # --- The employee sees her contact person and what lies ahead.
        employee_page = open_context().new_page()
        log_in(employee_page, url, "employee", steps)
        employee_page.get_by_role("link", name=re.compile(case.reference)).click()
        expect(employee_page.locator("main")).to_contain_text("Lotte Visser")
        steps.check(employee_page, "employee-own-case")

        # --- HR downloads the case report it was granted.
        hr = open_context(viewport=DESKTOP).new_page()
        log_in(hr, url, "hr", steps)
        hr.get_by_role("navigation").get_by_role("link", name=tr("Case reports")).click()
        expect(hr.locator("main")).to_contain_text(case.reference)
        steps.check(hr, "hr-case-reports")
        with hr.expect_download() as download_info:
            hr.get_by_role("link", name=tr("Download the report (PDF)")).click()
        data = Path(download_info.value.path()).read_bytes()
        assert data.startswith(b"%PDF-")
        text = pdf_text(data)
        assert case.reference in text
        assert "Sanne de Vries" in text
        hr.get_by_role("navigation").get_by_role("link", name=tr("Statistics")).click()
        steps.check(hr, "hr-statistics")

        # --- The privacy officer finds those reads in the access log.
        privacy = open_context(viewport=DESKTOP).new_page()
        log_in(privacy, url, "privacy", steps)
        privacy.get_by_role("navigation").get_by_role("link", name=tr("Access log")).click()
        field(privacy, "case").fill(case.reference)
        submit_filter = privacy.locator("main form button[type=submit]").first
        submit_filter.click()
        rows = privacy.locator("main table tbody tr")
        expect(rows.filter(has_text="coordinator").filter(has_text=tr("viewed the case page")).first).to_be_visible()
        expect(rows.filter(has_text="hr").filter(has_text=tr("exported")).first).to_contain_text("case_report")
        steps.check(privacy, "privacy-access-log")
        privacy.get_by_role("navigation").get_by_role("link", name=tr("Record of processing")).click()
        steps.check(privacy, "privacy-record-of-processing")

    steps.finish()
