"""Encryption at rest (issue 8, item 4): canaries written through the services
appear in no raw database row (history included) and in no file on disk,
while the app still reads them; keys rotate; a deleted case key leaves the
case's files unreadable."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from aftercare.services import follow_ups
from doxing_cases import services, uploads
from doxing_cases.models import (
    CaseEvent,
    CaseKey,
    CheckIn,
    Evidence,
    ExposedItem,
    Message,
    PoliceReport,
    Report,
    SecurityMeasure,
)
from doxing_cases.services import coordination, online, security, support
from people import checks, crypto
from tests.factories import report_details

pytestmark = pytest.mark.django_db

#: One canary per encrypted place; each must be absent from every raw row and file.
CANARIES = {
    "report": "CANARY-REPORT-Q7T1",
    "phone": "0612CANARY9087",
    "address": "CANARY-HOME-ADDRESS-W3K8",
    "evidence_note": "CANARY-EVIDENCE-NOTE-B4N2",
    "evidence_file": "CANARY-EVIDENCE-FILE-H6V5",
    "kept_file": "CANARY-KEPT-FILE-R2D9",
    "threat": "CANARY-THREAT-BASIS-J8P3",
    "security": "CANARY-SECURITY-DETAIL-M5C7",
    "relatives": "CANARY-RELATIVES-VIEW-X1Z4",
    "police": "CANARY-POLICE-NOTES-L9F6",
    "check_in": "CANARY-CHECKIN-NEEDS-G2S8",
    "support": "CANARY-SUPPORT-NOTE-T4Y1",
    "message": "CANARY-MESSAGE-BODY-K7W3",
    "case_note": "CANARY-CASE-NOTE-P5E2",
    "follow_up": "CANARY-FOLLOW-UP-NEEDS-V8U6",
}
#: Written to a field that is not encrypted, to prove the scan finds plain text.
CONTROL = "CONTROL-PLAIN-DECISION-N3R7"


def text_file(name: str, text: str) -> uploads.CheckedFile:
    upload = SimpleUploadedFile(name, f"Chat copied from the app: {text}\n".encode(), content_type="text/plain")
    return uploads.check_upload(upload, allowed=uploads.EVIDENCE_TYPES)


def raw_hits(needles: list[str]) -> dict[str, list[str]]:
    """needle -> tables whose raw rows contain it, read past the ORM (no decryption)."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected names
            for row in cursor.fetchall():
                text = " ".join(
                    bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
                    for value in row
                )
                for needle in needles:
                    if needle in text and table not in found.get(needle, []):
                        found.setdefault(needle, []).append(table)
    return found


