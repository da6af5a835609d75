"""Time across the two daylight-saving changes of 2026 in Europe/Amsterdam:
29 March 02:00 CET → 03:00 CEST (01:00 UTC) and 25 October 03:00 CEST → 02:00
CET (01:00 UTC)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from notifications import services, timing
from notifications.models import Kind, Notification
from tests.factories import UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
NINE = dt.time(9, 0)
SPRING = dt.date(2026, 3, 29)
AUTUMN = dt.date(2026, 10, 25)


def local(*args: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM, fold=fold)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# --- hours_after: real hours -------------------------------------------------------


def test_it_counts_real_hours_across_the_spring_change():
    incident = local(2026, 3, 28, 12, 0)  # CET

    due = timing.hours_after(incident, 24)

    assert due - incident == dt.timedelta(hours=24)
    assert due.astimezone(AMSTERDAM) == local(2026, 3, 29, 13, 0)  # CEST: the wall clock moved 25 hours


def test_it_counts_real_hours_across_the_autumn_change():
    incident = local(2026, 10, 24, 12, 0)  # CEST

    due = timing.hours_after(incident, 24)

    assert due - incident == dt.timedelta(hours=24)
    assert due.astimezone(AMSTERDAM) == local(2026, 10, 25, 11, 0)  # CET: the wall clock moved 23 hours


def test_it_counts_real_hours_over_the_missing_hour_itself():
    before = local(2026, 3, 29, 1, 30)  # CET, 00:30 UTC

    assert timing.hours_after(before, 1) == utc(2026, 3, 29, 1, 30)  # 03:30 CEST


def test_it_counts_real_hours_over_the_repeated_hour_itself():
    first_half_past_two = local(2026, 10, 25, 2, 30, fold=0)  # CEST, 00:30 UTC

    later = timing.hours_after(first_half_past_two, 1)

    assert later == utc(2026, 10, 25, 1, 30)
    shown = later.astimezone(AMSTERDAM)
    assert (shown.time(), shown.utcoffset()) == (dt.time(2, 30), dt.timedelta(hours=1))  # 02:30 again, now CET


def test_it_gives_hours_after_in_utc():
    assert timing.hours_after(local(2026, 6, 1, 12, 0), 2).tzinfo == UTC


# --- local_moment: a wall-clock time ---------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 28), utc(2026, 3, 28, 8, 0)),  # CET, UTC+1
        (SPRING, utc(2026, 3, 29, 7, 0)),  # CEST, UTC+2
        (dt.date(2026, 10, 24), utc(2026, 10, 24, 7, 0)),  # CEST
        (AUTUMN, utc(2026, 10, 25, 8, 0)),  # CET
    ],
)
def test_it_gives_nine_local_on_both_sides_of_each_change(day, expected):
    moment = timing.local_moment(day, NINE)

    assert moment == expected
    assert moment.astimezone(AMSTERDAM).time() == NINE


def test_it_moves_a_time_the_spring_change_skips_to_the_first_existing_moment():
    moment = timing.local_moment(SPRING, dt.time(2, 30))

    assert moment == utc(2026, 3, 29, 1, 30)
    assert moment.astimezone(AMSTERDAM).time() == dt.time(3, 30)


def test_it_takes_the_first_of_a_time_the_autumn_change_repeats():
    moment = timing.local_moment(AUTUMN, dt.time(2, 30))

    assert moment == utc(2026, 10, 25, 0, 30)  # 02:30 CEST, not 02:30 CET an hour later


def test_it_gives_local_moment_in_utc():
    assert timing.local_moment(SPRING, NINE).tzinfo == UTC


# --- days_later_at: the same wall-clock time some days on --------------------------------


def test_it_keeps_nine_local_a_week_on_across_the_spring_change():
    moment = timing.days_later_at(local(2026, 3, 25, 9, 0), 7, NINE)

    assert moment.astimezone(AMSTERDAM) == local(2026, 4, 1, 9, 0)
    assert moment - local(2026, 3, 25, 9, 0) == dt.timedelta(days=7, hours=-1)


def test_it_keeps_nine_local_a_week_on_across_the_autumn_change():
    moment = timing.days_later_at(local(2026, 10, 20, 9, 0), 7, NINE)

    assert moment.astimezone(AMSTERDAM) == local(2026, 10, 27, 9, 0)
    assert moment - local(2026, 10, 20, 9, 0) == dt.timedelta(days=7, hours=1)


def test_it_keeps_nine_local_the_day_after_the_night_of_the_spring_change():
    assert timing.days_later_at(local(2026, 3, 28, 15, 0), 1, NINE) == utc(2026, 3, 29, 7, 0)


def test_it_keeps_nine_local_the_day_after_the_night_of_the_autumn_change():
    assert timing.days_later_at(local(2026, 10, 24, 15, 0), 1, NINE) == utc(2026, 10, 25, 8, 0)


def test_it_counts_days_from_the_local_date_not_the_utc_date():
    # 00:30 on 29 March in Amsterdam is still 28 March in UTC.
    late = utc(2026, 3, 28, 23, 30)

    assert timing.days_later_at(late, 1, NINE).astimezone(AMSTERDAM) == local(2026, 3, 30, 9, 0)


# --- Dispatching minute by minute across the change ------------------------------------


def dispatch_every_minute(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Move the clock a minute at a time, dispatching as beat would; the minutes
    at which something was delivered."""
    delivered_at = []
    with time_machine.travel(start, tick=False) as traveller:
        minute = start
        while minute <= end:
            traveller.move_to(minute)
            if services.dispatch_due().delivered:
                delivered_at.append(timezone.now())
            minute += dt.timedelta(minutes=1)
    return delivered_at


