"""The coordinator's dashboard: triage queue, own cases, filters, and a fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from doxing_cases import services
from doxing_cases.models import Case
from doxing_cases.services import security
from doxing_cases.views.case import QUEUE_ON_PAGE
from tests.factories import TeamFactory, UserFactory, make_case

pytestmark = pytest.mark.django_db

URL = reverse("cases:dashboard")


def make_cases(count: int, coordinator, *, team=None) -> list[Case]:
    cases = []
    for index in range(count):
        subject = UserFactory(team=team) if team else UserFactory()
        case = make_case(subject, in_danger="yes" if index % 7 == 0 else "no")
        if index % 3:
            case = services.case_take(actor=coordinator, case=case)
        cases.append(case)
    return cases


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, {"coordinator": "", "status": "open"})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_its_query_count_does_not_grow_with_the_number_of_cases(login, coordinator):
    client = login(coordinator)
    make_cases(5, coordinator)
    at_five = queries_for(client)

    make_cases(45, coordinator)
    at_fifty = queries_for(client)

    assert at_five == at_fifty
    # 14 for the page (one of them the id of the coordinators' group: see access.role_members;
    # one the number of reports waiting), 1 for the session's TOTP device (django-otp)
    assert at_fifty <= 15


def test_it_shows_the_queue_urgent_first(login, coordinator, employee, colleague):
    calm = make_case(employee)
    urgent = make_case(colleague, in_danger="yes")

    queue = login(coordinator).get(URL).context["queue"]

    assert [row[0] for row in queue] == [urgent, calm]


def test_it_shows_the_most_urgent_waiting_reports_and_links_to_all_of_them(login, coordinator):
    waiting = [make_case(UserFactory(), in_danger="yes" if index == 11 else "no") for index in range(12)]

    with translation.override("en"):
        response = login(coordinator).get(URL)

    queue = [row[0] for row in response.context["queue"]]
    assert len(queue) == QUEUE_ON_PAGE == 10
    assert queue[0] == waiting[11]  # the urgent one first, though it came last
    assert response.context["queue_total"] == 12
    page = response.content.decode()
    assert "Only the 10 most urgent are shown here." in page
    assert '<a href="?coordinator=unassigned&amp;status=">See all 12 waiting reports</a>' in page
    listed = login(coordinator).get(URL, {"coordinator": "unassigned", "status": ""}).context["page"].paginator.count
    assert listed == 12


def test_it_lists_a_short_queue_without_the_link(login, coordinator, employee):
    make_case(employee)

    page = login(coordinator).get(URL).content.decode()

    assert "?coordinator=unassigned&amp;status=" not in page


def test_it_shows_my_open_cases_by_default(login, coordinator, coordinator2, employee, colleague):
    mine = make_case(employee, coordinator=coordinator)
    make_case(colleague, coordinator=coordinator2)

    rows = login(coordinator).get(URL).context["rows"]

    assert [row[0] for row in rows] == [mine]


def test_it_filters_by_status(login, coordinator, employee, colleague):
    make_case(employee, coordinator=coordinator)
    active = make_case(colleague, coordinator=coordinator, status=Case.Status.ACTIVE)

    rows = login(coordinator).get(URL, {"status": "active", "coordinator": "mine"}).context["rows"]

    assert [row[0] for row in rows] == [active]


def test_it_filters_by_team(login, coordinator, employee, colleague, other_team):
    make_case(employee, coordinator=coordinator)
    theirs = make_case(colleague, coordinator=coordinator)

    rows = login(coordinator).get(URL, {"team": other_team.pk, "status": "open", "coordinator": "mine"}).context["rows"]

    assert [row[0] for row in rows] == [theirs]


def test_it_filters_by_threat_level(login, coordinator, employee, colleague):
    make_case(employee, coordinator=coordinator)
    high = make_case(colleague, coordinator=coordinator)
    security.threat_assess(actor=coordinator, case=high, level=Case.ThreatLevel.HIGH, basis="Adres gedeeld.")

    rows = login(coordinator).get(URL, {"threat_level": 3, "status": "open", "coordinator": "mine"}).context["rows"]

    assert [row[0] for row in rows] == [high]


def test_it_finds_a_case_by_number_and_by_name(login, coordinator, employee, colleague):
    sanne = make_case(employee, coordinator=coordinator)
    make_case(colleague, coordinator=coordinator)
    client = login(coordinator)

    by_number = client.get(URL, {"q": sanne.reference, "status": "", "coordinator": ""}).context["rows"]
    by_name = client.get(URL, {"q": "de vries", "status": "", "coordinator": ""}).context["rows"]

    assert [row[0] for row in by_number] == [sanne]
    assert [row[0] for row in by_name] == [sanne]


def test_it_shows_unassigned_cases_with_the_queue_filter(login, coordinator, employee, colleague):
    waiting = make_case(employee)
    make_case(colleague, coordinator=coordinator)

    rows = login(coordinator).get(URL, {"coordinator": "unassigned", "status": ""}).context["rows"]

    assert [row[0] for row in rows] == [waiting]


def test_it_pages_long_lists(login, coordinator):
    team = TeamFactory()
    for _ in range(27):
        make_case(UserFactory(team=team), coordinator=coordinator)

    page2 = login(coordinator).get(URL, {"status": "open", "coordinator": "mine", "page": 2})

    assert len(page2.context["rows"]) == 2
    assert b"page=1" in page2.content


def test_it_does_not_show_other_coordinators_cases(login, coordinator, coordinator2, employee):
    make_case(employee, coordinator=coordinator2)

    rows = login(coordinator).get(URL, {"coordinator": "", "status": ""}).context["rows"]

    assert rows == []


def test_it_is_for_coordinators_only(login, employee, manager, hr, admin):
    for user in (employee, manager, hr, admin):
        assert login(user).get(URL).status_code == 404


def test_the_next_step_after_taking_is_to_contact_the_employee(login, coordinator, employee):
    make_case(employee, coordinator=coordinator)

    action = login(coordinator).get(URL).context["rows"][0][1]

    with translation.override("en"):
        assert str(action.label) == "Contact the employee"
    assert action.due_at is not None


def test_it_keeps_invalid_filters_harmless(login, coordinator):
    response = login(coordinator).get(URL, {"threat_level": "abc", "team": "x", "page": "zzz"})

    assert response.status_code == 200
