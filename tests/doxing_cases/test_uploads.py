"""Uploaded files: judged by content, cleaned of metadata, stored with no URL,
handed out only through an access-checked, logged download."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from doxing_cases import services, uploads
from doxing_cases.models import ReportAttachment
from people.models import AccessLog
from tests.factories import report_details


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_it_accepts_a_png_by_its_content_whatever_its_name():
    image = io.BytesIO()
    Image.new("RGB", (10, 10)).save(image, "PNG")

    checked = uploads.check_upload(upload("screenshot.jpeg", image.getvalue()))

    assert checked.content_type == uploads.PNG


def test_it_removes_exif_and_gps_from_a_photo():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()

    checked = uploads.check_upload(upload("foto.jpg", original))

    assert checked.content_type == uploads.JPEG
    assert not Image.open(io.BytesIO(checked.content)).getexif()
    assert b"PhoneMaker" not in checked.content
    assert checked.original_sha256 != checked.sha256


def test_it_accepts_a_pdf_as_it_is():
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    checked = uploads.check_upload(upload("pagina.pdf", data))

    assert (checked.content_type, checked.content) == (uploads.PDF, data)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("programma.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("notitie.txt", b"gewone tekst"),
        ("pagina.html", b"\x00\x01<html><script>alert(1)</script>"),
        ("kapot.png", b"\x89PNG\r\n\x1a\n" + b"not really a png"),
        ("leeg.png", b""),
    ],
)
def test_it_refuses_what_is_not_a_screenshot_and_names_the_file(name, data):
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload(name, data))

    assert name in refused.value.messages[0]


def test_it_refuses_a_decompression_bomb():
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 megapixels, a few kilobytes

    with pytest.raises(ValidationError):
        uploads.check_upload(upload("bom.png", out.getvalue()))


def test_private_files_have_no_url():
    with pytest.raises(ValueError, match="no URL"):
        uploads.private_storage.url("reports/1/x.png")


def test_it_purges_kept_files_after_a_day_only():
    checked = uploads.check_upload(upload("a.pdf", b"%PDF-1.4 test"))
    old = uploads.keep(checked, user_id=1)
    fresh = uploads.keep(checked, user_id=1)
    past = (timezone.now() - timedelta(hours=25)).timestamp()
    os.utime(uploads.private_storage.path(old.name), (past, past))

    removed = uploads.purge_kept()

    assert removed == 1
    assert not uploads.private_storage.exists(old.name)
    assert uploads.private_storage.exists(fresh.name)


def test_a_tampered_kept_token_is_ignored():
    checked = uploads.check_upload(upload("a.pdf", b"%PDF-1.4 test"))
    kept = uploads.keep(checked, user_id=1)

    assert uploads.unseal_kept(kept.token, user_id=1) == kept
    assert uploads.unseal_kept(kept.token + "x", user_id=1) is None
    assert uploads.unseal_kept(kept.token, user_id=2) is None


@pytest.fixture
def attachment(db, employee, manager, coordinator) -> ReportAttachment:
    checked = uploads.check_upload(upload("bewijs.pdf", b"%PDF-1.4 bewijs"))
    report = services.report_file(actor=employee, subject=employee, details=report_details(), files=[checked])
    services.case_take(actor=coordinator, case=report.case)
    return report.attachments.get()


def download_url(attachment: ReportAttachment) -> str:
    return reverse("cases:attachment", args=[attachment.report.case_id, attachment.pk])


def test_the_coordinator_downloads_a_file_as_an_attachment(login, attachment, coordinator):
    response = login(coordinator).get(download_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bewijs"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bewijs" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_a_download_writes_an_access_log_row(login, attachment, coordinator):
    login(coordinator).get(download_url(attachment))

    row = AccessLog.objects.get(action=AccessLog.Action.DOWNLOAD_FILE)
    assert (row.user, row.case_id, row.object_id) == (coordinator, attachment.report.case_id, attachment.pk)


def test_the_employee_can_download_their_own_file(login, attachment, employee):
    assert login(employee).get(download_url(attachment)).status_code == 200


@pytest.mark.parametrize("who", ["manager", "colleague", "coordinator2", "specialist", "hr", "admin"])
def test_others_get_404_for_a_file(request, login, attachment, who):
    assert login(request.getfixturevalue(who)).get(download_url(attachment)).status_code == 404


def test_a_file_changed_on_disk_is_not_handed_out(login, attachment, coordinator):
    with open(uploads.private_storage.path(attachment.file.name), "ab") as handle:
        handle.write(b"tampered")

    assert login(coordinator).get(download_url(attachment)).status_code == 404


def test_a_file_of_another_case_is_not_reachable_through_this_case(login, attachment, coordinator, employee):
    other = services.report_file(actor=employee, subject=employee, details=report_details())
    services.case_take(actor=coordinator, case=other.case)

    url = reverse("cases:attachment", args=[other.case_id, attachment.pk])

    assert login(coordinator).get(url).status_code == 404


def test_download_refuses_post(login, attachment, coordinator):
    assert login(coordinator).post(download_url(attachment)).status_code == 405


def test_files_written_for_a_failed_report_are_removed(db, employee):
    checked = uploads.check_upload(upload("bewijs.pdf", b"%PDF-1.4 weg"))
    vanished = uploads.keep(checked, user_id=employee.pk)
    uploads.private_storage.delete(vanished.name)
    before = set(_all_files())

    with pytest.raises(FileNotFoundError):
        services.report_file(
            actor=employee, subject=employee, details=report_details(), files=[checked], kept=[vanished]
        )

    assert set(_all_files()) == before
    assert ReportAttachment.objects.count() == 0


def _all_files() -> list[str]:
    root = uploads.private_storage.location
    return [os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names]
