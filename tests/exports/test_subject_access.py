"""The subject-access export (GDPR art. 15): the privacy officer's copy of
everything Handvat holds about one person."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from aftercare.models import CalendarFeed, Evaluation, Feedback, FlareUpMoment, FollowUp
from doxing_cases.models import (
    CaseEvent,
    CheckIn,
    Decision,
    Evidence,
    ExposedItem,
    Message,
    PeerSupportContact,
    PoliceReport,
    ReportAttachment,
    SecurityMeasure,
    ThreatAssessment,
)
from doxing_cases.uploads import private_storage
from exports import subject_access
from notifications.models import Notification, Reminder
from people.models import AccessLog, RosterEntry, User
from prevention.models import SelfScan, TrainingAttendance, TrainingModule, TrainingSession
from tests.factories import make_case

#: Django's and third-party models that point at a user; each is collected or in EXCLUDED.
THIRD_PARTY_APPS = {"admin", "auth", "contenttypes", "sessions", "guardian", "axes", "otp_totp", "otp_static"}


def user_fields() -> dict[str, set[str]]:
    """Every concrete FK / one-to-one / many-to-many field pointing straight at the user model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found: dict[str, set[str]] = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue  # django-simple-history's copies: earlier versions, see the manifest's note
        names = {
            f.name
            for f in model._meta.get_fields()
            if f.concrete and (f.many_to_one or f.one_to_one or f.many_to_many) and f.related_model is user_model
        }
        if names:
            found[model._meta.label] = names
    return found


def test_it_covers_every_model_that_points_at_a_user():
    covered = subject_access.covered_user_fields()
    missing = {
        label: sorted(names - covered.get(label, set()))
        for label, names in user_fields().items()
        if label not in subject_access.EXCLUDED and names - covered.get(label, set())
    }
    assert missing == {}, "add these models/fields to exports.subject_access.REGISTRY (or EXCLUDED, with a reason)"


def test_it_excludes_only_third_party_models_and_says_why():
    for label, reason in subject_access.EXCLUDED.items():
        assert label.split(".")[0] in THIRD_PARTY_APPS
        assert len(reason) > 20


def test_it_names_only_real_fields_in_the_registry():
    names = [source.name for source in subject_access.REGISTRY]
    assert len(names) == len(set(names))
    for source in subject_access.REGISTRY:
        model = apps.get_model(source.model)
        for name in (*source.about, *source.acted):
            assert model._meta.get_field(name).related_model is User, (source.model, name)
        subject_access.labels_for(source)  # every shown field exists


# --- Data for the employee across the models ----------------------------------------------------

CANARIES = {
    "report": "CANARY-REPORT-7f3",
    "message": "CANARY-MESSAGE-a91",
    "check_in": "CANARY-CHECKIN-c20",
    "follow_up": "CANARY-FOLLOWUP-e55",
    "flare_up": "CANARY-FLAREUP-b13",
    "exposed": "CANARY-EXPOSED-d42",
    "evaluation": "CANARY-EVALUATION-f08",
    "decision": "CANARY-DECISION-118",
    "feedback": "CANARY-FEEDBACK-3c3",
    "roster": "CANARY-ROSTER-9e9",
    "own_evidence": "CANARY-OWN-EVIDENCE-5d1",
}
#: Held about the employee but withheld from their copy, on purpose.
WITHHELD = {
    "measure_detail": "WITHHELD-MEASURE-DETAIL-771",
    "threat_basis": "WITHHELD-THREAT-BASIS-219",
    "staff_evidence": "WITHHELD-STAFF-EVIDENCE-3aa",
    "internal_note": "WITHHELD-INTERNAL-NOTE-4b4",
}
OTHER = "OTHER-EMPLOYEE-CANARY-0c0"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _store(content: bytes) -> tuple[str, str]:
    return private_storage.save("tests/subject-access.png", ContentFile(content)), hashlib.sha256(content).hexdigest()


