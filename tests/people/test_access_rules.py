"""people/access.py on its own: the rules, without pages."""

from __future__ import annotations

import pytest
from django.http import Http404

from people import access
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_get_case_for_user_returns_the_case_with_its_parts(case, coordinator):
    found = access.get_case_for_user(coordinator, case.pk, perm=access.FULL)

    assert found == case
    assert found.access_parts == {access.FULL, access.CHANGE}


@pytest.mark.parametrize("case_id", [0, -1, "abc", None, 10**15])
def test_get_case_for_user_answers_404_for_nonsense(case, coordinator, case_id):
    with pytest.raises(Http404):
        access.get_case_for_user(coordinator, case_id, perm=access.FULL)


def test_get_case_for_user_answers_404_for_a_part_not_held(case, manager):
    with pytest.raises(Http404):
        access.get_case_for_user(manager, case.pk, perm=access.FULL)


def test_any_of_several_parts_is_enough(case, manager):
    assert access.get_case_for_user(manager, case.pk, perm=access.STAFF_VIEW) == case


def test_cases_visible_to_lists_each_case_once(case, coordinator):
    assert list(access.cases_visible_to(coordinator, perm=access.FULL)) == [case]


def test_queued_cases_are_visible_to_every_coordinator_and_nobody_else(new_case, coordinator, hr, manager2):
    assert list(access.cases_visible_to(coordinator, perm=access.FULL)) == [new_case]
    assert list(access.cases_visible_to(hr, perm=access.FULL)) == []
    assert list(access.cases_visible_to(manager2, perm=access.SUPPORT)) == []


def test_an_anonymous_user_sees_nothing(case):
    from django.contrib.auth.models import AnonymousUser

    assert access.case_parts(AnonymousUser(), case) == frozenset()
    assert list(access.cases_visible_to(AnonymousUser())) == []


def test_a_user_reports_for_themself(employee, colleague):
    assert access.may_report_for(employee, employee)
    assert not access.may_report_for(employee, colleague)


def test_a_manager_reports_for_their_team_only(employee, colleague, manager):
    assert access.may_report_for(manager, employee)
    assert not access.may_report_for(manager, colleague)


def test_a_manager_who_is_doxed_is_not_their_own_supporter(team, manager):
    case = make_case(manager)

    assert access.case_parts(manager, case) == {access.OWN}
