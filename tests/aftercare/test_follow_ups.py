"""Long-term follow-up (recommendation 24) and "it is getting to me again"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aftercare.models import FollowUp
from aftercare.services import follow_ups
from doxing_cases import services
from doxing_cases.models import Case
from notifications.models import Kind, Notification, Reminder
from notifications.services import dispatch_due

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def active_case(case, coordinator):
    return services.case_set_status(actor=coordinator, case=case, status=Case.Status.ACTIVE)


def test_the_usual_schedule_is_1_3_6_and_12_months(active_case, coordinator, manager):
    planned = follow_ups.follow_ups_plan_usual(actor=coordinator, case=active_case, start=dt.date(2026, 1, 31))

    assert [item.planned_on for item in planned] == [
        dt.date(2026, 2, 28),
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 31),
        dt.date(2027, 1, 31),
    ]
    assert {item.owner for item in planned} == {manager}


def test_planning_the_usual_schedule_twice_changes_nothing(active_case, coordinator):
    follow_ups.follow_ups_plan_usual(actor=coordinator, case=active_case)
    follow_ups.follow_ups_plan_usual(actor=coordinator, case=active_case)

    assert FollowUp.objects.count() == 4


def test_the_coordinator_holds_them_when_the_employee_keeps_the_manager_out(employee, coordinator, manager):
    from tests.factories import make_case

    case = make_case(employee, coordinator=coordinator, manager_may_know=False)

    planned = follow_ups.follow_ups_plan_usual(actor=coordinator, case=case)

    assert {item.owner for item in planned} == {coordinator}


def test_each_follow_up_reminds_its_owner_that_morning(active_case, coordinator, manager):
    (first, *_rest) = follow_ups.follow_ups_plan_usual(actor=coordinator, case=active_case, start=timezone.localdate())

    reminder = Reminder.objects.pending().get(key=f"follow-up:{first.pk}")
    assert reminder.recipient == manager
    assert reminder.due_at == dt.datetime.combine(first.planned_on, dt.time(9, 0), tzinfo=AMSTERDAM)


def test_an_overdue_follow_up_is_marked(login, active_case, coordinator):
    with time_machine.travel(timezone.now() - dt.timedelta(days=100), tick=False):
        follow_ups.follow_ups_plan_usual(actor=coordinator, case=active_case)

    page = login(coordinator).get(reverse("aftercare:follow_ups", args=[active_case.pk])).content.decode()

    assert FollowUp.objects.filter(planned_on__lt=timezone.localdate()).first().overdue
    assert "overdue" in page


def test_the_manager_records_a_follow_up_and_its_reminder_ends(login, active_case, coordinator, manager):
    first = follow_ups.follow_ups_plan_usual(actor=coordinator, case=active_case)[0]

    response = login(manager).post(
        reverse("aftercare:follow_up_record", args=[active_case.pk, first.pk]),
        {"held_on": timezone.localdate().isoformat(), "work_impact": "Mijdt nachtdiensten", "needs": "Tijd"},
    )

    first.refresh_from_db()
    assert response.status_code == 302
    assert (first.status, first.work_impact) == (FollowUp.Status.DONE, "Mijdt nachtdiensten")
    assert not Reminder.objects.pending().filter(key=f"follow-up:{first.pk}").exists()


def test_a_follow_up_in_the_future_cannot_be_recorded_as_held(login, active_case, coordinator):
    first = follow_ups.follow_ups_plan_usual(actor=coordinator, case=active_case)[0]

    response = login(coordinator).post(
        reverse("aftercare:follow_up_record", args=[active_case.pk, first.pk]),
        {"held_on": "2999-01-01", "needs": "Rust"},
    )

    assert "held_on" in response.context["form"].errors
    assert response.context["form"]["needs"].value() == "Rust"


def test_who_sees_the_follow_ups(login, active_case, coordinator, manager, employee, colleague):
    url = reverse("aftercare:follow_ups", args=[active_case.pk])

    assert [login(user).get(url).status_code for user in (coordinator, manager, employee, colleague)] == [
        200,
        200,
        404,
        404,
    ]
    assert login(manager).post(reverse("aftercare:follow_ups_plan", args=[active_case.pk])).status_code == 404


def test_it_is_getting_to_me_again_alerts_the_coordinator_at_once(login, active_case, employee, coordinator):
    response = login(employee).post(reverse("aftercare:getting_to_me", args=[active_case.pk]))

    dispatch_due()

    assert response.status_code == 302
    alert = Notification.objects.get(kind=Kind.GETTING_TO_ME)
    assert alert.recipient == coordinator
    planned = FollowUp.objects.get(case=active_case)
    assert (planned.owner, planned.planned_on) == (coordinator, timezone.localdate() + dt.timedelta(days=3))
    assert active_case.events.filter(kind="getting_to_me", shown_to_employee=True).exists()


def test_it_works_after_the_case_closed_too(login, active_case, employee, coordinator):
    from aftercare.services import transition

    transition.case_close(actor=coordinator, case=active_case, reason="Afgerond")

    login(employee).post(reverse("aftercare:getting_to_me", args=[active_case.pk]))
    dispatch_due()

    assert Notification.objects.filter(kind=Kind.GETTING_TO_ME, recipient=coordinator).exists()


def test_only_the_employee_presses_the_button(login, active_case, manager, coordinator):
    assert login(manager).post(reverse("aftercare:getting_to_me", args=[active_case.pk])).status_code == 404
    assert login(coordinator).post(reverse("aftercare:getting_to_me", args=[active_case.pk])).status_code == 404


def test_the_button_page_refuses_other_methods(login, active_case, employee):
    assert login(employee).put(reverse("aftercare:getting_to_me", args=[active_case.pk])).status_code == 405
