"""Triage and assignment: every case has exactly one coordinator (recommendations 7, 11)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from doxing_cases import services
from doxing_cases.models import Case, CaseEvent, CaseGrant
from people import access
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def test_it_lets_a_coordinator_take_a_case_from_the_queue(login, new_case, coordinator):
    response = login(coordinator).post(reverse("cases:take", args=[new_case.pk]))

    new_case.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[new_case.pk])
    assert new_case.coordinator == coordinator
    assert new_case.status == Case.Status.TRIAGE
    assert access.case_parts(coordinator, new_case) == {access.FULL, access.CHANGE}


def test_it_takes_the_case_out_of_every_queue(login, new_case, coordinator, coordinator2):
    login(coordinator).post(reverse("cases:take", args=[new_case.pk]))

    assert list(access.triage_queue(coordinator2)) == []
    assert login(coordinator2).get(reverse("cases:detail", args=[new_case.pk])).status_code == 404


def test_it_lets_only_one_coordinator_take_a_case(new_case, coordinator, coordinator2):
    services.case_take(actor=coordinator, case=new_case)

    with pytest.raises(ValidationError):
        services.case_take(actor=coordinator2, case=new_case)
    new_case.refresh_from_db()
    assert new_case.coordinator == coordinator


def test_a_late_second_take_answers_404(login, new_case, coordinator, coordinator2):
    login(coordinator).post(reverse("cases:take", args=[new_case.pk]))

    response = login(coordinator2).post(reverse("cases:take", args=[new_case.pk]))

    assert response.status_code == 404


def test_take_refuses_get(login, new_case, coordinator):
    assert login(coordinator).get(reverse("cases:take", args=[new_case.pk])).status_code == 405


def test_an_employee_cannot_take_a_case(login, new_case, employee, colleague):
    assert login(colleague).post(reverse("cases:take", args=[new_case.pk])).status_code == 404
    assert login(employee).post(reverse("cases:take", args=[new_case.pk])).status_code == 404


def test_it_assigns_a_queued_case_to_another_coordinator(login, new_case, coordinator, coordinator2):
    url = reverse("cases:assign", args=[new_case.pk])

    response = login(coordinator).post(url, {"coordinator": coordinator2.pk, "note": "Jij kent dit team."})

    new_case.refresh_from_db()
    assert response.status_code == 302
    assert new_case.coordinator == coordinator2
    assert access.case_parts(coordinator2, new_case) == {access.FULL, access.CHANGE}
    assert access.case_parts(coordinator, new_case) == frozenset()
    assert new_case.events.filter(kind=CaseEvent.Kind.COORDINATOR_SET).get().note == "Jij kent dit team."


def test_a_handover_takes_the_case_away_from_the_old_coordinator(login, case, coordinator, coordinator2):
    login(coordinator).post(reverse("cases:assign", args=[case.pk]), {"coordinator": coordinator2.pk})

    assert login(coordinator).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert login(coordinator2).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_the_history_keeps_every_coordinator(case, coordinator, coordinator2):
    services.case_assign(actor=coordinator, case=case, coordinator=coordinator2)

    held_by = [row.coordinator_id for row in case.history.order_by("history_date", "history_id")]
    assert held_by[-2:] == [coordinator.pk, coordinator2.pk]
    assert case.history.first().history_user == coordinator


def test_it_records_who_lost_and_gained_access(case, coordinator, coordinator2):
    services.case_assign(actor=coordinator, case=case, coordinator=coordinator2)

    removed = CaseGrant.history.filter(user_id=coordinator.pk, history_type="-")
    added = CaseGrant.history.filter(user_id=coordinator2.pk, history_type="+")
    assert removed.count() == 2
    assert added.count() == 2
    assert {row.history_user for row in (*removed, *added)} == {coordinator}


def test_it_refuses_to_assign_a_case_to_someone_who_is_not_a_coordinator(login, new_case, coordinator, employee):
    response = login(coordinator).post(reverse("cases:assign", args=[new_case.pk]), {"coordinator": employee.pk})

    new_case.refresh_from_db()
    assert response.status_code == 200
    assert "coordinator" in response.context["form"].errors
    assert new_case.coordinator is None


def test_the_service_refuses_a_non_coordinator_too(new_case, coordinator, employee):
    with pytest.raises(ValidationError):
        services.case_assign(actor=coordinator, case=new_case, coordinator=employee)


def test_an_uninvolved_coordinator_cannot_assign_a_taken_case(login, case, coordinator2):
    url = reverse("cases:assign", args=[case.pk])

    assert login(coordinator2).get(url).status_code == 404
    assert login(coordinator2).post(url, {"coordinator": coordinator2.pk}).status_code == 404


def test_it_moves_a_report_to_the_employees_open_case(login, case, employee, coordinator):
    second = make_case(employee, in_danger="yes")
    report = second.reports.get()

    response = login(coordinator).post(reverse("cases:report_move", args=[second.pk, report.pk]), {"target": case.pk})

    second.refresh_from_db()
    case.refresh_from_db()
    assert response.status_code == 302
    assert report in case.reports.all()
    assert case.urgent is True
    assert second.status == Case.Status.CLOSED
    assert second.merged_into == case
    assert list(access.triage_queue(coordinator)) == []


def test_it_refuses_to_move_a_report_to_a_case_of_another_employee(case, colleague, coordinator):
    other = make_case(colleague)

    with pytest.raises(ValidationError):
        services.report_move(actor=coordinator, report=other.reports.get(), target=case)


def test_it_offers_only_open_cases_of_the_same_employee(login, case, employee, colleague, coordinator):
    second = make_case(employee)
    make_case(colleague)

    response = login(coordinator).get(reverse("cases:report_move", args=[second.pk, second.reports.get().pk]))

    assert list(response.context["form"].fields["target"].queryset) == [case]


def test_a_coordinator_who_lost_the_role_loses_the_queue(new_case, coordinator):
    coordinator.groups.clear()
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)

    assert list(access.triage_queue(coordinator)) == []
    assert access.case_parts(coordinator, new_case) == frozenset()


def test_an_inactive_coordinator_sees_nothing(new_case):
    inactive = UserFactory(roles=["coordinator"], is_active=False)

    assert access.case_parts(inactive, new_case) == frozenset()
    assert list(access.cases_visible_to(inactive)) == []
