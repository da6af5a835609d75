"""The case report PDF (issue 7, item 1): three profiles, HR's grant with an
end date, the access log, and a renderer that fetches nothing from the network."""

from __future__ import annotations

import datetime as dt
import io
import socket
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from doxing_cases import services as case_services
from doxing_cases import uploads
from doxing_cases.services import involvement, online, security, support
from exports.models import CaseExport, HrExportGrant
from exports.services import case_reports as export_services
from people.models import AccessLog
from prevention.pdf import _fetcher, render_html
from tests.factories import make_case

pytestmark = pytest.mark.django_db

CARE_CANARY = "CANARYCARE7731"
SUPPORT_CANARY = "CANARYSUPPORT4419"
SECURITY_CANARY = "CANARYSECURITY5521"
EVIDENCE_CANARY = "CANARYEVIDENCE9902"
NOTE_CANARY = "CANARYNOTE3318"
EVIDENCE_URL = "https://example.org/doxing/post-1"


def png_upload() -> uploads.CheckedFile:
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(out, "PNG")
    return uploads.check_upload(
        SimpleUploadedFile("shot.png", out.getvalue(), content_type="image/png"), allowed=uploads.EVIDENCE_TYPES
    )


def fill_case(case, coordinator, *, evidence_count: int = 1) -> None:
    """A case with something in every part, and a canary in each secret."""
    support.check_in_log(actor=coordinator, case=case, wellbeing="struggling", needs=f"Needs rest {CARE_CANARY}")
    support.support_activity_log(actor=coordinator, case=case, kind="team_talk", note=f"Team {SUPPORT_CANARY}")
    security.security_measure_create(
        actor=coordinator,
        case=case,
        kind="camera",
        responsible_department="Beveiliging",
        description=f"Camera at the back door {SECURITY_CANARY}",
    )
    security.police_report_create(
        actor=coordinator, case=case, kind="aangifte", offences=["doxing", "threat"], police_reference="PL-2026-77"
    )
    for number in range(evidence_count):
        online.evidence_add(
            actor=coordinator,
            case=case,
            url=f"{EVIDENCE_URL}/{number}",
            platform="website",
            captured_at=timezone.now() - dt.timedelta(hours=2),
            description=f"Screenshot of the post {EVIDENCE_CANARY}",
            file=png_upload() if number == 0 else None,
        )
    online.takedown_create(actor=coordinator, case=case, url=f"{EVIDENCE_URL}/0", route="ntd", recipient="Host BV")
    case_services.case_add_note(actor=coordinator, case=case, text=f"Internal {NOTE_CANARY}")


@pytest.fixture
def full_case(case, coordinator):
    fill_case(case, coordinator)
    return case


@pytest.fixture
def granted_hr(full_case, coordinator, hr):
    export_services.hr_export_grant(
        actor=coordinator, case=full_case, hr_user=hr, valid_until=timezone.localdate() + dt.timedelta(days=7)
    )
    return hr


def report_url(case) -> str:
    return reverse("exports:case_report", args=[case.pk])


def pdf_text(content: bytes, tmp_path: Path, *, mode: str = "-layout") -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, check=True, text=True).stdout


def download(client, case) -> bytes:
    response = client.get(report_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


# --- The profiles -------------------------------------------------------------------


def test_it_gives_the_coordinator_everything(login, full_case, coordinator, tmp_path):
    text = pdf_text(download(login(coordinator), full_case), tmp_path)

    assert "Coordinator's copy" in text
    for canary in (CARE_CANARY, SUPPORT_CANARY, SECURITY_CANARY, EVIDENCE_CANARY, NOTE_CANARY):
        assert canary in text
    assert "CONFIDENTIAL" in text and "page 1 of" in text


def test_it_keeps_care_security_details_and_evidence_out_of_the_hr_copy(login, full_case, granted_hr, tmp_path):
    text = pdf_text(download(login(granted_hr), full_case), tmp_path)

    assert "HR copy (need to know)" in text
    for canary in (CARE_CANARY, SUPPORT_CANARY, SECURITY_CANARY, EVIDENCE_CANARY, NOTE_CANARY):
        assert canary not in text
    assert EVIDENCE_URL not in text
    assert "There is 1 security measure" in text
    assert "Camera" not in text
    assert "Formal report (aangifte)" in text and "PL-2026-77" in text


def test_the_employee_copy_shows_what_the_own_case_page_shows(login, full_case, employee, tmp_path):
    online.evidence_add(actor=employee, case=full_case, url="https://example.org/mine", description="Mine")
    text = pdf_text(download(login(employee), full_case), tmp_path)

    assert "Your copy" in text
    assert "https://example.org/mine" in text
    assert "Camera at home" in text
    for canary in (CARE_CANARY, SUPPORT_CANARY, SECURITY_CANARY, EVIDENCE_CANARY, NOTE_CANARY):
        assert canary not in text


def test_it_writes_the_texts_in_the_users_language(login, full_case, coordinator, tmp_path):
    with time_machine.travel(dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)):
        text = pdf_text(download(login(coordinator, language="nl"), full_case), tmp_path)

    assert "2 maart 2027" in text


