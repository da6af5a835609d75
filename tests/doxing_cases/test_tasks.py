"""Tasks: by hand and by the parts of a case; each person's own list; the dashboard's next step."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from doxing_cases import selectors, services
from doxing_cases.models import Part, Task
from doxing_cases.services import involvement, tasks

pytestmark = pytest.mark.django_db


def test_the_coordinator_adds_a_task_for_an_involved_specialist(login, case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    due = timezone.localdate() + timedelta(days=2)

    response = login(coordinator).post(
        reverse("cases:task_new", args=[case.pk]),
        {"title": "Zoek naar nieuwe berichten", "owner": specialist.pk, "due_on": due.isoformat()},
    )

    task = case.tasks.get()
    assert response.status_code == 302
    assert (task.owner, task.part, task.created_by) == (specialist, Part.ONLINE, coordinator)
    assert timezone.localtime(task.due_at).hour == 17


def test_a_task_form_with_a_missing_date_keeps_the_title(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:task_new", args=[case.pk]), {"title": "Bellen", "owner": coordinator.pk}
    )

    assert "due_on" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "Bellen"


def test_a_task_cannot_go_to_someone_outside_the_case(login, case, coordinator, specialist):
    response = login(coordinator).post(
        reverse("cases:task_new", args=[case.pk]),
        {"title": "x", "owner": specialist.pk, "due_on": timezone.localdate().isoformat()},
    )

    assert "owner" in response.context["form"].errors


def test_each_person_sees_their_own_open_tasks(login, case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    mine = tasks.task_create(
        actor=coordinator, case=case, title="Scan", owner=specialist, due_at=timezone.now(), part=Part.ONLINE
    )
    tasks.task_create(actor=coordinator, case=case, title="Bel", owner=coordinator, due_at=timezone.now())

    listed = login(specialist).get(reverse("cases:my_tasks")).context["tasks"]

    assert list(listed) == [mine]


def test_tasks_of_a_case_one_no_longer_works_on_disappear(login, case, coordinator, specialist):
    given = involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    tasks.task_create(
        actor=coordinator, case=case, title="Scan", owner=specialist, due_at=timezone.now(), part=Part.ONLINE
    )

    involvement.involvement_end(actor=coordinator, involvement=given)

    assert list(login(specialist).get(reverse("cases:my_tasks")).context["tasks"]) == []


def test_the_owner_marks_a_task_done(login, case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    task = tasks.task_create(
        actor=coordinator, case=case, title="Scan", owner=specialist, due_at=timezone.now(), part=Part.ONLINE
    )

    response = login(specialist).post(reverse("cases:task_done", args=[case.pk, task.pk]), {"next": "/tasks/"})

    task.refresh_from_db()
    assert response.url == "/tasks/"
    assert (task.status, task.done_by) == (Task.Status.DONE, specialist)


def test_done_ignores_a_next_url_elsewhere(login, case, coordinator):
    task = tasks.task_create(actor=coordinator, case=case, title="Bel", owner=coordinator, due_at=timezone.now())

    response = login(coordinator).post(
        reverse("cases:task_done", args=[case.pk, task.pk]), {"next": "https://evil.example/"}
    )

    assert response.url == reverse("cases:detail", args=[case.pk])


def test_someone_else_cannot_mark_a_task_done(login, case, coordinator, specialist, security):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    task = tasks.task_create(
        actor=coordinator, case=case, title="Scan", owner=specialist, due_at=timezone.now(), part=Part.ONLINE
    )

    response = login(security).post(reverse("cases:task_done", args=[case.pk, task.pk]))

    assert response.status_code == 404
    assert Task.objects.get(pk=task.pk).status == Task.Status.OPEN


def test_done_refuses_get(login, case, coordinator):
    task = tasks.task_create(actor=coordinator, case=case, title="Bel", owner=coordinator, due_at=timezone.now())

    assert login(coordinator).get(reverse("cases:task_done", args=[case.pk, task.pk])).status_code == 405


def test_a_keyed_task_is_made_once(case, coordinator):
    first = tasks.task_create(
        actor=None, case=case, title="Herinnering", owner=coordinator, due_at=timezone.now(), key="x:1"
    )
    second = tasks.task_create(
        actor=None, case=case, title="Herinnering", owner=coordinator, due_at=timezone.now(), key="x:1"
    )

    assert first is not None and second is None
    assert case.tasks.count() == 1


def test_the_first_open_task_is_the_dashboards_next_step(login, case, coordinator):
    services.case_log_first_contact(actor=coordinator, case=case, at=timezone.now())
    soon = timezone.now() + timedelta(hours=3)
    tasks.task_create(actor=coordinator, case=case, title="Later", owner=coordinator, due_at=soon + timedelta(days=1))
    tasks.task_create(actor=coordinator, case=case, title="Eerst dit", owner=coordinator, due_at=soon)

    action = login(coordinator).get(reverse("cases:dashboard")).context["rows"][0][1]

    assert (action.label, action.due_at) == ("Eerst dit", soon)
    assert not action.overdue
    case.refresh_from_db()
    with time_machine.travel(soon + timedelta(minutes=1)):
        assert selectors.next_action(case).overdue


def test_a_task_for_a_part_the_owner_cannot_see_is_refused(case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")

    with pytest.raises(ValidationError):
        tasks.task_create(
            actor=coordinator, case=case, title="x", owner=specialist, due_at=timezone.now(), part=Part.SECURITY
        )


def test_only_the_coordinator_adds_tasks(login, case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")

    assert login(specialist).get(reverse("cases:task_new", args=[case.pk])).status_code == 404
