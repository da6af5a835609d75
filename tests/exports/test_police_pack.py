"""The police pack (issue 7, item 2; recommendation 19): the VPT marking, the
employer as the address of record, the offences, the evidence with capture
times, URLs and SHA-256 values, and the takedown status per URL."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from doxing_cases.models import Evidence
from doxing_cases.services import involvement, online, security
from exports.models import CaseExport
from exports.services import case_reports as export_services
from people.models import AccessLog
from tests.exports.test_case_reports import EVIDENCE_URL, fill_case, pdf_text
from tests.factories import make_case

pytestmark = pytest.mark.django_db

ORGANISATION_ADDRESS = "Postbus 1234\n3500 AB Utrecht"


@pytest.fixture
def police_case(case, coordinator):
    organisation = case.subject.team.organisation
    organisation.address = ORGANISATION_ADDRESS
    organisation.save()
    fill_case(case, coordinator, evidence_count=3)
    takedown = case.takedowns.get()
    online.takedown_record_sending(
        actor=coordinator, takedown=takedown, sent_on=timezone.localdate(), sent_by=coordinator
    )
    takedown.refresh_from_db()
    online.takedown_record_answer(actor=coordinator, takedown=takedown, status="removed")
    return case


def pack_url(case, report=None) -> str:
    report = report or case.police_reports.get()
    return reverse("exports:police_pack", args=[case.pk, report.pk])


def test_it_gives_the_coordinator_the_pack(login, police_case, coordinator, tmp_path):
    response = login(coordinator).get(pack_url(police_case))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "VPT: Veilige Publieke Taak" in text
    assert "Postbus 1234" in text and "3500 AB Utrecht" in text
    assert "Threat" in text and "Personal details shared to intimidate (doxing)" in text
    assert "PL-2026-77" in text


def test_it_lists_the_evidence_with_capture_time_url_and_sha256(login, police_case, coordinator, tmp_path):
    text = pdf_text(login(coordinator).get(pack_url(police_case)).content, tmp_path, mode="-raw")
    flat = "".join(text.split())
    with_file = Evidence.objects.exclude(sha256="").get()

    for number in range(3):
        assert f"{EVIDENCE_URL}/{number}" in flat
    assert with_file.sha256 in flat
    assert timezone.localtime(with_file.captured_at).strftime("%d %b %Y %H:%M").lstrip("0") in text


def test_it_gives_the_takedown_status_per_url(login, police_case, coordinator, tmp_path):
    text = pdf_text(login(coordinator).get(pack_url(police_case)).content, tmp_path)

    assert "Removed" in text
    assert text.count("not requested") == 2


def test_it_leaves_the_vpt_marking_out_when_not_set(login, police_case, coordinator, tmp_path):
    report = security.police_report_create(actor=coordinator, case=police_case, kind="melding", vpt=False)

    text = pdf_text(login(coordinator).get(pack_url(police_case, report)).content, tmp_path)

    assert "VPT: Veilige Publieke Taak" not in text


@pytest.mark.parametrize("who", ["employee", "manager", "coordinator2", "hr", "privacy", "colleague", "admin"])
def test_others_get_404(request, login, police_case, who):
    assert login(request.getfixturevalue(who)).get(pack_url(police_case)).status_code == 404


def test_an_involved_security_officer_gets_404(login, police_case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=police_case, user=security, kind="security")

    assert login(security).get(pack_url(police_case)).status_code == 404


def test_hr_with_a_grant_gets_404(login, police_case, coordinator, hr):
    export_services.hr_export_grant(
        actor=coordinator, case=police_case, hr_user=hr, valid_until=timezone.localdate() + dt.timedelta(days=3)
    )

    assert login(hr).get(pack_url(police_case)).status_code == 404


def test_a_police_report_of_another_case_answers_404(login, police_case, coordinator, colleague):
    other = make_case(colleague, coordinator=coordinator)
    report = security.police_report_create(actor=coordinator, case=other, kind="melding")

    assert login(coordinator).get(pack_url(police_case, report)).status_code == 404


def test_it_refuses_post(login, police_case, coordinator):
    assert login(coordinator).post(pack_url(police_case)).status_code == 405


def test_it_writes_an_access_log_row_and_a_row_on_the_case(login, police_case, coordinator):
    login(coordinator).get(pack_url(police_case))

    export = CaseExport.objects.get()
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (export.document, export.police_report, export.exported_by) == (
        "police_pack",
        police_case.police_reports.get(),
        coordinator,
    )
    assert (log.user, log.case_id, log.object_kind, log.object_id) == (
        coordinator,
        police_case.pk,
        "police_pack",
        export.pk,
    )
    assert export.history.first().history_user == coordinator


def test_the_pack_renders_to_png(login, police_case, coordinator, tmp_path):
    path = tmp_path / "pack.pdf"
    path.write_bytes(login(coordinator).get(pack_url(police_case)).content)

    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "pack")], check=True)

    pages = sorted(tmp_path.glob("pack*.png"))
    assert pages and all(Image.open(page).size[0] > 400 for page in pages)
