"""Retention and erasure (issue 8, item 6): a closed case is kept for its
period, the coordinator is told 30 days ahead (once), and then nothing of the
case is left: no row in any model that hangs off it, no history row, no file,
no reminder. A legal hold keeps it past its date; an open case is never erased.

The life-cycle tests commit for real (``transaction=True``), so the files are
deleted the way they are in production: after the erasure's commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from aftercare.models import AftercareChecklist, Evaluation, Feedback, FlareUpMoment, FollowUp
from doxing_cases import uploads
from doxing_cases.models import (
    Case,
    CaseEvent,
    CheckIn,
    CommunicationAgreement,
    Decision,
    DoxerIdentifier,
    Evidence,
    ExposedItem,
    Involvement,
    LegalHold,
    Message,
    PeerSupportContact,
    PoliceReport,
    PoliceReportDecline,
    PressEnquiry,
    Referral,
    ReportAttachment,
    SecurityMeasure,
    SupportActivity,
    TakedownRequest,
    Task,
    ThreatAssessment,
)
from doxing_cases.services import retention
from doxing_cases.tasks import apply_retention
from doxing_cases.uploads import private_storage
from exports.models import CaseExport, HrExportGrant
from notifications.models import Kind, Notification, Reminder
from notifications.services import dispatch_due, reminders_cancel
from people.models import AccessLog
from tests.factories import make_case

CLOSED_AT = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)
PERIOD_DAYS = 365
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _periods(settings: Any) -> None:
    settings.HANDVAT_RETENTION = {"case": PERIOD_DAYS}
    settings.HANDVAT_RETENTION_NOTICE_DAYS = 30


def at(days: float) -> time_machine.travel:
    return time_machine.travel(CLOSED_AT + dt.timedelta(days=days), tick=False)


# --- Every model with a foreign-key path to Case, found here on its own (not by the code under test) ---


def is_history(model: type[models.Model]) -> bool:
    return model.__name__.startswith("Historical")


def case_paths() -> dict[type[models.Model], list[str]]:
    """Each model that reaches Case through foreign keys (any on_delete), with its lookup paths."""
    paths: dict[type[models.Model], list[str]] = {Case: ["pk"]}
    frontier: list[tuple[type[models.Model], str]] = [(Case, "")]
    while frontier:
        target, suffix = frontier.pop(0)
        for model in apps.get_models():
            if is_history(model) or model is target:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is target:
                    path = field.name + (f"__{suffix}" if suffix else "")
                    if path.count("__") > 4 or path in paths.get(model, []):
                        continue
                    is_new = model not in paths
                    paths.setdefault(model, []).append(path)
                    if is_new:
                        frontier.append((model, path))
    return paths


def rows_of(case_id: int) -> dict[type[models.Model], set[int]]:
    found: dict[type[models.Model], set[int]] = {}
    for model, paths in case_paths().items():
        ids: set[int] = set()
        for path in paths:
            lookup = "pk" if path == "pk" else path
            ids |= set(model._default_manager.filter(**{lookup: case_id}).values_list("pk", flat=True))
        found[model] = ids
    return found


def history_rows(model: type[models.Model], ids: set[int], case_id: int) -> int:
    history = getattr(getattr(model, "history", None), "model", None)
    if history is None:
        return 0
    count = history.objects.filter(id__in=ids).count()
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is Case:
            count += history.objects.filter(**{field.attname: case_id}).count()
    return count


# --- A closed case with a row in every kind of data, and real files ---------------------------


def _file(content: bytes, case: Case) -> tuple[str, str]:
    """A file stored as the app stores it: sealed with the case's key (which makes that key's row)."""
    digest = hashlib.sha256(content).hexdigest()
    checked = uploads.CheckedFile(content, "image/png", "retention.png", digest, digest)
    return uploads.store(checked, folder="tests", case_id=case.pk), digest


def fill(case: Case, *, staff: dict[str, Any], marker: bytes) -> list[str]:
    """A row in every model that belongs to a case; returns the stored file names."""
    coordinator, employee, manager = staff["coordinator"], staff["employee"], staff["manager"]
    now = timezone.now()
    report = case.reports.get()
    attachment_name, digest = _file(PNG + marker + b"-attachment", case)
    ReportAttachment.objects.create(
        report=report,
        file=attachment_name,
        original_name="screenshot.png",
        content_type="image/png",
        size=10,
        sha256=digest,
        original_sha256=digest,
        uploaded_by=employee,
    )
    evidence_name, digest = _file(PNG + marker + b"-evidence", case)
    item = ExposedItem.objects.create(case=case, kind="home_address", detail="Straat 1", created_by=coordinator)
    evidence = Evidence.objects.create(
        case=case,
        collected_by=staff["specialist"],
        description="capture",
        file=evidence_name,
        original_name="capture.png",
        size=10,
        sha256=digest,
        exposed_item=item,
    )
    evidence.description = "capture, checked"  # a second version in the history
    evidence.save()
    TakedownRequest.objects.create(
        case=case, url="https://example.org/x", route="ntd", created_by=staff["specialist"], exposed_item=item
    )
    DoxerIdentifier.objects.create(case=case, kind="handle", value="@doxer", normalized="doxer", added_by=coordinator)
    ThreatAssessment.objects.create(case=case, level=2, basis="basis", assessed_by=staff["security"])
    SecurityMeasure.objects.create(
        case=case, kind="camera", description="camera", responsible_department="Security", created_by=coordinator
    )
    police = PoliceReport.objects.create(case=case, kind="melding", created_by=coordinator)
    PoliceReportDecline.objects.create(case=case, reason="not now", follow_up_on=now.date(), recorded_by=coordinator)
    PeerSupportContact.objects.create(case=case, offered_at=now, offered_by=staff["peer"], response="accepted")
    CheckIn.objects.create(case=case, by=manager, wellbeing="okay", needs="rest")
    SupportActivity.objects.create(case=case, kind="team_talk", by=manager)
    Referral.objects.create(case=case, to="psychologist", by=coordinator)
    Message.objects.create(case=case, sender=coordinator, body="hello")
    Task.objects.create(case=case, title="call", owner=coordinator, due_at=now)
    Decision.objects.create(
        case=case, question="Talk?", decision="No", decided_by="coordinator", recorded_by=coordinator
    )
    CommunicationAgreement.objects.create(case=case, strategy="silent", updated_by=coordinator)
    PressEnquiry.objects.create(case=case, outlet="Krant", question="?", handled_by=coordinator)
    Involvement.objects.create(case=case, user=staff["specialist"], kind="specialist", started_by=coordinator)
    CaseEvent.objects.create(case=case, kind="note", actor=coordinator, note="internal")
    FlareUpMoment.objects.create(
        case=case, kind="hearing", on=now.date(), description="zitting", created_by=coordinator
    )
    FollowUp.objects.create(case=case, planned_on=now.date(), owner=manager, work_impact="some")
    AftercareChecklist.objects.create(case=case, items=["x"], recorded_by=coordinator)
    Evaluation.objects.create(
        case=case, held_with="employee", went_well="a", can_be_better="b", recorded_by=coordinator
    )
    Feedback.objects.create(case=case, knew_contact=4, involved_in_decisions=4, support_in_time=3, overall=4)
    HrExportGrant.objects.create(case=case, hr_user=staff["hr"], valid_until=now.date(), granted_by=coordinator)
    CaseExport.objects.create(
        case=case, document="police_pack", profile="coordinator", exported_by=coordinator, police_report=police
    )
    LegalHold.objects.create(case=case, reason="old", placed_by=coordinator, lifted_at=now, lifted_by=coordinator)
    Reminder.objects.create(
        recipient=manager, kind=Kind.CHECK_IN, case_id=case.pk, due_at=now + dt.timedelta(days=900), key=f"t:{case.pk}"
    )
    AccessLog.objects.create(user=coordinator, username=coordinator.username, action="view_case", case_id=case.pk)
    case.status = Case.Status.CLOSED
    case.closed_at = now
    case.save()
    return [attachment_name, evidence_name]


@pytest.fixture
def staff(employee, colleague, manager, manager2, coordinator, coordinator2, specialist, peer, security, hr):
    return locals()


@pytest.fixture
def closed(staff: dict[str, Any]) -> Iterator[tuple[Case, list[str]]]:
    with at(0):
        case = make_case(staff["employee"], coordinator=staff["coordinator"])
        files = fill(case, staff=staff, marker=b"closed")
    yield case, files
    for name in files:
        private_storage.delete(name)


@pytest.fixture
def neighbour(staff: dict[str, Any]) -> tuple[Case, list[str]]:
    """Another case, closed later: its rows must survive the first case's erasure."""
    with at(200):
        case = make_case(staff["colleague"], coordinator=staff["coordinator2"])
        files = fill(
            case, staff={**staff, "employee": staff["colleague"], "coordinator": staff["coordinator2"]}, marker=b"n"
        )
    return case, files