@pytest.fixture
def world(employee, colleague, manager, coordinator, specialist, peer, security):
    """The employee's case with a row in every kind of data, and a colleague's case beside it."""
    now = timezone.now()
    case = make_case(employee, coordinator=coordinator, description=f"{CANARIES['report']} adres gelekt")
    other = make_case(colleague, coordinator=coordinator, description=f"{OTHER} ook gelekt")
    report = case.reports.get()
    name, digest = _store(PNG)
    ReportAttachment.objects.create(
        report=report,
        file=name,
        original_name="screenshot forum.png",
        content_type="image/png",
        size=len(PNG),
        sha256=digest,
        original_sha256=digest,
        uploaded_by=employee,
    )
    Evidence.objects.create(case=case, collected_by=employee, description=CANARIES["own_evidence"])
    staff_name, staff_digest = _store(PNG + b"staff")
    Evidence.objects.create(
        case=case,
        collected_by=specialist,
        description=WITHHELD["staff_evidence"],
        file=staff_name,
        original_name="capture.png",
        size=len(PNG) + 5,
        sha256=staff_digest,
    )
    ExposedItem.objects.create(case=case, kind="home_address", detail=CANARIES["exposed"], created_by=specialist)
    Message.objects.create(case=case, sender=coordinator, body=CANARIES["message"])
    Message.objects.create(case=other, sender=coordinator, body=OTHER)
    CheckIn.objects.create(case=case, by=manager, wellbeing="okay", needs=CANARIES["check_in"])
    CheckIn.objects.create(case=other, by=manager, wellbeing="okay", needs=OTHER)
    PeerSupportContact.objects.create(case=case, offered_at=now, offered_by=peer, response="accepted")
    FollowUp.objects.create(case=case, planned_on=now.date(), owner=manager, work_impact=CANARIES["follow_up"])
    FlareUpMoment.objects.create(
        case=case, kind="hearing", on=now.date(), description=CANARIES["flare_up"], created_by=coordinator
    )
    Evaluation.objects.create(
        case=case, held_with="employee", went_well=CANARIES["evaluation"], can_be_better="-", recorded_by=coordinator
    )
    Feedback.objects.create(
        case=case, knew_contact=4, involved_in_decisions=4, support_in_time=3, overall=4, comment=CANARIES["feedback"]
    )
    Decision.objects.create(
        case=case, question="Talk?", decision=CANARIES["decision"], decided_by="coordinator", recorded_by=coordinator
    )
    SecurityMeasure.objects.create(
        case=case,
        kind="camera",
        description=WITHHELD["measure_detail"],
        responsible_department="Security",
        created_by=security,
    )
    ThreatAssessment.objects.create(case=case, level=2, basis=WITHHELD["threat_basis"], assessed_by=security)
    PoliceReport.objects.create(case=case, kind="melding", created_by=coordinator)
    CaseEvent.objects.create(case=case, kind="note", actor=coordinator, note=WITHHELD["internal_note"])
    module = TrainingModule.objects.create(title="Doxing basics", kind="classroom")
    session = TrainingSession.objects.create(
        module=module, held_on=now.date(), trainer="Trainer", created_by=coordinator
    )
    TrainingAttendance.objects.create(session=session, user=employee, recorded_by=coordinator)
    SelfScan.objects.create(user=employee, completed_at=now)
    RosterEntry.objects.create(user=employee, note=CANARIES["roster"])
    Notification.objects.create(recipient=employee, kind="message", label=case.reference)
    Notification.objects.create(recipient=colleague, kind="message", label=other.reference)
    Reminder.objects.create(recipient=employee, kind="self_scan", due_at=now, key="sa-test-1")
    CalendarFeed.objects.create(user=employee)
    AccessLog.objects.create(user=specialist, username=specialist.username, action="view_case", case_id=case.pk)
    AccessLog.objects.create(user=specialist, username="viewer-of-other", action="view_case", case_id=other.pk)
    return {"case": case, "other": other, "specialist": specialist}


