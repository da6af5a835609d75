"""The minute dispatcher on real workers: two of them at once, and one killed
half-way, still deliver every reminder exactly once.

The workers run with ``--pool=solo``: the task runs inside the worker process
itself, so SIGKILL stops the very process that holds the open dispatch
transaction (on SQLite possibly while it waits for the write lock), which is
the crash the engine must survive. With prefork, killing the parent leaves the
child to finish its batch, and killing only the child makes Celery requeue the
task (``task_reject_on_worker_lost``): other scenarios, not this one.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from notifications import tasks
from notifications.models import Kind, Notification, Reminder
from tests.factories import UserFactory
from tests.integration.conftest import Worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASK_LINE = re.compile(
    r"^\[(?P<at>[-\d]+ [:\d]+,\d+): [^\]]+\] Task notifications\.tasks\.dispatch_reminders\[(?P<id>[-0-9a-f]+)\] "
    r"(?:received|succeeded in [.\de-]+s: (?P<delivered>\d+))",
    re.MULTILINE,
)


@dataclass
class Run:
    """One dispatch task on one worker, from Celery's log lines."""

    started: datetime
    ended: datetime | None = None
    delivered: int = 0


def runs(worker: Worker) -> list[Run]:
    found: dict[str, Run] = {}
    for line in TASK_LINE.finditer(worker.log()):
        at = datetime.strptime(line["at"], "%Y-%m-%d %H:%M:%S,%f")  # noqa: DTZ007 - both workers log in one zone
        if line["delivered"] is None:
            found[line["id"]] = Run(started=at)
        else:
            found[line["id"]].ended, found[line["id"]].delivered = at, int(line["delivered"])
    return list(found.values())


def delivered_by(worker: Worker) -> int:
    return sum(run.delivered for run in runs(worker))


def running_a_dispatch(worker: Worker) -> bool:
    return any(run.ended is None for run in runs(worker))


def ran_at_the_same_time(first: Worker, second: Worker) -> bool:
    """A run of one overlapped in time with a run of the other that delivered."""
    return any(
        a.started < b.ended and b.started < a.ended and (a.delivered or b.delivered)
        for a in runs(first)
        for b in runs(second)
        if a.ended and b.ended
    )


def make_due_reminders(count: int) -> None:
    """``count`` reminders due a minute ago, for a few people without an e-mail
    address: delivery in the app only, so no e-mail tasks join the queue."""
    recipients = [UserFactory(email="") for _ in range(4)]
    due_at = timezone.now() - timedelta(minutes=1)
    Reminder.objects.bulk_create(
        (
            Reminder(
                kind=Kind.CHECK_IN,
                recipient=recipients[n % len(recipients)],
                due_at=due_at,
                key=f"load:{n}",
                label=f"HV-{n:04d}",
                link=f"/cases/{n}/",
            )
            for n in range(count)
        ),
        batch_size=500,
    )


def dispatch(times: int = 1) -> None:
    for _ in range(times):
        tasks.dispatch_reminders.delay()


def assert_each_delivered_once(count: int) -> None:
    assert Notification.objects.count() == count
    per_reminder = Reminder.objects.annotate(shown=Count("notification")).values_list("shown", flat=True)
    assert sorted(set(per_reminder)) == [1]
    assert not Reminder.objects.pending().exists()


def test_it_delivers_every_reminder_once_with_two_workers_at_once(start_workers: Callable[..., list[Worker]]):
    # Tiny batches: a run takes a thousand turns (seconds, also on a busy
    # machine), so the two runs overlap however late the second one starts.
    first, second = start_workers(2, env={"REMINDER_BATCH_SIZE": "2"})
    make_due_reminders(2000)

    dispatch(10)

    wait_for(lambda: not Reminder.objects.pending().exists(), timeout=40, what="every reminder to be sent")
    wait_for(
        lambda: delivered_by(first) + delivered_by(second) >= 2000, timeout=10, what="the workers to log their runs"
    )
    # A run that waited for SQLite's write lock ends (with nothing delivered)
    # only after its busy timeout, possibly after the other delivered the last.
    wait_for(
        lambda: not running_a_dispatch(first) and not running_a_dispatch(second),
        timeout=15,
        what="every run to end",
    )
    assert_each_delivered_once(2000)
    assert delivered_by(first) + delivered_by(second) == 2000
    assert ran_at_the_same_time(first, second), (runs(first), runs(second))
    if connection.vendor == "postgresql":
        # SKIP LOCKED lets both write at once. SQLite's write lock is not fair
        # (a waiting connection sleeps and retries), so there one worker may
        # take every turn while the other waits: correct, only not shared.
        assert delivered_by(first) > 0
        assert delivered_by(second) > 0


def test_it_loses_and_repeats_nothing_when_a_worker_is_killed_mid_run(start_workers: Callable[..., list[Worker]]):
    workers = start_workers(2, env={"REMINDER_BATCH_SIZE": "5"})
    make_due_reminders(10_000)

    # One task first, so we know which worker is delivering: that one is killed.
    dispatch()
    victim = wait_for(lambda: next((w for w in workers if running_a_dispatch(w)), None), what="a worker to take it")
    (survivor,) = (worker for worker in workers if worker is not victim)
    wait_for(lambda: Notification.objects.count() >= 300, timeout=20, what="the run to be under way")
    dispatch()  # the other worker joins in
    wait_for(lambda: running_a_dispatch(survivor), timeout=10, what="the second worker to join")
    wait_for(lambda: Notification.objects.count() >= 1000, timeout=20, what="more to be delivered")
    assert running_a_dispatch(victim)
    os.kill(victim.process.pid, signal.SIGKILL)
    victim.process.wait(timeout=10)
    assert Notification.objects.count() < 10_000

    # Beat sends one every minute; the surviving worker takes them.
    deadline = time.monotonic() + 40
    while Reminder.objects.pending().exists() and time.monotonic() < deadline:
        dispatch()
        time.sleep(1)
    assert survivor.is_running(), survivor.log()
    assert_each_delivered_once(10_000)
