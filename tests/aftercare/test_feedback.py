"""The employee's feedback after closing: once, by the employee only, and
never shown per person to anyone else."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from aftercare.models import Feedback
from aftercare.services import evaluation as services
from aftercare.services import transition
from doxing_cases.services import involvement
from people.models import AccessLog

pytestmark = pytest.mark.django_db

ANSWERS = {
    "knew_contact": "5",
    "involved_in_decisions": "4",
    "support_in_time": "3",
    "measures_fitted": "",
    "overall": "4",
    "comment": "Fijn dat er iemand was.",
}


@pytest.fixture
def closed_case(case, coordinator):
    return transition.case_close(actor=coordinator, case=case, reason="Rustig, de medewerker wil afsluiten.")


@pytest.fixture
def involved_peer(case, coordinator, peer):
    """A peer supporter involved while the case was open."""
    involvement.involvement_start(actor=coordinator, case=case, user=peer, kind="peer")
    return peer


def feedback_url(case) -> str:
    return reverse("aftercare:feedback", args=[case.pk])


def test_it_asks_the_employee_after_closing(login, closed_case, employee):
    response = login(employee).get(feedback_url(closed_case))

    assert response.status_code == 200
    assert "1 = not at all, 5 = completely" in response.content.decode()
    assert "not shown to your manager" in response.content.decode()


def test_it_saves_the_answers(login, closed_case, employee):
    response = login(employee).post(feedback_url(closed_case), ANSWERS)

    assert response.status_code == 302
    saved = Feedback.objects.get(case=closed_case)
    assert (saved.knew_contact, saved.measures_fitted, saved.overall) == (5, None, 4)


def test_it_writes_a_history_row_with_the_employee(login, closed_case, employee):
    login(employee).post(feedback_url(closed_case), ANSWERS)

    assert Feedback.objects.get().history.get().history_user == employee


def test_it_takes_the_answers_once(login, closed_case, employee):
    client = login(employee)
    client.post(feedback_url(closed_case), ANSWERS)

    client.post(feedback_url(closed_case), {**ANSWERS, "overall": "1"})

    assert Feedback.objects.get().overall == 4


def test_it_refuses_a_second_answer_in_the_service(closed_case, employee):
    answers = {"knew_contact": 5, "involved_in_decisions": 4, "support_in_time": 3, "overall": 4}
    services.feedback_give(actor=employee, case=closed_case, **answers)

    with pytest.raises(ValidationError):
        services.feedback_give(actor=employee, case=closed_case, **answers)


def test_it_shows_the_employee_their_own_answers_read_only_afterwards(login, closed_case, employee):
    client = login(employee)
    client.post(feedback_url(closed_case), ANSWERS)

    response = client.get(feedback_url(closed_case))

    page = response.content.decode()
    assert "Thank you for your feedback" in page
    assert "Fijn dat er iemand was." in page
    assert '<form method="post" novalidate class="form">' not in page
    assert AccessLog.objects.filter(user=employee, object_kind="feedback").count() == 1


def test_it_is_not_open_before_the_case_closes(login, case, employee):
    client = login(employee)

    page = client.get(feedback_url(case))
    client.post(feedback_url(case), ANSWERS)

    assert page.status_code == 200
    assert "Feedback is not open yet" in page.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("value", ["0", "6", "x"])
def test_it_accepts_only_1_to_5(login, closed_case, employee, value):
    response = login(employee).post(feedback_url(closed_case), {**ANSWERS, "overall": value})

    assert response.status_code == 200
    assert "overall" in response.context["form"].errors
    assert not Feedback.objects.exists()


def test_it_enforces_1_to_5_in_the_service_too(closed_case, employee):
    with pytest.raises(ValidationError):
        services.feedback_give(
            actor=employee, case=closed_case, knew_contact=9, involved_in_decisions=4, support_in_time=3, overall=4
        )


def test_it_needs_the_questions_answered_except_measures(login, closed_case, employee):
    response = login(employee).post(feedback_url(closed_case), {**ANSWERS, "knew_contact": ""})

    assert set(response.context["form"].errors) == {"knew_contact"}


@pytest.mark.parametrize("person", ["coordinator", "manager", "colleague", "hr", "admin", "involved_peer"])
def test_it_never_shows_the_feedback_to_anyone_else(login, involved_peer, closed_case, employee, request, person):
    login(employee).post(feedback_url(closed_case), ANSWERS)
    user = request.getfixturevalue(person)

    assert login(user).get(feedback_url(closed_case)).status_code == 404


@pytest.mark.parametrize("person", ["coordinator", "manager"])
def test_it_leaves_the_feedback_off_the_case_page(login, closed_case, employee, request, person):
    login(employee).post(feedback_url(closed_case), ANSWERS)

    page = login(request.getfixturevalue(person)).get(reverse("cases:detail", args=[closed_case.pk])).content.decode()

    assert "Fijn dat er iemand was." not in page


def test_it_refuses_someone_else_in_the_service(closed_case, coordinator):
    with pytest.raises(PermissionDenied):
        services.feedback_give(
            actor=coordinator, case=closed_case, knew_contact=5, involved_in_decisions=4, support_in_time=3, overall=4
        )
    assert not Feedback.objects.exists()
