"""The threat over time (recommendation 21): every assessment stays readable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doxing_cases.models import Case, CaseEvent, Part
from doxing_cases.services import involvement
from doxing_cases.services import security as services
from people.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def involved_security(case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    return security


def test_it_lists_every_assessment_of_the_case_newest_first(login, case, coordinator):
    services.threat_assess(actor=coordinator, case=case, level=Case.ThreatLevel.HIGH, basis="ADRES-GEDEELD")
    services.threat_assess(actor=coordinator, case=case, level=Case.ThreatLevel.LOW, basis="RUSTIGER-NU")

    response = login(coordinator).get(reverse("cases:threat_history", args=[case.pk]))

    assert response.status_code == 200
    assert [item.basis for item in response.context["assessments"]] == ["RUSTIGER-NU", "ADRES-GEDEELD"]
    assert response.content.index(b"RUSTIGER-NU") < response.content.index(b"ADRES-GEDEELD")


def test_it_logs_who_read_the_history(login, case, coordinator):
    login(coordinator).get(reverse("cases:threat_history", args=[case.pk]))

    row = AccessLog.objects.get(case_id=case.pk)
    assert (row.user, row.action, row.object_kind) == (coordinator, AccessLog.Action.VIEW_CASE, "threat_assessments")


def test_it_shows_more_than_the_case_page_does(login, case, coordinator):
    for number in range(7):
        services.threat_assess(actor=coordinator, case=case, level=Case.ThreatLevel.MEDIUM, basis=f"Ronde {number}")

    history = login(coordinator).get(reverse("cases:threat_history", args=[case.pk]))
    detail = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert len(history.context["assessments"]) == 7
    assert len(detail.context["threat_assessments"]) == 5
    assert reverse("cases:threat_history", args=[case.pk]).encode() in detail.content


def test_it_refuses_a_post_on_the_history_page(login, case, coordinator):
    assert login(coordinator).post(reverse("cases:threat_history", args=[case.pk])).status_code == 405


def test_it_lets_an_involved_security_officer_assess_the_threat(login, case, involved_security):
    response = login(involved_security).post(
        reverse("cases:threat", args=[case.pk]), {"level": 2, "basis": "Dreigende berichten."}
    )

    assessment = case.threat_assessments.get()
    assert response.status_code == 302
    assert assessment.assessed_by == involved_security
    assert assessment.history.get().history_user == involved_security


def test_it_shows_the_history_to_the_involved_security_officer(login, case, coordinator, involved_security):
    services.threat_assess(actor=coordinator, case=case, level=Case.ThreatLevel.HIGH, basis="ADRES-GEDEELD")

    response = login(involved_security).get(reverse("cases:threat_history", args=[case.pk]))

    assert response.status_code == 200
    assert b"ADRES-GEDEELD" in response.content


def test_it_puts_an_assessment_on_the_timeline_of_the_security_part(case, coordinator):
    services.threat_assess(actor=coordinator, case=case, level=Case.ThreatLevel.HIGH, basis="x")

    event = case.events.get(kind=CaseEvent.Kind.THREAT_CHANGED)
    assert (event.part, event.shown_to_employee) == (Part.SECURITY, True)


@pytest.mark.parametrize("who", ["security", "specialist", "manager", "colleague", "hr", "privacy", "admin", "peer"])
def test_it_answers_404_on_the_threat_pages_to_who_works_elsewhere(request, login, case, coordinator, who):
    involvement.involvement_start(
        actor=coordinator, case=case, user=request.getfixturevalue("specialist"), kind="specialist"
    )
    client = login(request.getfixturevalue(who))

    assert client.get(reverse("cases:threat", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:threat_history", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:threat", args=[case.pk]), {"level": 3, "basis": "x"}).status_code == 404
    assert case.threat_assessments.count() == 0


def test_it_answers_404_to_the_employee_on_the_staff_history(login, case, employee):
    assert login(employee).get(reverse("cases:threat_history", args=[case.pk])).status_code == 404