@pytest.mark.parametrize("who", ["colleague", "manager", "coordinator2", "peer", "hr", "privacy", "admin"])
def test_others_get_404(request, login, full_case, who):
    response = login(request.getfixturevalue(who)).get(report_url(full_case))

    assert response.status_code == 404


def test_an_involved_specialist_gets_404(login, full_case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=full_case, user=specialist, kind="specialist")

    assert login(specialist).get(report_url(full_case)).status_code == 404


def test_it_refuses_post(login, full_case, coordinator):
    assert login(coordinator).post(report_url(full_case)).status_code == 405


# --- HR's grant -----------------------------------------------------------------------


def test_hr_can_export_until_the_end_date_and_not_after(login, full_case, granted_hr):
    grant = HrExportGrant.objects.get()
    last_day = dt.datetime.combine(grant.valid_until, dt.time(23, 0), tzinfo=timezone.get_current_timezone())

    with time_machine.travel(last_day):
        assert login(granted_hr).get(report_url(full_case)).status_code == 200
    with time_machine.travel(last_day + dt.timedelta(hours=2)):
        assert login(granted_hr).get(report_url(full_case)).status_code == 404


def test_a_revoked_grant_answers_404(login, full_case, granted_hr, coordinator):
    grant = HrExportGrant.objects.get()
    client = login(coordinator)

    response = client.post(reverse("exports:hr_grant_revoke", args=[full_case.pk, grant.pk]))

    assert response.status_code == 302
    assert login(granted_hr).get(report_url(full_case)).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_by == coordinator
    assert grant.history.first().history_user == coordinator


def test_the_coordinator_grants_hr_from_the_form(login, full_case, coordinator, hr):
    until = timezone.localdate() + dt.timedelta(days=10)
    response = login(coordinator).post(
        reverse("exports:hr_grant", args=[full_case.pk]),
        {"hr_user": hr.pk, "valid_until": until.isoformat(), "reason": "Verlof regelen"},
    )

    assert response.status_code == 302
    grant = HrExportGrant.objects.get()
    assert (grant.hr_user, grant.valid_until, grant.granted_by) == (hr, until, coordinator)
    assert grant.history.count() == 1
    assert grant.history.first().history_user == coordinator


def test_the_grant_page_shows_the_grants(login, full_case, granted_hr, coordinator):
    response = login(coordinator).get(reverse("exports:hr_grant", args=[full_case.pk]))

    assert response.status_code == 200
    assert escape(granted_hr.display_name) in response.content.decode()


def test_the_grant_refuses_a_date_too_far_ahead(login, full_case, coordinator, hr):
    until = timezone.localdate() + dt.timedelta(days=365)
    response = login(coordinator).post(
        reverse("exports:hr_grant", args=[full_case.pk]), {"hr_user": hr.pk, "valid_until": until.isoformat()}
    )

    assert response.status_code == 200
    assert not HrExportGrant.objects.exists()


def test_the_grant_refuses_someone_outside_hr(login, full_case, coordinator, colleague):
    until = timezone.localdate() + dt.timedelta(days=3)
    response = login(coordinator).post(
        reverse("exports:hr_grant", args=[full_case.pk]), {"hr_user": colleague.pk, "valid_until": until.isoformat()}
    )

    assert response.status_code == 200
    assert not HrExportGrant.objects.exists()


@pytest.mark.parametrize("who", ["coordinator2", "hr", "employee", "manager"])
def test_only_the_coordinator_opens_the_grant_page(request, login, full_case, who):
    response = login(request.getfixturevalue(who)).get(reverse("exports:hr_grant", args=[full_case.pk]))

    assert response.status_code == 404


