from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied

from doxing_cases.models import Case
from notifications import timing
from people import access
from people.models import User


def require(actor: User, case: Case, ability: str) -> None:
    if not set(access.ability(ability)) & access.case_parts(actor, case):
        raise PermissionDenied


def morning(day: dt.date) -> dt.datetime:
    """The reminder time (09:00 local) on ``day``."""
    return timing.local_moment(day, dt.time.fromisoformat(settings.HANDVAT_REMINDER_TIME))


def end_of_day(day: dt.date) -> dt.datetime:
    return timing.local_moment(day, dt.time(17, 0))
