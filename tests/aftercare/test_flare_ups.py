"""Moments the threat may flare up (recommendations 23, 25)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aftercare.models import FlareUpMoment
from aftercare.services import flare_ups
from doxing_cases.models import Case, Task
from doxing_cases.services import involvement
from notifications import services as reminders
from notifications.models import Kind, Notification, Reminder
from tests.factories import make_case

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=AMSTERDAM)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM)


@pytest.fixture
def active_case(case, coordinator):
    from doxing_cases import services

    return services.case_set_status(actor=coordinator, case=case, status=Case.Status.ACTIVE)


def plan(case, coordinator, **fields):
    fields = {"kind": FlareUpMoment.Kind.HEARING, "on": dt.date(2026, 7, 1), **fields}
    with time_machine.travel(NOW, tick=False):
        return flare_ups.flare_up_plan(actor=coordinator, case=case, **fields)


def alerts(kind: str = Kind.FLARE_UP) -> list[tuple[str, dt.datetime]]:
    return sorted(
        (reminder.recipient.username, reminder.due_at)
        for reminder in Reminder.objects.pending().filter(kind=kind).select_related("recipient")
    )


def test_it_alerts_14_and_2_days_before_and_on_the_day_at_nine(active_case, coordinator):
    plan(active_case, coordinator, alert_manager=False, alert_specialist=False)

    assert alerts() == [
        ("coordinator", local(2026, 6, 17, 9, 0)),
        ("coordinator", local(2026, 6, 29, 9, 0)),
        ("coordinator", local(2026, 7, 1, 9, 0)),
    ]


def test_the_alerts_fire_at_those_moments(active_case, coordinator):
    plan(active_case, coordinator, alert_manager=False, alert_specialist=False)

    for moment in (
        local(2026, 6, 17, 8, 59),
        local(2026, 6, 17, 9, 0),
        local(2026, 6, 29, 9, 0),
        local(2026, 7, 1, 9, 0),
    ):
        reminders.dispatch_due(now=moment)

    assert list(
        Notification.objects.filter(kind=Kind.FLARE_UP).order_by("created_at").values_list("created_at", flat=True)
    ) == [
        local(2026, 6, 17, 9, 0),
        local(2026, 6, 29, 9, 0),
        local(2026, 7, 1, 9, 0),
    ]


def test_the_offsets_can_be_chosen_per_moment(active_case, coordinator):
    plan(active_case, coordinator, alert_manager=False, alert_specialist=False, offsets=[7, 1])

    assert [due for _who, due in alerts()] == [local(2026, 6, 24, 9, 0), local(2026, 6, 30, 9, 0)]


def test_alerts_already_past_are_skipped(active_case, coordinator):
    plan(active_case, coordinator, alert_manager=False, alert_specialist=False, on=dt.date(2026, 6, 5))

    assert [due for _who, due in alerts()] == [local(2026, 6, 3, 9, 0), local(2026, 6, 5, 9, 0)]


def test_it_alerts_the_manager_the_specialist_and_the_employee_as_chosen(active_case, coordinator, manager, specialist):
    involvement.involvement_start(actor=coordinator, case=active_case, user=specialist, kind="specialist")

    plan(active_case, coordinator, alert_employee=True, offsets=[2])

    assert [who for who, _due in alerts()] == ["coordinator", "employee", "manager", "specialist"]


def test_the_manager_is_not_alerted_when_the_employee_keeps_them_out(employee, coordinator, manager):
    case = make_case(employee, coordinator=coordinator, manager_may_know=False)

    plan(case, coordinator, offsets=[2])

    assert "manager" not in [who for who, _due in alerts()]


def test_a_monitoring_task_goes_to_the_specialist_around_the_date(active_case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=active_case, user=specialist, kind="specialist")

    moment = plan(active_case, coordinator)

    task = Task.objects.get(key=f"flare-up-monitoring:{moment.pk}")
    assert (task.owner, task.kind, task.part) == (specialist, Task.Kind.FLARE_UP_MONITORING, "online")
    assert task.due_at == local(2026, 7, 2, 17, 0)


def test_without_a_specialist_the_coordinator_keeps_watch(active_case, coordinator):
    moment = plan(active_case, coordinator)

    assert Task.objects.get(key=f"flare-up-monitoring:{moment.pk}").owner == coordinator


def test_after_the_date_the_coordinator_is_asked_how_it_went(active_case, coordinator):
    moment = plan(active_case, coordinator)

    prompt = Reminder.objects.pending().get(kind=Kind.FLARE_UP_OUTCOME)
    assert (prompt.recipient, prompt.due_at) == (coordinator, local(2026, 7, 2, 9, 0))
    assert prompt.link == reverse("aftercare:flare_up_outcome", args=[active_case.pk, moment.pk])


def test_recording_how_it_went_ends_the_prompt(login, active_case, coordinator):
    moment = plan(active_case, coordinator)

    with time_machine.travel(local(2026, 7, 1, 20, 0), tick=False):
        response = login(coordinator).post(
            reverse("aftercare:flare_up_outcome", args=[active_case.pk, moment.pk]), {"outcome": "Rustig gebleven."}
        )

    moment.refresh_from_db()
    assert response.status_code == 302
    assert moment.outcome == "Rustig gebleven."
    assert not Reminder.objects.pending().filter(kind=Kind.FLARE_UP_OUTCOME).exists()


def test_moving_the_date_moves_the_alerts(active_case, coordinator):
    moment = plan(active_case, coordinator, alert_manager=False, alert_specialist=False, offsets=[0])

    with time_machine.travel(NOW, tick=False):
        flare_ups.flare_up_update(actor=coordinator, moment=moment, on=dt.date(2026, 8, 3))

    assert alerts() == [("coordinator", local(2026, 8, 3, 9, 0))]


def test_cancelling_a_moment_cancels_its_alerts_and_task(active_case, coordinator):
    moment = plan(active_case, coordinator)

    with time_machine.travel(NOW, tick=False):
        flare_ups.flare_up_cancel(actor=coordinator, moment=moment)

    assert alerts() == []
    assert Task.objects.get(key=f"flare-up-monitoring:{moment.pk}").status == Task.Status.CANCELLED


def test_it_proposes_the_anniversary_one_year_after_the_incident(login, employee, coordinator):
    with time_machine.travel(NOW, tick=False):
        case = make_case(employee, coordinator=coordinator, started_at=local(2026, 5, 20, 22, 0))
        response = login(coordinator).get(reverse("aftercare:flare_ups", args=[case.pk]))

    assert response.context["proposal"] == dt.date(2027, 5, 20)
    assert b"?anniversary=1" in response.content


def test_the_anniversary_of_29_february_falls_on_the_28th(employee, coordinator):
    with time_machine.travel(local(2028, 3, 1, 9, 0), tick=False):
        case = make_case(employee, coordinator=coordinator, started_at=local(2028, 2, 29, 12, 0))

    assert flare_ups.anniversary_of(case) == dt.date(2029, 2, 28)


def test_accepting_the_proposal_prefills_the_anniversary(login, employee, coordinator):
    with time_machine.travel(NOW, tick=False):
        case = make_case(employee, coordinator=coordinator, started_at=local(2026, 5, 20, 22, 0))
        form = (
            login(coordinator)
            .get(reverse("aftercare:flare_up_new", args=[case.pk]), {"anniversary": 1})
            .context["form"]
        )

    assert (form["kind"].value(), form["on"].value()) == ("anniversary", dt.date(2027, 5, 20))


def test_a_declined_proposal_is_not_made_again(login, employee, coordinator):
    case = make_case(employee, coordinator=coordinator)

    login(coordinator).post(reverse("aftercare:anniversary_decline", args=[case.pk]))

    assert flare_ups.proposed_anniversary(case) is None
    assert not Reminder.objects.filter(kind=Kind.FLARE_UP).exists()


def test_the_form_keeps_its_answers_on_bad_offsets(login, active_case, coordinator):
    response = login(coordinator).post(
        reverse("aftercare:flare_up_new", args=[active_case.pk]),
        {"kind": "debate", "on": "2099-01-01", "description": "Raadsdebat", "offsets": "veertien"},
    )

    assert "offsets" in response.context["form"].errors
    assert response.context["form"]["description"].value() == "Raadsdebat"
    assert FlareUpMoment.objects.count() == 0


def test_a_date_in_the_past_is_refused(login, active_case, coordinator):
    response = login(coordinator).post(
        reverse("aftercare:flare_up_new", args=[active_case.pk]), {"kind": "debate", "on": "2020-01-01", "offsets": "2"}
    )

    assert "on" in response.context["form"].errors


def test_who_sees_the_moments(request, login, active_case, coordinator, manager, specialist, colleague, hr):
    involvement.involvement_start(actor=coordinator, case=active_case, user=specialist, kind="specialist")
    url = reverse("aftercare:flare_ups", args=[active_case.pk])

    assert [login(user).get(url).status_code for user in (coordinator, manager, specialist, colleague, hr)] == [
        200,
        200,
        200,
        404,
        404,
    ]
    assert login(manager).get(reverse("aftercare:flare_up_new", args=[active_case.pk])).status_code == 404


def test_the_employee_sees_moments_to_be_ready_for(login, active_case, coordinator, employee):
    with time_machine.travel(timezone.now(), tick=False):
        flare_ups.flare_up_plan(
            actor=coordinator, case=active_case, kind="court_case", on=timezone.localdate() + dt.timedelta(days=20)
        )

    page = login(employee).get(reverse("cases:my_case", args=[active_case.pk])).content.decode()

    assert "Court case" in page


def test_a_new_coordinator_takes_over_the_alerts(active_case, coordinator, coordinator2):
    from doxing_cases import services

    plan(active_case, coordinator, alert_manager=False, alert_specialist=False, offsets=[2])
    with time_machine.travel(NOW, tick=False):
        services.case_assign(actor=coordinator, case=active_case, coordinator=coordinator2)

    assert [who for who, _due in alerts()] == ["coordinator2"]


def test_history_and_timeline(active_case, coordinator):
    moment = plan(active_case, coordinator)

    assert moment.history.get().history_user == coordinator
    assert active_case.events.filter(kind="flare_up", shown_to_employee=True).exists()