def counts(case_id: int) -> dict[str, int]:
    return {model._meta.label: len(ids) for model, ids in rows_of(case_id).items()}


# --- The life cycle ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_keeps_notifies_once_and_then_erases_everything(closed, neighbour, staff):
    case, files = closed
    other, other_files = neighbour
    before = rows_of(case.pk)
    empty = sorted(model._meta.label for model, ids in before.items() if not ids)
    assert empty == [], "the fixture needs a row in every model that reaches Case"
    history_before = {model: history_rows(model, ids, case.pk) for model, ids in before.items()}
    assert all(history_before[m] for m in before if hasattr(m, "history")), "every model keeps history"
    other_before = counts(other.pk)

    with at(PERIOD_DAYS - 31):  # well before: nothing happens
        assert retention.retention_run() == retention.RunResult(notified=[], erased=[])
    assert counts(case.pk) == {label: len(ids) for label, ids in ((m._meta.label, i) for m, i in before.items())}

    with at(PERIOD_DAYS - 29):  # within 30 days: the coordinator is told, once
        assert apply_retention() == {"notified": 1, "erased": 0}
        assert apply_retention() == {"notified": 0, "erased": 0}
        dispatch_due()
        assert apply_retention() == {"notified": 0, "erased": 0}
        dispatch_due()
    notices = Notification.objects.filter(kind=Kind.RETENTION_NOTICE)
    assert [(n.recipient_id, n.case_id) for n in notices] == [(staff["coordinator"].pk, case.pk)]
    assert all(Path(private_storage.path(name)).exists() for name in files)

    with at(PERIOD_DAYS + 1):  # past the period, the notice 30 days old: erased
        assert apply_retention() == {"notified": 0, "erased": 1}

    after = rows_of(case.pk)
    assert {model._meta.label: ids for model, ids in after.items() if ids} == {}
    for model, ids in before.items():
        assert history_rows(model, ids, case.pk) == 0, model._meta.label
    assert not any(Path(private_storage.path(name)).exists() for name in files)
    assert not Reminder.objects.filter(case_id=case.pk).exists()
    assert not Notification.objects.filter(case_id=case.pk).exists()
    # The access log keeps its own period; the other case is untouched.
    assert AccessLog.objects.filter(case_id=case.pk).count() == 1
    assert counts(other.pk) == other_before
    assert all(Path(private_storage.path(name)).exists() for name in other_files)
    for name in other_files:
        private_storage.delete(name)