def file_hits(needles: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in needles:
                if needle.encode() in data:
                    found.setdefault(needle, []).append(str(path))
    return found


@pytest.fixture
def filled(employee, coordinator):
    """A case with a canary in every encrypted place, made through the services."""
    report = services.report_file(
        actor=employee,
        subject=employee,
        details=report_details(
            description=f"They posted my address {CANARIES['report']}", contact_phone=CANARIES["phone"]
        ),
    )
    case = services.case_take(actor=coordinator, case=report.case)
    item = online.exposed_item_create(
        actor=coordinator,
        case=case,
        kind=ExposedItem.Kind.HOME_ADDRESS,
        detail=f"Dorpsstraat 1 {CANARIES['address']}",
        platform="telegram",
        urls=["https://t.me/example/1"],
    )
    evidence = online.evidence_add(
        actor=coordinator,
        case=case,
        url="https://t.me/example/1",
        platform="telegram",
        captured_at=timezone.now() - dt.timedelta(hours=1),
        exposed_item=item,
        description=f"The post {CANARIES['evidence_note']}",
        file=text_file("chat.txt", CANARIES["evidence_file"]),
    )
    uploads.keep(text_file("kept.txt", CANARIES["kept_file"]), user_id=employee.pk)
    security.threat_assess(actor=coordinator, case=case, level=2, basis=f"Threat {CANARIES['threat']}")
    security.security_measure_create(
        actor=coordinator,
        case=case,
        kind=SecurityMeasure.Kind.CAMERA,
        responsible_department="Facilities",
        description=f"Camera {CANARIES['security']}",
        relatives_view=f"Partner {CANARIES['relatives']}",
    )
    security.police_report_create(
        actor=coordinator, case=case, kind=PoliceReport.Kind.MELDING, offences=["doxing"], notes=CANARIES["police"]
    )
    support.check_in_log(actor=coordinator, case=case, wellbeing="okay", needs=f"Shifts {CANARIES['check_in']}")
    support.support_activity_log(actor=coordinator, case=case, kind="team_talk", note=CANARIES["support"])
    support.message_send(actor=employee, case=case, body=f"Hello {CANARIES['message']}")
    services.case_add_note(actor=coordinator, case=case, text=f"Called {CANARIES['case_note']}")
    follow_up = follow_ups.follow_up_add(
        actor=coordinator, case=case, planned_on=timezone.localdate(), owner=coordinator, reason="month"
    )
    follow_ups.follow_up_record(
        actor=coordinator, follow_up=follow_up, held_on=timezone.localdate(), needs=CANARIES["follow_up"]
    )
    coordination.decision_record(
        actor=coordinator, case=case, question=CONTROL, options="", decision="No", decided_by="Coordinator"
    )
    return case, evidence


def test_no_canary_in_any_raw_row_or_file_on_disk(filled) -> None:
    hits = raw_hits([*CANARIES.values(), CONTROL])

    assert CONTROL in hits, "the scan must find plain text in an unencrypted column"
    assert {needle: tables for needle, tables in hits.items() if needle != CONTROL} == {}
    assert file_hits(list(CANARIES.values())) == {}


def test_the_app_still_reads_every_canary(filled) -> None:
    case, evidence = filled

    assert CANARIES["report"] in Report.objects.get(case=case).description
    assert Report.objects.get(case=case).contact_phone == CANARIES["phone"]
    assert CANARIES["address"] in ExposedItem.objects.get(case=case).detail
    assert CANARIES["check_in"] in CheckIn.objects.get(case=case).needs
    assert CANARIES["message"] in Message.objects.get(case=case).body
    assert (
        CANARIES["case_note"] in CaseEvent.objects.filter(case=case).exclude(note="").values_list("note", flat=True)[0]
    )
    assert CANARIES["security"] in SecurityMeasure.history.filter(case=case).first().description
    assert CANARIES["evidence_file"].encode() in uploads.read_stored(evidence.file.name, case_id=case.pk)


def test_a_download_still_serves_the_plain_file(filled, coordinator, login) -> None:
    case, evidence = filled
    client = login(coordinator)

    response = client.get(reverse("cases:evidence_file", args=[case.pk, evidence.pk]))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert CANARIES["evidence_file"].encode() in body
    assert hashlib.sha256(body).hexdigest() == evidence.sha256


def test_deleting_the_case_key_makes_its_files_unreadable(filled, coordinator, login) -> None:
    case, evidence = filled
    stored = Path(uploads.private_storage.path(evidence.file.name)).read_bytes()

    CaseKey.objects.filter(case=case).delete()

    assert Path(uploads.private_storage.path(evidence.file.name)).read_bytes() == stored  # the copy is still there
    with pytest.raises(crypto.DecryptionFailed):
        uploads.read_stored(evidence.file.name, case_id=case.pk)
    response = login(coordinator).get(reverse("cases:evidence_file", args=[case.pk, evidence.pk]))
    assert response.status_code == 404


def test_a_file_does_not_open_under_another_case(filled, employee, coordinator) -> None:
    _case, evidence = filled
    other = services.case_take(
        actor=coordinator, case=services.report_file(actor=employee, subject=employee, details=report_details()).case
    )
    uploads.case_file_key(other.pk)

    with pytest.raises(crypto.DecryptionFailed):
        uploads.read_stored(evidence.file.name, case_id=other.pk)


def test_keys_rotate_without_losing_a_value(filled, settings) -> None:
    case, evidence = filled
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [new, *old]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new]

    assert CANARIES["check_in"] in CheckIn.objects.get(case=case).needs
    assert CANARIES["security"] in SecurityMeasure.history.filter(case=case).first().description
    assert CANARIES["evidence_file"].encode() in uploads.read_stored(evidence.file.name, case_id=case.pk)
    settings.FIELD_ENCRYPTION_KEYS = old
    with pytest.raises(crypto.DecryptionFailed):
        CheckIn.objects.get(case=case)


def test_rotation_seals_a_file_stored_before_files_were_sealed(filled) -> None:
    case, evidence = filled
    path = Path(uploads.private_storage.path(evidence.file.name))
    path.write_bytes(uploads.read_stored(evidence.file.name, case_id=case.pk))  # as an older version wrote it

    call_command("rotate_encryption_keys", stdout=io.StringIO())

    assert crypto.is_sealed(path.read_bytes())
    assert CANARIES["evidence_file"].encode() not in path.read_bytes()
    assert hashlib.sha256(uploads.read_stored(evidence.file.name, case_id=case.pk)).hexdigest() == evidence.sha256


def test_values_written_before_encryption_are_read_and_then_encrypted(filled) -> None:
    case, _evidence = filled
    table = CheckIn._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {connection.ops.quote_name(table)} SET needs = %s", ["plain from before"])  # noqa: S608

    assert CheckIn.objects.get(case=case).needs == "plain from before"
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    assert raw_hits(["plain from before"]) == {}
    assert CheckIn.objects.get(case=case).needs == "plain from before"


def test_an_encrypted_field_refuses_lookups_that_cannot_work(filled) -> None:
    with pytest.raises(FieldError):
        list(CheckIn.objects.filter(needs__icontains="shifts"))
    with pytest.raises(FieldError):
        list(CheckIn.objects.filter(needs="Shifts"))

    assert CheckIn.objects.exclude(needs="").count() == 1
    assert Evidence.objects.filter(description__isnull=False).count() == 1


def test_the_deployment_check_wants_real_keys(settings) -> None:
    settings.FIELD_ENCRYPTION_KEYS_DERIVED = True
    assert [warning.id for warning in checks.encryption_keys_configured()] == ["handvat.W001"]

    settings.FIELD_ENCRYPTION_KEYS_DERIVED = False
    assert checks.encryption_keys_configured() == []

    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    assert [error.id for error in checks.encryption_keys_valid()] == ["handvat.E001"]


def test_the_coordinator_reads_the_case_page_in_plain_words(filled, coordinator, login) -> None:
    case, _evidence = filled
    body = login(coordinator).get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert CANARIES["report"] in body
