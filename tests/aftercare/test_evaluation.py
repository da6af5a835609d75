"""Evaluation with the employee and the team (recommendations 26 and 28)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from aftercare.models import Evaluation
from aftercare.services import evaluation as services
from aftercare.services import transition
from doxing_cases.models import Case, CaseEvent
from doxing_cases.services import involvement
from people.models import AccessLog

pytestmark = pytest.mark.django_db

WENT_WELL = "De eerste reactie kwam binnen een uur."
CAN_BE_BETTER = "Het team hoorde het pas na een week."


def evaluate(case, coordinator, **overrides) -> Evaluation:
    fields = {
        "held_with": Evaluation.With.EMPLOYEE,
        "held_on": timezone.localdate(),
        "went_well": WENT_WELL,
        "can_be_better": CAN_BE_BETTER,
    }
    fields.update(overrides)
    return services.evaluation_record(actor=coordinator, case=case, **fields)


def form_data(**overrides) -> dict[str, str]:
    data = {
        "held_with": "team",
        "held_on": timezone.localdate().isoformat(),
        "went_well": WENT_WELL,
        "can_be_better": CAN_BE_BETTER,
        "for_organisation": "Vertel het team eerder wat er speelt.",
        "for_guideline_steps": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def involved_specialist(case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    return specialist


def test_it_records_an_evaluation(login, case, coordinator):
    response = login(coordinator).post(reverse("aftercare:evaluation_new", args=[case.pk]), form_data())

    assert response.status_code == 302
    evaluation = case.evaluations.get()
    assert (evaluation.held_with, evaluation.went_well, evaluation.recorded_by) == ("team", WENT_WELL, coordinator)


def test_it_shows_the_evaluation_to_the_coordinator(login, case, coordinator):
    evaluate(case, coordinator)

    response = login(coordinator).get(reverse("aftercare:evaluations", args=[case.pk]))

    assert response.status_code == 200
    assert CAN_BE_BETTER in response.content.decode()


def test_it_lists_the_evaluation_on_the_case_page(login, case, coordinator):
    evaluate(case, coordinator)

    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert reverse("aftercare:evaluations", args=[case.pk]) in response.content.decode()


def test_it_shows_the_evaluation_to_the_employee_on_their_own_page(login, case, coordinator, employee):
    evaluate(case, coordinator)
    client = login(employee)

    own_page = client.get(reverse("cases:my_case", args=[case.pk])).content.decode()
    evaluation_page = client.get(reverse("aftercare:my_evaluations", args=[case.pk])).content.decode()

    assert reverse("aftercare:my_evaluations", args=[case.pk]) in own_page
    assert WENT_WELL in evaluation_page


@pytest.mark.parametrize("outsider", ["coordinator2", "manager", "involved_specialist", "colleague", "hr", "admin"])
@pytest.mark.parametrize("page", ["aftercare:evaluations", "aftercare:evaluation_new", "aftercare:my_evaluations"])
def test_it_answers_404_to_anyone_else(login, case, coordinator, request, outsider, page):
    evaluate(case, coordinator)
    user = request.getfixturevalue(outsider)

    assert login(user).get(reverse(page, args=[case.pk])).status_code == 404


@pytest.mark.parametrize("person", ["manager", "involved_specialist"])
def test_it_leaves_the_evaluation_off_the_case_page_of_others(login, case, coordinator, request, person):
    evaluate(case, coordinator, held_with=Evaluation.With.TEAM)
    user = request.getfixturevalue(person)

    response = login(user).get(reverse("cases:detail", args=[case.pk]))
    page = response.content.decode()

    assert response.status_code == 200
    assert reverse("aftercare:evaluations", args=[case.pk]) not in page
    assert "evaluation held with the team" not in page


def test_it_keeps_the_input_when_the_form_has_errors(login, case, coordinator):
    response = login(coordinator).post(reverse("aftercare:evaluation_new", args=[case.pk]), form_data(can_be_better=""))

    assert response.status_code == 200
    assert "can_be_better" in response.context["form"].errors
    assert WENT_WELL in response.content.decode()
    assert not case.evaluations.exists()


def test_it_refuses_an_evaluation_that_has_not_taken_place_yet(login, case, coordinator):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = login(coordinator).post(reverse("aftercare:evaluation_new", args=[case.pk]), form_data(held_on=tomorrow))

    assert "held_on" in response.context["form"].errors
    assert not case.evaluations.exists()


def test_it_refuses_the_manager_in_the_service_too(case, manager):
    with pytest.raises(PermissionDenied):
        evaluate(case, manager)


def test_it_writes_a_history_row_with_the_actor(login, case, coordinator):
    login(coordinator).post(reverse("aftercare:evaluation_new", args=[case.pk]), form_data())

    assert case.evaluations.get().history.get().history_user == coordinator


def test_it_adds_a_timeline_line_shown_to_the_employee(login, case, coordinator, employee):
    evaluation = evaluate(case, coordinator)

    event = case.events.get(kind=CaseEvent.Kind.EVALUATION)
    own_page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()

    assert (event.obj, event.actor, event.shown_to_employee) == (evaluation, coordinator, True)
    assert "recorded an evaluation held with the employee" in own_page


def test_it_logs_who_read_the_evaluation(login, case, coordinator, employee):
    evaluate(case, coordinator)

    login(employee).get(reverse("aftercare:my_evaluations", args=[case.pk]))

    assert AccessLog.objects.filter(user=employee, case_id=case.pk, object_kind="evaluation").count() == 1


def test_it_refuses_a_post_on_the_reading_page(login, case, coordinator):
    assert login(coordinator).post(reverse("aftercare:evaluations", args=[case.pk])).status_code == 405


def test_it_lets_the_case_close_without_a_reason_after_an_evaluation(case, coordinator):
    evaluate(case, coordinator)

    closed = transition.case_close(actor=coordinator, case=case)

    assert closed.status == Case.Status.CLOSED


def test_it_still_asks_a_reason_to_close_without_an_evaluation(case, coordinator):
    with pytest.raises(ValidationError):
        transition.case_close(actor=coordinator, case=case)
