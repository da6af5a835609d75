"""Time for reminders. Stored in UTC, shown in Europe/Amsterdam.

Two kinds of "later":
- ``hours_after``: real elapsed time. 24 hours after an incident is 24 hours,
  also across a daylight-saving change (23 or 25 hours on the wall clock).
- ``local_moment`` / ``days_later_at``: a wall-clock time. "In seven days at
  09:00" stays at 09:00 local time, whatever the clocks did in between.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

UTC = dt.UTC


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def hours_after(moment: dt.datetime, hours: float) -> dt.datetime:
    """``hours`` real hours after ``moment``: computed in UTC, where no clock jumps."""
    return moment.astimezone(UTC) + dt.timedelta(hours=hours)


def local_moment(day: dt.date, at: dt.time) -> dt.datetime:
    """``day`` at wall-clock time ``at`` in Europe/Amsterdam, as an aware UTC datetime.

    A time that does not exist on a spring-forward night (02:30) moves on to the
    first existing moment; an ambiguous autumn time takes its first occurrence.
    """
    zone = local_zone()
    naive = dt.datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone, fold=0)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:  # skipped by the clocks
        aware = (naive + dt.timedelta(hours=1)).replace(tzinfo=zone)
    return aware.astimezone(UTC)


def days_later_at(moment: dt.datetime, days: int, at: dt.time) -> dt.datetime:
    """The local calendar day ``days`` after ``moment``, at wall-clock ``at``."""
    day = timezone.localtime(moment, local_zone()).date() + dt.timedelta(days=days)
    return local_moment(day, at)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same calendar day ``months`` later (or earlier, when negative); the
    month's last day when it is shorter (31 January + 1 month = 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))