@pytest.mark.django_db(transaction=True)
def test_it_keeps_a_case_on_legal_hold_and_erases_it_after_the_hold_is_lifted(closed, staff, login):
    case, files = closed
    with at(10):
        response = login(staff["coordinator"]).post(
            reverse("cases:retention", args=[case.pk]), {"reason": "Court case against the doxer", "until": ""}
        )
        assert response.status_code == 302
    hold = case.legal_holds.get(lifted_at__isnull=True)
    assert hold.history.count() == 1

    with at(PERIOD_DAYS + 100):  # long past its date: kept, nobody told
        assert apply_retention() == {"notified": 0, "erased": 0}
        assert Case.objects.filter(pk=case.pk).exists()
        response = login(staff["coordinator"]).post(reverse("cases:legal_hold_lift", args=[case.pk, hold.pk]))
        assert response.status_code == 302
        # Lifted: 30 days' notice again before anything is erased.
        assert apply_retention() == {"notified": 1, "erased": 0}
        dispatch_due()
    with at(PERIOD_DAYS + 129):
        assert apply_retention() == {"notified": 0, "erased": 0}
        assert Case.objects.filter(pk=case.pk).exists()
    with at(PERIOD_DAYS + 131):
        assert apply_retention() == {"notified": 0, "erased": 1}
    assert {model._meta.label: ids for model, ids in rows_of(case.pk).items() if ids} == {}
    assert not LegalHold.history.filter(case_id=case.pk).exists()
    assert not any(Path(private_storage.path(name)).exists() for name in files)


