"""The online self-scan: guided, and storing no findings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from notifications.models import Kind, Reminder
from prevention.models import SelfScan
from prevention.self_scan_steps import STEP_KEYS

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def run_scan(client, answers: dict[str, list[str]], *, remind: bool = False) -> SelfScan:
    client.post(reverse("prevention:self_scan_start"))
    scan = SelfScan.objects.latest("pk")
    for key in STEP_KEYS:
        client.post(reverse("prevention:self_scan_step", args=[scan.pk, key]), {"follow_ups": answers.get(key, [])})
    client.post(reverse("prevention:self_scan_complete", args=[scan.pk]), {"remind": "on"} if remind else {})
    scan.refresh_from_db()
    return scan


def test_it_keeps_only_the_chosen_follow_ups(login, employee):
    scan = run_scan(login(employee), {"social": ["social_private", "social_photos"], "brokers": ["broker_removal"]})

    assert scan.completed_at is not None
    assert scan.open_follow_ups == ["social_private", "social_photos", "broker_removal"]


def test_it_stores_no_findings(login, employee):
    client = login(employee)
    before = {model: model.objects.count() for model in apps.get_models()}

    run_scan(client, {"search": ["search_removal"]})

    changed = {model.__name__ for model, count in before.items() if model.objects.count() != count}
    assert changed <= {"SelfScan", "Session"}
    stored = {field.name for field in SelfScan._meta.fields}
    assert stored == {"id", "user", "started_at", "completed_at", "open_follow_ups", "remind"}


def test_unknown_follow_ups_are_refused(login, employee):
    client = login(employee)
    client.post(reverse("prevention:self_scan_start"))
    scan = SelfScan.objects.get()

    response = client.post(
        reverse("prevention:self_scan_step", args=[scan.pk, "social"]), {"follow_ups": ["my address is Kerkstraat 1"]}
    )

    scan.refresh_from_db()
    assert response.status_code == 200
    assert scan.open_follow_ups == []


def test_ticking_a_follow_up_done_removes_it(login, employee):
    client = login(employee)
    scan = run_scan(client, {"old": ["old_delete"], "home": ["streetview_blur"]})

    client.post(reverse("prevention:self_scan_follow_up_done", args=[scan.pk, "old_delete"]))

    scan.refresh_from_db()
    assert scan.open_follow_ups == ["streetview_blur"]


def test_open_follow_ups_carry_over_to_the_next_scan(login, employee):
    client = login(employee)
    run_scan(client, {"old": ["old_delete"]})

    second = run_scan(client, {"home": ["streetview_blur"]})

    assert second.open_follow_ups == ["old_delete", "streetview_blur"]


def test_an_opt_in_reminder_comes_six_months_later_at_nine(login, employee):
    with time_machine.travel(dt.datetime(2026, 3, 10, 20, 0, tzinfo=AMSTERDAM), tick=False):
        run_scan(login(employee), {}, remind=True)

    reminder = Reminder.objects.pending().get(kind=Kind.SELF_SCAN)
    assert (reminder.recipient, reminder.due_at) == (employee, dt.datetime(2026, 9, 10, 9, 0, tzinfo=AMSTERDAM))


def test_no_reminder_without_opting_in(login, employee):
    run_scan(login(employee), {})

    assert not Reminder.objects.filter(kind=Kind.SELF_SCAN).exists()


def test_a_new_scan_replaces_the_old_reminder(login, employee):
    client = login(employee)
    with time_machine.travel(dt.datetime(2026, 3, 10, 20, 0, tzinfo=AMSTERDAM), tick=False):
        run_scan(client, {}, remind=True)
    with time_machine.travel(dt.datetime(2026, 5, 1, 20, 0, tzinfo=AMSTERDAM), tick=False):
        run_scan(client, {}, remind=True)

    assert [r.due_at for r in Reminder.objects.pending().filter(kind=Kind.SELF_SCAN)] == [
        dt.datetime(2026, 11, 1, 9, 0, tzinfo=AMSTERDAM)
    ]


def test_nobody_else_sees_a_scan(login, employee, colleague, coordinator):
    scan = run_scan(login(employee), {"old": ["old_delete"]})

    for user in (colleague, coordinator):
        client = login(user)
        assert client.get(reverse("prevention:self_scan_step", args=[scan.pk, "old"])).status_code == 404
        assert (
            client.post(reverse("prevention:self_scan_follow_up_done", args=[scan.pk, "old_delete"])).status_code == 404
        )
        assert "old_delete" not in str(client.get(reverse("prevention:self_scan")).context["open_items"])