@pytest.mark.django_db
def test_it_delivers_once_right_after_the_spring_change():
    incident = local(2026, 3, 28, 2, 5)  # CET, 01:05 UTC
    due = timing.hours_after(incident, 24)  # 01:05 UTC, 03:05 CEST: five minutes after the jump
    services.reminder_schedule(kind=Kind.PEER_SUPPORT, recipient=UserFactory(), due_at=due, key="spring")

    delivered_at = dispatch_every_minute(utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 3, 0))

    assert delivered_at == [utc(2026, 3, 29, 1, 5)]
    assert Notification.objects.get().created_at == due


@pytest.mark.django_db
def test_it_delivers_once_right_after_the_autumn_change():
    incident = local(2026, 10, 24, 3, 5)  # CEST, 01:05 UTC
    due = timing.hours_after(incident, 24)  # 01:05 UTC, 02:05 CET: the second 02:05 of the night
    services.reminder_schedule(kind=Kind.PEER_SUPPORT, recipient=UserFactory(), due_at=due, key="autumn")

    delivered_at = dispatch_every_minute(utc(2026, 10, 24, 22, 0), utc(2026, 10, 25, 3, 0))

    assert delivered_at == [utc(2026, 10, 25, 1, 5)]
    assert Notification.objects.get().created_at == due


@pytest.mark.django_db
def test_it_delivers_a_skipped_local_time_once_at_the_first_existing_moment():
    due = timing.local_moment(SPRING, dt.time(2, 30))
    services.reminder_schedule(kind=Kind.CHECK_IN, recipient=UserFactory(), due_at=due, key="skipped")

    delivered_at = dispatch_every_minute(utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 3, 0))

    assert delivered_at == [utc(2026, 3, 29, 1, 30)]
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_it_delivers_a_repeated_local_time_once_at_its_first_occurrence():
    due = timing.local_moment(AUTUMN, dt.time(2, 30))
    services.reminder_schedule(kind=Kind.CHECK_IN, recipient=UserFactory(), due_at=due, key="repeated")

    delivered_at = dispatch_every_minute(utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 3, 0))

    assert delivered_at == [utc(2026, 10, 25, 0, 30)]
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_it_delivers_between_minutes_at_the_first_dispatch_after_the_due_moment():
    due = utc(2026, 3, 29, 1, 0, 30)  # half a minute after the jump
    services.reminder_schedule(kind=Kind.CHECK_IN, recipient=UserFactory(), due_at=due, key="between")

    delivered_at = dispatch_every_minute(utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 2, 0))

    assert delivered_at == [utc(2026, 3, 29, 1, 1)]