@pytest.mark.django_db
def test_it_lets_a_hold_with_an_end_date_run_out(closed):
    case, _files = closed
    LegalHold.objects.create(
        case=case,
        reason="appeal",
        until=(CLOSED_AT + dt.timedelta(days=PERIOD_DAYS + 50)).date(),
        placed_by=case.coordinator,
    )
    with at(PERIOD_DAYS + 40):
        assert retention.retention_run().notified == []
    with at(PERIOD_DAYS + 52):
        assert retention.retention_run().notified == [case.pk]
        dispatch_due()
    with at(PERIOD_DAYS + 83):
        assert retention.retention_run().erased == [case.pk]
    assert not Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_it_waits_for_the_notice_to_be_delivered_before_erasing(closed):
    case, _files = closed
    with at(PERIOD_DAYS - 29):
        assert retention.retention_run().notified == [case.pk]
    with at(PERIOD_DAYS + 10):  # the dispatcher was down: the coordinator does not know yet
        assert retention.retention_run() == retention.RunResult(notified=[], erased=[])
        dispatch_due()
    with at(PERIOD_DAYS + 39):
        assert retention.retention_run().erased == []
    with at(PERIOD_DAYS + 41):
        assert retention.retention_run().erased == [case.pk]


@pytest.mark.django_db
def test_it_plans_a_cancelled_notice_again(closed):
    case, _files = closed
    with at(PERIOD_DAYS - 29):
        retention.retention_run()
        reminders_cancel(case_id=case.pk)
    with at(PERIOD_DAYS - 28):
        retention.retention_run()
        assert dispatch_due().delivered == 1
    assert Notification.objects.filter(kind=Kind.RETENTION_NOTICE, case_id=case.pk).count() == 1


@pytest.mark.django_db
def test_it_never_erases_an_open_case(employee, coordinator):
    with at(-2000):
        case = make_case(employee, coordinator=coordinator)
    with at(PERIOD_DAYS * 10):
        assert retention.retention_run() == retention.RunResult(notified=[], erased=[])
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_it_never_erases_a_reopened_case(closed):
    case, _files = closed
    case.status = Case.Status.ACTIVE
    case.save()
    with at(PERIOD_DAYS * 3):
        assert retention.retention_run() == retention.RunResult(notified=[], erased=[])
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_it_drops_references_from_other_cases(closed, staff):
    case, _files = closed
    with at(1):
        other = make_case(staff["colleague"], coordinator=staff["coordinator2"])
        other.merged_into = case
        other.save()
        CaseEvent.objects.create(case=other, kind="report_moved_out", other_case=case)
    retention.case_erase(case_id=case.pk)
    other.refresh_from_db()
    assert other.merged_into_id is None
    assert not CaseEvent.objects.filter(other_case_id=case.pk).exists()
    assert not Case.history.filter(merged_into_id=case.pk).exists()