def test_revoking_refuses_get(login, full_case, granted_hr, coordinator):
    grant = HrExportGrant.objects.get()

    assert login(coordinator).get(reverse("exports:hr_grant_revoke", args=[full_case.pk, grant.pk])).status_code == 405


def test_hr_sees_the_cases_granted_to_them(login, full_case, granted_hr, coordinator, colleague):
    other = make_case(colleague, coordinator=coordinator)
    response = login(granted_hr).get(reverse("exports:hr_cases"))

    assert response.status_code == 200
    assert full_case.reference in response.content.decode()
    assert other.reference not in response.content.decode()


def test_the_hr_list_is_for_hr_only(login, employee):
    assert login(employee).get(reverse("exports:hr_cases")).status_code == 404


def test_the_case_page_links_to_the_exports(login, full_case, coordinator, employee):
    staff_page = login(coordinator).get(reverse("cases:detail", args=[full_case.pk])).content.decode()
    own_page = login(employee).get(reverse("cases:my_case", args=[full_case.pk])).content.decode()

    assert report_url(full_case) in staff_page
    assert reverse("exports:hr_grant", args=[full_case.pk]) in staff_page
    assert report_url(full_case) in own_page
    assert reverse("exports:hr_grant", args=[full_case.pk]) not in own_page


# --- The record of every export ---------------------------------------------------------


@pytest.mark.parametrize(("who", "profile"), [("coordinator", "coordinator"), ("employee", "employee")])
def test_every_export_writes_an_access_log_row_and_a_row_on_the_case(request, login, full_case, who, profile):
    user = request.getfixturevalue(who)
    login(user).get(report_url(full_case))

    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    export = CaseExport.objects.get()
    assert (log.user, log.case_id, log.object_kind, log.object_id) == (user, full_case.pk, "case_report", export.pk)
    assert (export.case, export.profile, export.exported_by) == (full_case, profile, user)
    assert export.pages >= 2
    assert export.history.first().history_user == user


def test_the_hr_export_is_logged_as_hr(login, full_case, granted_hr):
    login(granted_hr).get(report_url(full_case))

    assert CaseExport.objects.get().profile == "hr"
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, user=granted_hr).count() == 1


def test_a_refused_export_writes_no_row(login, full_case, hr):
    login(hr).get(report_url(full_case))

    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()
    assert not CaseExport.objects.exists()


def test_the_query_count_does_not_grow_with_the_case(login, case, coordinator, employee, manager, colleague):
    small = case
    fill_case(small, coordinator, evidence_count=1)
    big = make_case(colleague, coordinator=coordinator)
    fill_case(big, coordinator, evidence_count=12)
    for _ in range(10):
        case_services.case_add_note(actor=coordinator, case=big, text="More")
    client = login(coordinator)

    with CaptureQueriesContext(connection) as few:
        client.get(report_url(small))
    with CaptureQueriesContext(connection) as many:
        client.get(report_url(big))

    assert len(many) == len(few)


# --- Nothing from the network -------------------------------------------------------------


def test_the_url_fetcher_refuses_an_external_url():
    with pytest.raises(ValueError, match="load nothing"):
        _fetcher().fetch("https://example.org/tracker.png")


def test_rendering_never_opens_a_connection(monkeypatch, coordinator):
    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: attempts.append(args))
    html = (
        '<html><head><link rel="stylesheet" href="https://example.org/x.css"></head>'
        '<body><img src="https://example.org/canary.png"><img src="http://127.0.0.1:9/x.png">'
        '<p style="background: url(https://example.org/bg.png)">Hallo</p></body></html>'
    )

    document = render_html(html)

    assert len(document.pages) == 1
    assert attempts == []


def test_an_evidence_url_in_a_report_is_only_text(monkeypatch, login, full_case, coordinator, tmp_path):
    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))

    text = pdf_text(download(login(coordinator), full_case), tmp_path)

    assert f"{EVIDENCE_URL}/0" in text
    assert attempts == []


# --- It looks right -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "granted_hr", "employee"])
def test_the_pdf_renders_to_png(request, login, full_case, who, tmp_path):
    content = download(login(request.getfixturevalue(who)), full_case)
    path = tmp_path / "report.pdf"
    path.write_bytes(content)

    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / f"page-{who}")], check=True)

    pages = sorted(tmp_path.glob(f"page-{who}*.png"))
    assert len(pages) >= 2
    assert all(Image.open(page).size[0] > 400 for page in pages)
