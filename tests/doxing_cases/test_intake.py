"""A coordinator registers a report received by phone or in person (manual intake)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doxing_cases.models import Case, Report
from people import access

pytestmark = pytest.mark.django_db

URL = reverse("cases:intake")


def answers(subject, **extra):
    data = {
        "subject": subject.pk,
        "received_via": "phone",
        "description": "Belde over een bericht met haar adres.",
        "in_danger": "no",
        "manager_may_know": "yes",
    }
    data.update(extra)
    return data


def test_it_registers_a_phoned_in_report_as_such(login, coordinator, employee, manager):
    response = login(coordinator).post(URL, answers(employee, take="on"))

    report = Report.objects.get()
    assert response.status_code == 302
    assert (report.subject, report.reporter, report.received_via) == (employee, coordinator, Report.ReceivedVia.PHONE)
    assert report.case.coordinator == coordinator
    assert report.case.first_contact_at == report.filed_at
    assert access.case_parts(employee, report.case) == {access.OWN}


def test_without_taking_it_the_case_waits_in_the_queue(login, coordinator, coordinator2, employee):
    login(coordinator).post(URL, answers(employee))

    case = Case.objects.get()
    assert case.coordinator is None
    assert list(access.triage_queue(coordinator2)) == [case]


def test_the_employees_no_to_the_manager_is_kept(login, coordinator, employee, manager):
    login(coordinator).post(URL, answers(employee, manager_may_know="no", take="on"))

    case = Case.objects.get()
    assert case.manager_may_know is False
    assert access.case_parts(manager, case) == frozenset()


def test_a_failing_intake_keeps_the_answers(login, coordinator, employee):
    response = login(coordinator).post(URL, answers(employee, description="", contact_phone="06-1234"))

    assert response.status_code == 200
    assert response.context["form"]["subject"].value() == str(employee.pk)
    assert response.context["form"]["contact_phone"].value() == "06-1234"
    assert Report.objects.count() == 0


def test_it_is_for_coordinators_only(login, manager, employee):
    assert login(manager).get(URL).status_code == 404
    assert login(manager).post(URL, answers(employee)).status_code == 404
    assert Report.objects.count() == 0


def test_the_timeline_says_who_registered_it(login, coordinator, employee):
    login(coordinator).post(URL, answers(employee, take="on"))

    report = Report.objects.get()
    page = login(employee).get(reverse("cases:my_case", args=[report.case_id])).content.decode()
    assert "Lotte Visser" in page
