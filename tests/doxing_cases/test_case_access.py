"""Need-to-know: who sees which part of a case, and a 404 for everyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from doxing_cases import services
from people import access
from people import services as people_services
from people.models import AccessLog
from tests.factories import make_case

pytestmark = pytest.mark.django_db

OUTSIDERS = ["colleague", "manager2", "coordinator2", "peer", "specialist", "security", "hr", "privacy", "admin"]


@pytest.fixture(params=OUTSIDERS)
def outsider(request):
    return request.getfixturevalue(request.param)


def case_urls(case):
    report = case.reports.get()
    return [
        ("get", reverse("cases:detail", args=[case.pk])),
        ("get", reverse("cases:my_case", args=[case.pk])),
        ("get", reverse("cases:my_case_manager", args=[case.pk])),
        ("get", reverse("cases:assign", args=[case.pk])),
        ("get", reverse("cases:status", args=[case.pk])),
        ("get", reverse("cases:threat", args=[case.pk])),
        ("get", reverse("cases:first_contact", args=[case.pk])),
        ("get", reverse("cases:note", args=[case.pk])),
        ("get", reverse("cases:report_move", args=[case.pk, report.pk])),
        ("post", reverse("cases:take", args=[case.pk])),
        ("post", reverse("cases:assign", args=[case.pk])),
        ("post", reverse("cases:status", args=[case.pk])),
        ("post", reverse("cases:note", args=[case.pk])),
        ("post", reverse("cases:my_case_manager", args=[case.pk])),
    ]


def test_an_outsider_gets_404_on_every_page_of_the_case(login, case, outsider):
    client = login(outsider)

    answers = {url: getattr(client, method)(url).status_code for method, url in case_urls(case)}

    assert set(answers.values()) == {404}, answers


def test_an_outsider_leaves_no_trace_in_the_case(login, case, outsider):
    for method, url in case_urls(case):
        getattr(login(outsider), method)(url, {"text": "x", "status": "closed", "note": "x", "manager_may_know": "no"})

    case.refresh_from_db()
    assert case.coordinator.username == "coordinator"
    assert case.manager_may_know is True
    assert case.events.filter(actor__username=outsider.username).count() == 0


def test_an_unknown_case_answers_like_a_forbidden_one(login, coordinator):
    assert login(coordinator).get(reverse("cases:detail", args=[999999])).status_code == 404


def test_the_coordinator_sees_the_whole_case(login, case, coordinator):
    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    assert response.context["full"] is True
    assert case.reports.get().description.encode() in response.content
    assert b"A website or forum" in response.content
    assert b"Personal details shared to intimidate (doxing)" in response.content
    assert b"My home address" in response.content


def test_the_manager_sees_the_support_side_only(login, case, manager):
    services.case_add_note(actor=case.coordinator, case=case, text="INTERNE-NOTITIE")

    response = login(manager).get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    assert response.context["full"] is False
    assert case.reports.get().description.encode() not in response.content
    assert b"INTERNE-NOTITIE" not in response.content
    assert b"06-11111111" not in response.content


def test_the_employee_sees_their_own_case_without_internal_notes(login, case, employee):
    services.case_add_note(actor=case.coordinator, case=case, text="INTERNE-NOTITIE")

    response = login(employee).get(reverse("cases:my_case", args=[case.pk]))

    assert response.status_code == 200
    assert case.reports.get().description.encode() in response.content
    assert b"INTERNE-NOTITIE" not in response.content


def test_the_employee_does_not_see_a_handover_note(login, case, employee, coordinator, coordinator2):
    services.case_assign(actor=coordinator, case=case, coordinator=coordinator2, note="OVERDRACHT-NOTITIE")

    response = login(employee).get(reverse("cases:my_case", args=[case.pk]))

    assert b"OVERDRACHT-NOTITIE" not in response.content


def test_the_employee_cannot_open_the_staff_page_of_their_case(login, case, employee):
    assert login(employee).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_employee_can_withdraw_the_managers_access(login, case, employee, manager):
    response = login(employee).post(reverse("cases:my_case_manager", args=[case.pk]), {"manager_may_know": "no"})

    assert response.status_code == 302
    assert login(manager).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert list(access.cases_visible_to(manager, perm=access.SUPPORT)) == []


def test_the_employee_can_give_the_manager_access_back(login, employee, manager):
    case = make_case(employee, manager_may_know=False)

    login(employee).post(reverse("cases:my_case_manager", args=[case.pk]), {"manager_may_know": "yes"})

    assert login(manager).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_new_manager_of_the_team_gets_the_support_side(case, team, manager, manager2):
    people_services.team_set_managers(actor=None, team=team, managers=[manager2])

    assert access.case_parts(manager2, case) == {access.SUPPORT}
    assert access.case_parts(manager, case) == frozenset()


def test_a_move_to_another_team_moves_the_managers_access(case, employee, other_team, manager, manager2):
    people_services.user_set_team(actor=None, user=employee, team=other_team)

    assert access.case_parts(manager2, case) == {access.SUPPORT}
    assert access.case_parts(manager, case) == frozenset()


def test_a_superuser_has_no_case_access(case, admin):
    assert access.case_parts(admin, case) == frozenset()
    assert list(access.cases_visible_to(admin)) == []


def test_it_logs_every_view_of_a_case_page(login, case, coordinator, manager, employee):
    login(coordinator).get(reverse("cases:detail", args=[case.pk]))
    login(manager).get(reverse("cases:detail", args=[case.pk]))
    login(employee).get(reverse("cases:my_case", args=[case.pk]))

    rows = AccessLog.objects.filter(case_id=case.pk).order_by("at", "pk")
    assert [(row.username, row.action) for row in rows] == [
        ("coordinator", AccessLog.Action.VIEW_CASE),
        ("manager", AccessLog.Action.VIEW_CASE),
        ("employee", AccessLog.Action.VIEW_OWN_CASE),
    ]


def test_a_refused_view_writes_no_access_log_row(login, case, colleague):
    login(colleague).get(reverse("cases:detail", args=[case.pk]))

    assert AccessLog.objects.filter(user=colleague).count() == 0


def test_it_logs_cases_shown_in_lists(login, case, coordinator, manager, employee):
    login(coordinator).get(reverse("cases:dashboard"))
    login(manager).get(reverse("cases:team"))
    login(employee).get(reverse("cases:my"))

    listed = AccessLog.objects.filter(action=AccessLog.Action.LIST_CASE, case_id=case.pk)
    assert sorted(listed.values_list("username", flat=True)) == ["coordinator", "employee", "manager"]


def test_the_team_page_is_for_managers_only(login, employee):
    assert login(employee).get(reverse("cases:team")).status_code == 404


def test_the_team_page_lists_only_the_managers_own_team(login, case, colleague, manager, manager2):
    other = make_case(colleague)

    assert list(login(manager).get(reverse("cases:team")).context["cases"]) == [case]
    assert list(login(manager2).get(reverse("cases:team")).context["cases"]) == [other]


def test_my_page_lists_only_my_own_cases(login, case, employee, colleague):
    make_case(colleague)

    assert list(login(employee).get(reverse("cases:my")).context["cases"]) == [case]
    assert list(login(colleague).get(reverse("cases:my")).context["cases"]) != [case]


def test_my_page_shows_the_contact_person(login, case, employee):
    response = login(employee).get(reverse("cases:my"))

    assert escape(case.coordinator.display_name).encode() in response.content
