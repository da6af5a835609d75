"""Decisions taken with the employee, not about them (recommendations 12, 13, 16)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doxing_cases.models import CaseEvent, Part
from doxing_cases.services import coordination as services
from doxing_cases.services import involvement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CANARY = "CANARY-DECISION-OPTIONS"


def decision_post(**overrides):
    data = {
        "question": "Nodigen we de vermoedelijke dader uit voor een gesprek?",
        "options": "Gesprek; brief; niets doen.",
        "decision": "We nodigen hem uit, samen met de teamleider.",
        "decided_by": "Lotte Visser met Sanne",
        "decided_on": timezone.localdate().isoformat(),
        "employee_heard": "yes",
        "employee_view": "Sanne wil dat het gesprek zonder haar plaatsvindt.",
        "police_alignment": "",
    }
    data.update(overrides)
    return data


def record(case, actor, **fields):
    values = {
        "question": "Gesprek met de dader?",
        "options": CANARY,
        "decision": "Nee, eerst aangifte.",
        "decided_by": "Lotte",
        "decided_on": timezone.localdate(),
        "employee_heard": True,
        "employee_view": "Eens.",
    }
    values.update(fields)
    return services.decision_record(actor=actor, case=case, **values)


@pytest.fixture
def involved_security(case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    return security


# --- Recording ----------------------------------------------------------------------------


def test_it_records_a_decision_with_the_employee_s_view(login, case, coordinator):
    response = login(coordinator).post(reverse("cases:decision_new", args=[case.pk]), decision_post())

    decision = case.decisions.get()
    assert response.status_code == 302
    assert response["Location"].endswith("#decisions")
    assert (decision.employee_heard, decision.employee_view) == (
        True,
        "Sanne wil dat het gesprek zonder haar plaatsvindt.",
    )
    assert decision.recorded_by == coordinator
    assert decision.history.get().history_user == coordinator


def test_it_writes_a_timeline_line_for_the_employee_in_the_coordination_part(case, coordinator):
    decision = record(case, coordinator)

    event = case.events.get(kind=CaseEvent.Kind.DECISION)
    assert (event.action, event.part, event.shown_to_employee, event.obj) == (
        CaseEvent.Action.ADDED,
        Part.COORDINATION,
        True,
        decision,
    )


def test_it_explains_that_a_talk_excludes_no_other_step(login, case, coordinator):
    response = login(coordinator).get(reverse("cases:decision_new", args=[case.pk]))

    assert b"A talk excludes no other step" in response.content


def test_it_refuses_a_step_toward_the_perpetrator_without_police_alignment(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:decision_new", args=[case.pk]),
        decision_post(about_perpetrator="on", criminal_doxing_suspected="on"),
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert "police_alignment" in form.errors
    assert b'id="id_police_alignment_error"' in response.content
    assert form["question"].value() == "Nodigen we de vermoedelijke dader uit voor een gesprek?"
    assert form["about_perpetrator"].value() is True
    assert case.decisions.count() == 0


def test_it_accepts_the_step_once_aligned_with_the_police(login, case, coordinator):
    login(coordinator).post(
        reverse("cases:decision_new", args=[case.pk]),
        decision_post(
            about_perpetrator="on", criminal_doxing_suspected="on", police_alignment="Wijkagent akkoord, 3 juni."
        ),
    )

    decision = case.decisions.get()
    assert decision.needs_police_alignment is True
    assert decision.police_alignment == "Wijkagent akkoord, 3 juni."


def test_it_needs_no_alignment_without_criminal_doxing(case, coordinator):
    decision = record(case, coordinator, about_perpetrator=True, criminal_doxing_suspected=False)

    assert decision.pk is not None


def test_it_puts_the_refusal_on_the_police_alignment_field(case, coordinator):
    with pytest.raises(ValidationError) as refused:
        record(case, coordinator, about_perpetrator=True, criminal_doxing_suspected=True, police_alignment=" ")

    assert list(refused.value.error_dict) == ["police_alignment"]


def test_it_needs_a_reason_when_the_employee_was_not_heard(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:decision_new", args=[case.pk]), decision_post(employee_heard="no", employee_view="")
    )

    form = response.context["form"]
    assert "employee_view" in form.errors
    assert form["employee_heard"].value() == "no"
    assert case.decisions.count() == 0


def test_it_records_an_employee_not_heard_with_the_reason(case, coordinator):
    decision = record(case, coordinator, employee_heard=False, employee_view="Met verlof; volgende week bellen.")

    assert decision.employee_heard is False


def test_it_refuses_a_decision_dated_in_the_future(case, coordinator):
    with pytest.raises(ValidationError):
        record(case, coordinator, decided_on=timezone.localdate() + timedelta(days=1))


# --- Changing -------------------------------------------------------------------------------


def test_it_updates_a_decision_with_history_and_a_changed_line(login, case, coordinator):
    decision = record(case, coordinator)

    response = login(coordinator).post(
        reverse("cases:decision_edit", args=[case.pk, decision.pk]),
        decision_post(question=decision.question, employee_view="Na gesprek: toch eens."),
    )

    decision.refresh_from_db()
    event = case.events.filter(kind=CaseEvent.Kind.DECISION).latest("pk")
    assert response.status_code == 302
    assert decision.employee_view == "Na gesprek: toch eens."
    assert [row.history_user for row in decision.history.order_by("history_date")] == [coordinator, coordinator]
    assert (event.action, event.shown_to_employee) == (CaseEvent.Action.CHANGED, True)


def test_it_shows_the_decision_as_it_is_on_the_edit_page(login, case, coordinator):
    decision = record(case, coordinator, employee_heard=False, employee_view="Ziek.")

    form = login(coordinator).get(reverse("cases:decision_edit", args=[case.pk, decision.pk])).context["form"]

    assert (form["employee_heard"].value(), form["employee_view"].value()) == ("no", "Ziek.")


# --- Who may see and do what --------------------------------------------------------------------


def test_it_shows_the_coordinator_the_decisions_with_the_options(login, case, coordinator):
    record(case, coordinator)

    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert CANARY.encode() in response.content
    assert b'id="decisions"' in response.content


def test_it_hides_decisions_from_the_security_officer(login, case, coordinator, involved_security):
    record(case, coordinator)
    client = login(involved_security)

    response = client.get(reverse("cases:detail", args=[case.pk]))

    assert "decisions" not in response.context
    assert b"Gesprek met de dader?" not in response.content
    assert client.get(reverse("cases:decision_new", args=[case.pk])).status_code == 404


def test_it_refuses_a_decision_by_the_security_officer(case, involved_security):
    with pytest.raises(PermissionDenied):
        record(case, involved_security)


@pytest.mark.parametrize(
    "who", ["specialist", "department", "manager", "colleague", "hr", "privacy", "admin", "coordinator2", "employee"]
)
def test_it_answers_404_on_the_decision_pages_to_everyone_but_the_coordinator(request, login, case, coordinator, who):
    decision = record(case, coordinator)
    if who == "specialist":
        user = request.getfixturevalue("specialist")
        involvement.involvement_start(actor=coordinator, case=case, user=user, kind="specialist")
    elif who == "department":
        user = UserFactory(username="comms")
        involvement.involvement_start(actor=coordinator, case=case, user=user, kind="department", department="Comms")
    else:
        user = request.getfixturevalue(who)
    client = login(user)

    assert client.get(reverse("cases:decision_new", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:decision_edit", args=[case.pk, decision.pk])).status_code == 404
    assert client.post(reverse("cases:decision_new", args=[case.pk]), decision_post()).status_code == 404
    assert case.decisions.count() == 1


def test_it_shows_the_employee_the_decisions_but_not_the_options(login, case, coordinator, employee):
    record(case, coordinator, police_alignment="POLITIE-AFSTEMMING", about_perpetrator=True)

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "What has been decided with you" in page
    assert "Gesprek met de dader?" in page
    assert "Nee, eerst aangifte." in page
    assert "Eens." in page
    assert CANARY not in page
    assert "POLITIE-AFSTEMMING" not in page


def test_it_keeps_the_options_off_the_employee_s_page_after_a_change(login, case, coordinator, employee):
    decision = record(case, coordinator)
    services.decision_update(actor=coordinator, entry=decision, options=f"{CANARY} herzien")

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert CANARY not in page
    assert "Lotte Visser updated the decision “Gesprek met de dader?”." in page


def test_it_tells_the_employee_when_they_were_not_heard_yet(login, case, coordinator, employee):
    record(case, coordinator, employee_heard=False, employee_view="Ziek.")

    page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert "You were not asked about this yet." in page


def test_it_never_shows_decisions_to_the_manager(login, case, coordinator, manager):
    record(case, coordinator)

    response = login(manager).get(reverse("cases:detail", args=[case.pk]))

    assert b"Gesprek met de dader?" not in response.content
    assert CANARY.encode() not in response.content


# --- Query counts -----------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_rows(case, coordinator, count):
    for number in range(count):
        record(case, coordinator, question=f"Vraag {number}")
        services.press_enquiry_log(actor=coordinator, case=case, outlet=f"Krant {number}", question="Klopt het?")


@pytest.mark.parametrize("url_name", ["cases:detail", "cases:my_case"])
def test_it_keeps_the_query_count_with_more_decisions(login, case, coordinator, employee, url_name):
    services.communication_agreement_save(actor=coordinator, case=case, strategy="silent", spokesperson="Jan")
    client = login(coordinator if url_name == "cases:detail" else employee)
    url = reverse(url_name, args=[case.pk])
    _add_rows(case, coordinator, 2)
    with_two = _queries(client, url)

    _add_rows(case, coordinator, 18)

    assert _queries(client, url) == with_two
