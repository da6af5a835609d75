"""A coordinator registers a report received by phone or in person (manual intake)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from doxing_cases.models import Case, Report
from people import access
from people.search import SEARCH_LIMIT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIND = reverse("cases:intake")


def form_url(subject):
    return reverse("cases:intake_for", args=[subject.pk])


def answers(**extra):
    data = {
        "received_via": "phone",
        "description": "Belde over een bericht met haar adres.",
        "in_danger": "no",
        "manager_may_know": "yes",
    }
    data.update(extra)
    return data


def test_it_registers_a_phoned_in_report_as_such(login, coordinator, employee, manager):
    response = login(coordinator).post(form_url(employee), answers(take="on"))

    report = Report.objects.get()
    assert response.status_code == 302
    assert (report.subject, report.reporter, report.received_via) == (employee, coordinator, Report.ReceivedVia.PHONE)
    assert report.case.coordinator == coordinator
    assert report.case.first_contact_at == report.filed_at
    assert access.case_parts(employee, report.case) == {access.OWN}


def test_without_taking_it_the_case_waits_in_the_queue(login, coordinator, coordinator2, employee):
    login(coordinator).post(form_url(employee), answers())

    case = Case.objects.get()
    assert case.coordinator is None
    assert list(access.triage_queue(coordinator2)) == [case]


def test_the_employees_no_to_the_manager_is_kept(login, coordinator, employee, manager):
    login(coordinator).post(form_url(employee), answers(manager_may_know="no", take="on"))

    case = Case.objects.get()
    assert case.manager_may_know is False
    assert access.case_parts(manager, case) == frozenset()


def test_a_failing_intake_keeps_the_answers(login, coordinator, employee):
    response = login(coordinator).post(
        form_url(employee), answers(description="", contact_phone="06-1234", leaked_data=["home_address"])
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["subject"] == employee
    assert form["received_via"].value() == "phone"
    assert form["leaked_data"].value() == ["home_address"]
    assert response.context["form"]["contact_phone"].value() == "06-1234"
    assert Report.objects.count() == 0


def test_it_is_for_coordinators_only(login, manager, employee):
    assert login(manager).get(FIND, {"q": employee.last_name}).status_code == 404
    assert login(manager).get(form_url(employee)).status_code == 404
    assert login(manager).post(form_url(employee), answers()).status_code == 404
    assert Report.objects.count() == 0


def test_the_coordinator_finds_the_employee_by_name(login, coordinator, employee, colleague):
    response = login(coordinator).get(FIND, {"q": f"{employee.first_name} {employee.last_name}"})

    assert response.status_code == 200
    assert response.context["people"] == [employee]
    assert form_url(employee) in response.content.decode()
    assert form_url(colleague) not in response.content.decode()


def test_the_first_page_lists_nobody_before_a_search(login, coordinator, employee):
    response = login(coordinator).get(FIND)

    assert response.status_code == 200
    assert response.context["people"] == []
    assert form_url(employee) not in response.content.decode()


def test_a_long_list_is_cut_short_with_a_hint(login, coordinator, team):
    UserFactory.create_batch(SEARCH_LIMIT + 1, team=team, last_name="Jansen")

    response = login(coordinator).get(FIND, {"q": "jansen"})

    assert len(response.context["people"]) == SEARCH_LIMIT
    assert response.context["more"] is True
    assert f"Only the first {SEARCH_LIMIT} people are listed" in response.content.decode()


def test_someone_no_longer_active_is_neither_found_nor_chosen(login, coordinator, employee):
    employee.is_active = False
    employee.save()

    assert login(coordinator).get(FIND, {"q": employee.last_name}).context["people"] == []
    assert login(coordinator).get(form_url(employee)).status_code == 404
    assert login(coordinator).post(form_url(employee), answers()).status_code == 404
    assert Report.objects.count() == 0


def test_the_form_names_the_employee_and_offers_another_choice(login, coordinator, employee):
    page = login(coordinator).get(form_url(employee)).content.decode()

    assert escape(employee.display_name) in page
    assert f'href="{FIND}"' in page
    assert 'name="subject"' not in page


def test_the_timeline_says_who_registered_it(login, coordinator, employee):
    login(coordinator).post(form_url(employee), answers(take="on"))

    report = Report.objects.get()
    page = login(employee).get(reverse("cases:my_case", args=[report.case_id])).content.decode()
    assert "Lotte Visser" in page


def test_the_choices_speak_of_the_employee_not_of_me(login, coordinator, employee):
    page = login(coordinator).get(form_url(employee)).content.decode()

    assert "Their home address" in page
    assert "Obstructing them in their work" in page
    assert "My home address" not in page
    assert "Obstructing me" not in page


def test_the_choices_keep_their_values(login, coordinator, employee):
    login(coordinator).post(
        form_url(employee), answers(leaked_data=["home_address", "workplace"], behaviours=["obstruction"])
    )

    report = Report.objects.get()
    assert (report.leaked_data, report.behaviours) == (["home_address", "workplace"], ["obstruction"])


def test_a_subject_slipped_into_the_post_is_ignored(login, coordinator, employee, colleague):
    login(coordinator).post(form_url(employee), answers(subject=colleague.pk))

    assert Report.objects.get().subject == employee


def test_the_results_tell_people_of_the_same_name_apart(login, coordinator, team):
    first = UserFactory(team=team, first_name="Sanne", last_name="Jansen", username="sjansen1")
    second = UserFactory(team=team, first_name="Sanne", last_name="Jansen", username="sjansen2")

    page = login(coordinator).get(FIND, {"q": "sanne jansen"}).content.decode()

    assert first.username in page and second.username in page
    assert escape(first.username) in login(coordinator).get(form_url(first)).content.decode()
