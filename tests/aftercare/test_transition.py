"""Moving to aftercare through the checklist; closing and reopening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aftercare.models import AftercareChecklist, FollowUp
from aftercare.services import flare_ups, follow_ups, transition
from doxing_cases import services
from doxing_cases.models import Case, SecurityMeasure, TakedownRequest, Task
from doxing_cases.services import online, security, tasks
from notifications.models import Kind, Notification, Reminder
from notifications.services import dispatch_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_case(case, coordinator):
    return services.case_set_status(actor=coordinator, case=case, status=Case.Status.ACTIVE)


def finish_everything(case, coordinator):
    security.threat_assess(actor=coordinator, case=case, level=1, basis="Rustig.")
    flare_ups.flare_up_plan(
        actor=coordinator, case=case, kind="hearing", on=timezone.localdate() + dt.timedelta(days=40)
    )
    follow_ups.follow_ups_plan_usual(actor=coordinator, case=case)


def unfinished(case) -> set[str]:
    return {item.key for item in transition.checklist(case) if not item.done}


def test_a_new_active_case_has_everything_still_to_do(active_case):
    assert unfinished(active_case) == {"threat", "flare_ups", "follow_ups"}


def test_an_open_measure_without_review_and_an_open_takedown_show_up(active_case, coordinator):
    security.security_measure_create(
        actor=coordinator,
        case=active_case,
        kind=SecurityMeasure.Kind.CAMERA,
        responsible_department="Facilitair",
        status=SecurityMeasure.Status.ACTIVE,
    )
    online.takedown_create(
        actor=coordinator, case=active_case, url="https://x.example/1", route=TakedownRequest.Route.NTD
    )

    assert {"measures", "takedowns"} <= unfinished(active_case)


def test_the_checklist_blocks_the_move_while_items_are_open(login, active_case, coordinator):
    response = login(coordinator).post(reverse("aftercare:move", args=[active_case.pk]), {"accept_threat": "Rustig"})

    active_case.refresh_from_db()
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"accept_flare_ups", "accept_follow_ups"}
    assert response.context["form"]["accept_threat"].value() == "Rustig"
    assert active_case.status == Case.Status.ACTIVE


def test_unfinished_items_can_be_accepted_with_a_reason(login, active_case, coordinator):
    response = login(coordinator).post(
        reverse("aftercare:move", args=[active_case.pk]),
        {
            "accept_threat": "Geen nieuwe signalen",
            "accept_flare_ups": "Geen data bekend",
            "accept_follow_ups": "Via arbodienst",
        },
    )

    active_case.refresh_from_db()
    record = AftercareChecklist.objects.get()
    assert response.status_code == 302
    assert active_case.status == Case.Status.AFTERCARE
    assert {item["item"]: item["accepted"] for item in record.items}["flare_ups"] == "Geen data bekend"
    assert record.history.get().history_user == coordinator


def test_a_finished_checklist_moves_without_reasons(active_case, coordinator):
    finish_everything(active_case, coordinator)

    transition.case_move_to_aftercare(actor=coordinator, case=active_case)

    active_case.refresh_from_db()
    assert active_case.status == Case.Status.AFTERCARE
    assert all(item["done"] for item in AftercareChecklist.objects.get().items)


def test_the_status_page_does_not_skip_the_checklist(active_case, coordinator):
    with pytest.raises(ValidationError):
        services.case_set_status(actor=coordinator, case=active_case, status=Case.Status.AFTERCARE)


def test_the_status_page_offers_neither_aftercare_nor_closing(login, active_case, coordinator):
    form = login(coordinator).get(reverse("cases:status", args=[active_case.pk])).context["form"]

    assert [value for value, _label in form.fields["status"].choices] == []


def test_only_the_coordinator_moves_the_case(login, active_case, manager):
    assert login(manager).get(reverse("aftercare:move", args=[active_case.pk])).status_code == 404


def test_closing_without_an_evaluation_needs_a_reason(login, active_case, coordinator):
    response = login(coordinator).post(reverse("aftercare:close", args=[active_case.pk]), {"reason": ""})

    active_case.refresh_from_db()
    assert "reason" in response.context["form"].errors
    assert active_case.status == Case.Status.ACTIVE


def test_closing_stops_reminders_and_tasks_and_keeps_history(login, active_case, coordinator, manager):
    finish_everything(active_case, coordinator)
    task = tasks.task_create(
        actor=coordinator,
        case=active_case,
        title="Bellen",
        owner=coordinator,
        due_at=timezone.now() + dt.timedelta(days=1),
    )

    response = login(coordinator).post(reverse("aftercare:close", args=[active_case.pk]), {"reason": "Geen doxing."})

    active_case.refresh_from_db()
    assert response.status_code == 302
    assert (active_case.status, active_case.closed_at is not None) == (Case.Status.CLOSED, True)
    assert not Reminder.objects.pending().filter(case_id=active_case.pk).exclude(kind=Kind.FEEDBACK_REQUEST).exists()
    assert Task.objects.get(pk=task.pk).status == Task.Status.CANCELLED
    assert FollowUp.objects.filter(case=active_case, status="planned").count() == 4
    assert active_case.history.count() > 3


def test_the_employee_is_asked_for_feedback_after_closing(active_case, coordinator, employee):
    transition.case_close(actor=coordinator, case=active_case, reason="Afgerond")

    dispatch_due()

    notification = Notification.objects.get(kind=Kind.FEEDBACK_REQUEST)
    assert notification.recipient == employee
    assert notification.link == reverse("aftercare:feedback", args=[active_case.pk])


def test_a_closed_case_can_be_reopened_and_the_reopening_is_logged(login, active_case, coordinator):
    transition.case_close(actor=coordinator, case=active_case, reason="Afgerond")

    response = login(coordinator).post(
        reverse("cases:status", args=[active_case.pk]), {"status": "active", "note": "Nieuwe berichten"}
    )

    active_case.refresh_from_db()
    assert response.status_code == 302
    assert (active_case.status, active_case.closed_at) == (Case.Status.ACTIVE, None)
    reopened = active_case.events.filter(kind="status_changed", new_value="active").first()
    assert (reopened.old_value, reopened.note) == ("closed", "Nieuwe berichten")


def test_reopening_plans_the_check_ins_again(active_case, coordinator, manager):
    transition.case_close(actor=coordinator, case=active_case, reason="Afgerond")

    services.case_set_status(actor=coordinator, case=active_case, status=Case.Status.ACTIVE, note="Opnieuw")

    assert Reminder.objects.pending().filter(case_id=active_case.pk, kind=Kind.CHECK_IN).exists()
