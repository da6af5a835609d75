"""The coordinator's small tasks on a case: status, threat level, first contact, notes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from doxing_cases import services
from doxing_cases.models import Case, CaseEvent
from doxing_cases.services import security

pytestmark = pytest.mark.django_db


def test_it_starts_handling_a_case(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:status", args=[case.pk]), {"status": "active"})

    case.refresh_from_db()
    assert response.status_code == 302
    assert case.status == Case.Status.ACTIVE
    assert case.history.first().history_user == coordinator


def test_closing_needs_a_reason_without_an_evaluation(case, coordinator):
    with pytest.raises(ValidationError):
        services.case_set_status(actor=coordinator, case=case, status=Case.Status.CLOSED, note=" ")

    case.refresh_from_db()
    assert case.status == Case.Status.TRIAGE


def test_it_closes_with_a_reason(case, coordinator):
    services.case_set_status(actor=coordinator, case=case, status=Case.Status.CLOSED, note="Geen doxing.")

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.closed_at is not None
    assert case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED).get().note == "Geen doxing."


def test_the_status_page_offers_only_the_plain_next_step(login, case, coordinator):
    form = login(coordinator).get(reverse("cases:status", args=[case.pk])).context["form"]

    # Aftercare and closing have their own pages (checklist; evaluation and feedback).
    assert [value for value, _label in form.fields["status"].choices] == ["active"]


def test_the_service_refuses_a_jump_that_is_not_allowed(case, coordinator):
    with pytest.raises(ValidationError):
        services.case_set_status(actor=coordinator, case=case, status=Case.Status.AFTERCARE)


def test_a_case_can_be_reopened(case, coordinator):
    services.case_set_status(actor=coordinator, case=case, status=Case.Status.CLOSED, note="Klaar")

    services.case_set_status(actor=coordinator, case=case, status=Case.Status.ACTIVE, note="Het begint opnieuw")

    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert case.closed_at is None


def test_a_threat_assessment_sets_the_threat_level(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:threat", args=[case.pk]), {"level": 3, "basis": "Adres gedeeld.", "police_consulted": "on"}
    )

    case.refresh_from_db()
    assessment = case.threat_assessments.get()
    event = case.events.get(kind=CaseEvent.Kind.THREAT_CHANGED)
    assert response.status_code == 302
    assert case.threat_level == Case.ThreatLevel.HIGH
    assert (assessment.basis, assessment.police_consulted, assessment.assessed_by) == (
        "Adres gedeeld.",
        True,
        coordinator,
    )
    assert (event.old_value, event.new_value, event.obj) == ("0", "3", assessment)


def test_a_threat_assessment_needs_its_basis_and_keeps_the_level(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:threat", args=[case.pk]), {"level": 2, "basis": ""})

    assert response.status_code == 200
    assert "basis" in response.context["form"].errors
    assert response.context["form"]["level"].value() == "2"
    assert case.threat_assessments.count() == 0


def test_it_records_the_first_contact(login, case, coordinator):
    when = timezone.localtime() - timedelta(hours=2)

    login(coordinator).post(reverse("cases:first_contact", args=[case.pk]), {"at": when.strftime("%Y-%m-%dT%H:%M")})

    case.refresh_from_db()
    assert case.first_contact_at == when.replace(second=0, microsecond=0)


def test_it_refuses_a_first_contact_in_the_future(login, case, coordinator):
    later = timezone.localtime() + timedelta(days=1)

    response = login(coordinator).post(
        reverse("cases:first_contact", args=[case.pk]), {"at": later.strftime("%Y-%m-%dT%H:%M"), "note": "Telefoon"}
    )

    assert "at" in response.context["form"].errors
    assert response.context["form"]["note"].value() == "Telefoon"


def test_the_first_contact_is_due_sooner_for_an_urgent_report(employee, coordinator):
    from doxing_cases.selectors import next_action
    from tests.factories import make_case

    calm = make_case(employee, coordinator=coordinator)
    urgent = make_case(employee, coordinator=coordinator, in_danger="yes")

    assert next_action(urgent).due_at - urgent.opened_at == timedelta(hours=2)
    assert next_action(calm).due_at - calm.opened_at == timedelta(hours=24)


def test_an_overdue_first_contact_is_marked(employee, coordinator):
    from doxing_cases.selectors import next_action
    from tests.factories import make_case

    case = make_case(employee, coordinator=coordinator)

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert next_action(case).overdue is True


def test_it_saves_an_internal_note(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:note", args=[case.pk]), {"text": "Gebeld met beveiliging."})

    event = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert response.status_code == 302
    assert event.note == "Gebeld met beveiliging."
    assert event.shown_to_employee is False
    assert event.history.get().history_user == coordinator


def test_an_empty_note_is_refused(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:note", args=[case.pk]), {"text": ""})

    assert response.status_code == 200
    assert case.events.filter(kind=CaseEvent.Kind.NOTE).count() == 0


def test_the_manager_cannot_act_on_the_case(login, case, manager):
    assert login(manager).post(reverse("cases:note", args=[case.pk]), {"text": "x"}).status_code == 404
    assert login(manager).get(reverse("cases:status", args=[case.pk])).status_code == 404


def test_the_case_page_lists_the_timeline_newest_first(login, case, coordinator):
    security.threat_assess(actor=coordinator, case=case, level=Case.ThreatLevel.LOW, basis="Rustig.")

    timeline = list(login(coordinator).get(reverse("cases:detail", args=[case.pk])).context["timeline"])

    assert [event.kind for event in timeline] == [
        CaseEvent.Kind.THREAT_CHANGED,
        CaseEvent.Kind.COORDINATOR_SET,
        CaseEvent.Kind.REPORT_FILED,
    ]