def _download(login, privacy, subject) -> zipfile.ZipFile:
    response = login(privacy).post(reverse("exports:subject_access_download", args=[subject.pk]), {"confirm": "on"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _all_json(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(n).decode() for n in archive.namelist() if n.endswith((".json", ".txt")))


def _pdf_text(archive: zipfile.ZipFile, tmp_path: Path) -> str:
    path = tmp_path / "subject-access.pdf"
    path.write_bytes(archive.read(subject_access.PDF_NAME))
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_it_exports_the_employees_data_across_the_models(login, privacy, employee, world, tmp_path):
    archive = _download(login, privacy, employee)
    text = _all_json(archive)
    for kind, canary in CANARIES.items():
        assert canary in text, kind
    reports = json.loads(archive.read("reports.json"))
    assert len(reports["rows"]) == 1
    assert json.loads(archive.read("check_ins.json"))["rows"][0]["needs"] == CANARIES["check_in"]
    assert json.loads(archive.read("peer_contacts.json"))["rows"][0]["response"] == "Accepted"
    assert len(json.loads(archive.read("self_scans.json"))["rows"]) == 1
    assert len(json.loads(archive.read("notifications.json"))["rows"]) == 1
    assert len(json.loads(archive.read("reminders.json"))["rows"]) == 1
    assert json.loads(archive.read("roster.json"))["rows"][0]["note"] == CANARIES["roster"]
    viewers = {row["username"] for row in json.loads(archive.read("access_log.json"))["rows"]}
    assert world["specialist"].username in viewers  # who viewed the case is listed
    assert json.loads(archive.read("training.json"))["rows"][0]["session__module"] == "Doxing basics"
    assert json.loads(archive.read("profile.json"))["username"] == employee.username
    pdf_text = _pdf_text(archive, tmp_path)
    for canary in (CANARIES["report"], CANARIES["message"], CANARIES["check_in"]):
        assert canary in pdf_text


def test_it_keeps_out_other_employees_data(login, privacy, employee, world, tmp_path):
    archive = _download(login, privacy, employee)
    assert OTHER not in _all_json(archive)
    assert "viewer-of-other" not in _all_json(archive)
    assert OTHER not in _pdf_text(archive, tmp_path)


def test_it_withholds_what_it_says_it_withholds(login, privacy, employee, world, tmp_path):
    archive = _download(login, privacy, employee)
    everything = _all_json(archive) + _pdf_text(archive, tmp_path)
    for kind, canary in WITHHELD.items():
        assert canary not in everything, kind
    contents = {entry["file"]: entry for entry in json.loads(archive.read("manifest.json"))["contents"]}
    assert contents["evidence.json"]["withheld"]
    assert "secret" not in json.dumps(json.loads(archive.read("calendar_feed.json"))["rows"])
    assert CalendarFeed.objects.get(user=employee).token not in everything


def test_it_includes_the_files_the_employee_uploaded_with_their_hash(login, privacy, employee, world):
    archive = _download(login, privacy, employee)
    files = json.loads(archive.read("manifest.json"))["files"]
    included = [entry for entry in files if entry["included_as"]]
    assert [entry["name"] for entry in included] == ["screenshot forum.png"]
    assert hashlib.sha256(archive.read(included[0]["included_as"])).hexdigest() == included[0]["sha256"]
    listed = [entry for entry in files if not entry["included_as"]]
    assert [entry["name"] for entry in listed] == ["capture.png"]
    assert listed[0]["note"]


def test_it_writes_a_manifest_naming_who_made_it(login, privacy, employee, world):
    archive = _download(login, privacy, employee)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["exported_by"]["username"] == privacy.username
    assert manifest["subject"]["id"] == employee.pk
    assert manifest["exported_at"]
    assert "art. 15" in manifest["note"]
    assert world["case"].reference in manifest["cases"]
    assert world["other"].reference not in manifest["cases"]
    assert "README.txt" in archive.namelist()
    assert {f"{source.name}.json" for source in subject_access.REGISTRY} <= set(archive.namelist())


def test_it_logs_an_export_row_per_case_naming_the_privacy_officer_and_the_subject(login, privacy, employee, world):
    _download(login, privacy, employee)
    rows = AccessLog.objects.filter(action=AccessLog.Action.EXPORT)
    assert {(row.user_id, row.case_id, row.object_kind, row.object_id) for row in rows} == {
        (privacy.pk, world["case"].pk, "subject_access", employee.pk)
    }


def test_it_logs_an_export_of_someone_without_cases(login, privacy, colleague):
    _download(login, privacy, privacy)
    row = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (row.user_id, row.case_id, row.object_id) == (privacy.pk, None, privacy.pk)


def test_it_lists_work_for_others_as_references_only(login, privacy, manager, world):
    archive = _download(login, privacy, manager)
    check_ins = json.loads(archive.read("check_ins.json"))
    assert check_ins["rows"] == []
    assert {ref["case"] for ref in check_ins["references"]} == {world["case"].reference, world["other"].reference}
    assert OTHER not in _all_json(archive)
    assert CANARIES["check_in"] not in _all_json(archive)


def test_it_keeps_the_number_of_queries_flat(django_assert_max_num_queries, employee, coordinator, world):
    for _ in range(15):
        Message.objects.create(case=world["case"], sender=coordinator, body="more")
        CheckIn.objects.create(case=world["case"], by=coordinator, wellbeing="good")
        Notification.objects.create(recipient=employee, kind="message")
    with django_assert_max_num_queries(len(subject_access.REGISTRY) + 5):
        subject_access.collect(employee)


# --- The pages ----------------------------------------------------------------------------------


def test_it_finds_people_for_the_privacy_officer(login, privacy, employee):
    response = login(privacy).get(reverse("exports:subject_access"), {"q": employee.last_name})
    assert response.status_code == 200
    assert reverse("exports:subject_access_confirm", args=[employee.pk]) in response.content.decode()


def test_it_shows_the_confirm_page(login, privacy, employee):
    response = login(privacy).get(reverse("exports:subject_access_confirm", args=[employee.pk]))
    assert response.status_code == 200
    assert escape(employee.display_name) in response.content.decode()


def test_it_asks_for_the_confirmation_before_exporting(login, privacy, employee):
    response = login(privacy).post(reverse("exports:subject_access_download", args=[employee.pk]), {})
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_it_refuses_get_on_the_download(login, privacy, employee):
    response = login(privacy).get(reverse("exports:subject_access_download", args=[employee.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("who", ["employee", "manager", "coordinator", "hr", "specialist", "security", "peer", "admin"])
def test_it_answers_404_to_anyone_but_the_privacy_officer(request, login, who, employee):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("exports:subject_access"), {"q": "a"}).status_code == 404
    assert client.get(reverse("exports:subject_access_confirm", args=[employee.pk])).status_code == 404
    post = client.post(reverse("exports:subject_access_download", args=[employee.pk]), {"confirm": "on"})
    assert post.status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_it_answers_404_for_an_unknown_person(login, privacy):
    assert login(privacy).get(reverse("exports:subject_access_confirm", args=[999_999])).status_code == 404


def test_it_renders_a_readable_pdf(login, privacy, employee, world, tmp_path):
    archive = _download(login, privacy, employee)
    path = tmp_path / "sa.pdf"
    path.write_bytes(archive.read(subject_access.PDF_NAME))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    text = _pdf_text(archive, tmp_path)
    assert "Confidential" in text.title() or "CONFIDENTIAL" in text
    assert f"Exported by {privacy.display_name}" in text


def test_it_dates_references_and_rows_in_amsterdam_time(employee, world):
    collected = subject_access.collect(employee)
    messages = next(section for section in collected.sections if section.source.name == "messages")
    assert messages.rows[0]["sent_at"].endswith(("+01:00", "+02:00"))
    assert isinstance(dt.datetime.fromisoformat(messages.rows[0]["sent_at"]), dt.datetime)
