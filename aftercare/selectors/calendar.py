"""Reads for the calendar of flare-up moments: the coordinator's calendar page
and each person's private .ics feed. Both run a fixed number of queries,
however many moments there are.

Who is alerted for a moment is decided by ``aftercare.services.flare_ups._recipients``
one moment at a time; the feed answers the opposite question (which moments
alert this person) and so rebuilds the same rule as one query. The tests hold
the two to each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import groupby

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftercare.models import CalendarFeed, FlareUpMoment
from doxing_cases.models import Case, Involvement
from people import access
from people.models import Team, User

#: How long a passed moment stays in the feed and waits for its outcome on the page.
RECENT_DAYS = 30

_ORDER = (F("on").asc(), F("at_time").asc(nulls_first=True), F("pk").asc())


def _recent_start() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=RECENT_DAYS)


def _planned() -> QuerySet[FlareUpMoment]:
    """Planned moments of open cases: closing a case stops its alerts (``_plan_reminders``),
    so a calendar that kept showing them would promise alerts that never come."""
    return FlareUpMoment.objects.filter(status=FlareUpMoment.Status.PLANNED).exclude(case__status=Case.Status.CLOSED)


def _with_people(moments: QuerySet[FlareUpMoment]) -> QuerySet[FlareUpMoment]:
    """Everything ``alerted_people`` reads, in three queries for the whole list."""
    return moments.select_related("case__subject__team", "case__coordinator").prefetch_related(
        Prefetch(
            "case__subject__team__managers",
            queryset=User.objects.filter(is_active=True),
            to_attr="active_managers",
        ),
        Prefetch(
            "case__involvements",
            queryset=Involvement.objects.filter(kind=Involvement.Kind.SPECIALIST, ended_at__isnull=True)
            .select_related("user")
            .order_by("started_at", "pk"),
            to_attr="current_specialists",
        ),
    )


def alerted_people(moment: FlareUpMoment) -> list[User]:
    """Who is alerted for ``moment``, as ``_recipients`` decides, from what ``_with_people`` loaded."""
    case = moment.case
    people: list[User] = [case.coordinator] if case.coordinator else []
    team = case.subject.team
    if moment.alert_manager and case.manager_may_know and team is not None:
        people += [manager for manager in team.active_managers if manager.pk != case.subject_id]
    if moment.alert_specialist:
        people += [involvement.user for involvement in case.current_specialists]
    if moment.alert_employee:
        people.append(case.subject)
    unique: dict[int, User] = {person.pk: person for person in people}
    return list(unique.values())


# --- The coordinator's calendar page -------------------------------------------------


def upcoming_moments(user: User) -> list[FlareUpMoment]:
    """Planned moments from today on, in the cases ``user`` holds in full, each
    with ``alerted``: the people who hear of it ahead of time."""
    moments = list(
        _with_people(
            _planned().filter(
                case__in=access.cases_visible_to(user, perm=access.FULL),
                on__gte=timezone.localdate(),
            )
        ).order_by(*_ORDER)
    )
    for moment in moments:
        moment.alerted = alerted_people(moment)
    return moments


def moments_awaiting_outcome(user: User) -> QuerySet[FlareUpMoment]:
    """Moments of the last 30 days in the cases ``user`` holds in full, whose outcome is not recorded yet."""
    return (
        _planned()
        .filter(
            case__in=access.cases_visible_to(user, perm=access.FULL),
            on__lt=timezone.localdate(),
            on__gte=_recent_start(),
            outcome_recorded_at__isnull=True,
        )
        .select_related("case__subject")
        .order_by(*_ORDER)
    )


def by_month(moments: Iterable[FlareUpMoment]) -> list[tuple[dt.date, list[FlareUpMoment]]]:
    """Sorted moments grouped per month: (first day of the month, its moments)."""
    return [(month, list(group)) for month, group in groupby(moments, key=lambda moment: moment.on.replace(day=1))]


# --- The private feed ------------------------------------------------------------------


def feed_by_token(token: str) -> CalendarFeed:
    """The feed behind a calendar address; 404 for an unknown token or a person who left.

    The address is the only key (calendar apps cannot log in), so it is
    treated like an access rule: nothing tells a wrong token from a missing one.
    """
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed


def feed_moments(user: User) -> QuerySet[FlareUpMoment]:
    """The planned moments of the last 30 days and to come for which ``user``
    is alerted: the same people ``_recipients`` picks, in one query."""
    alerted = (
        Q(case__coordinator=user)
        | Q(alert_employee=True, case__subject=user)
        | (
            Q(alert_specialist=True)
            & Exists(
                Involvement.objects.filter(
                    case=OuterRef("case"), user=user, kind=Involvement.Kind.SPECIALIST, ended_at__isnull=True
                )
            )
        )
    )
    if user.is_active:  # _recipients alerts active managers only
        alerted |= (
            Q(alert_manager=True, case__manager_may_know=True)
            & ~Q(case__subject=user)
            & Exists(Team.managers.through.objects.filter(team=OuterRef("case__subject__team"), user=user))
        )
    return _planned().filter(alerted, on__gte=_recent_start()).select_related("case").order_by(*_ORDER)