# --- The retention page -------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_the_retention_page_to_the_coordinator(login, case, coordinator):
    response = login(coordinator).get(reverse("cases:retention", args=[case.pk]))
    assert response.status_code == 200
    assert "An open case is never erased" in response.content.decode()
    detail = login(coordinator).get(reverse("cases:detail", args=[case.pk]))
    assert reverse("cases:retention", args=[case.pk]) in detail.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator2", "employee", "manager", "privacy", "hr"])
def test_it_answers_404_to_anyone_else(request, login, case, who):
    user = request.getfixturevalue(who)
    assert login(user).get(reverse("cases:retention", args=[case.pk])).status_code == 404
    response = login(user).post(reverse("cases:retention", args=[case.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert not case.legal_holds.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("without", ["no coordinator yet", "a coordinator who left"])
def test_a_privacy_officer_decides_on_a_case_without_a_coordinator(login, employee, coordinator, privacy, without):
    case = closed_case(employee, coordinator=coordinator if without == "a coordinator who left" else None)
    if without == "a coordinator who left":
        coordinator.is_active = False
        coordinator.save()
    url = reverse("cases:retention", args=[case.pk])
    client = login(privacy)

    page = client.get(url)
    placed = client.post(url, {"reason": "Rechtszaak loopt nog"})

    assert page.status_code == 200
    text = page.content.decode()
    assert case.reference in text
    assert escape(employee.display_name) not in text  # this page of the case only, not the case itself
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' not in text
    assert placed.status_code == 302
    assert case.legal_holds.get().placed_by == privacy
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert AccessLog.objects.filter(user=privacy, case_id=case.pk).exists()


@pytest.mark.django_db
def test_the_retention_notice_of_a_case_without_a_coordinator_opens_for_the_privacy_officer(login, employee, privacy):
    case = closed_case(employee)
    state = retention.RetentionState(
        is_closed=True, held=False, erase_from=timezone.now(), notice_key=f"retention:{case.pk}"
    )

    retention._notify(case, state, now=timezone.now())
    dispatch_due()

    notice = Notification.objects.get(kind=Kind.RETENTION_NOTICE, recipient=privacy)
    assert login(privacy).get(notice.link).status_code == 200


@pytest.mark.django_db
def test_a_privacy_officer_does_not_open_an_open_case_waiting_for_a_coordinator(login, employee, privacy):
    case = make_case(employee)

    assert login(privacy).get(reverse("cases:retention", args=[case.pk])).status_code == 404


@pytest.mark.django_db
def test_a_privacy_officer_does_not_decide_on_their_own_case(login, privacy):
    case = closed_case(privacy)

    client = login(privacy)

    assert client.get(reverse("cases:retention", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:retention", args=[case.pk]), {"reason": "x"}).status_code == 404
    assert not case.legal_holds.exists()


def closed_case(subject, *, coordinator=None) -> Case:
    """A closed case (the retention page is about closed ones), closed directly: the test is about access."""
    case = make_case(subject, coordinator=coordinator)
    case.status = Case.Status.CLOSED
    case.closed_at = timezone.now()
    case.save()
    return case


@pytest.mark.django_db
def test_it_refuses_a_get_on_lift(login, case, coordinator):
    hold = LegalHold.objects.create(case=case, reason="court", placed_by=coordinator)
    response = login(coordinator).get(reverse("cases:legal_hold_lift", args=[case.pk, hold.pk]))
    assert response.status_code == 405
    hold.refresh_from_db()
    assert hold.lifted_at is None


@pytest.mark.django_db
def test_it_refuses_an_end_date_in_the_past(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:retention", args=[case.pk]), {"reason": "court", "until": "2000-01-01"}
    )
    assert response.status_code == 200
    assert not case.legal_holds.exists()


@pytest.mark.django_db
def test_it_writes_history_when_a_hold_is_lifted(login, case, coordinator):
    hold = LegalHold.objects.create(case=case, reason="court", placed_by=coordinator)
    login(coordinator).post(reverse("cases:legal_hold_lift", args=[case.pk, hold.pk]))
    latest = hold.history.first()
    assert latest.lifted_at is not None
    assert latest.history_user_id == coordinator.pk
