"""Reads of training records (recommendations 1, 5): coverage per team, the
sessions and their attendance, and a person's own record.

Coverage is worked out in three queries whatever the number of teams and
people: the teams, everyone who belongs to one of them (with the date of
their latest training as an annotation), and who manages which team. The
sums are made in one pass over those rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from notifications.timing import add_months
from people.models import Team, User
from prevention.models import TrainingAttendance, TrainingModule, TrainingSession

#: How many people the attendance page lists at once; a search narrows it down.
ATTENDANCE_CHOICES_LIMIT = 100


def valid_since(today: dt.date) -> dt.date:
    """The earliest session date that still counts today: calendar months back,
    inclusive (on 2026-11-21 a session of 2024-11-21 counts, one of 2024-11-20 not)."""
    return add_months(today, -settings.HANDVAT_TRAINING_VALID_MONTHS)


def valid_until(held_on: dt.date) -> dt.date:
    """The last day on which a session held on ``held_on`` still counts."""
    return add_months(held_on, settings.HANDVAT_TRAINING_VALID_MONTHS)


def refresher_day(held_on: dt.date) -> dt.date:
    """The day the person is reminded to plan a refresher."""
    return valid_until(held_on) - dt.timedelta(days=settings.HANDVAT_TRAINING_REFRESHER_DAYS)


# --- Coverage ------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    joined_on: dt.date
    last_trained_on: dt.date | None


@dataclass
class Coverage:
    """One team's figures, or the organisation's when ``team`` is None."""

    team: Team | None
    trained: list[Person] = field(default_factory=list)
    untrained: list[Person] = field(default_factory=list)
    #: Joined within the grace period and not trained yet: shown, not counted.
    new: list[Person] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return len(self.trained) + len(self.untrained)

    @property
    def percent(self) -> int | None:
        """Rounded down, so 100% means everyone; None when nobody is counted."""
        if not self.counted:
            return None
        return len(self.trained) * 100 // self.counted

    def _sort(self) -> None:
        for people in (self.trained, self.untrained, self.new):
            people.sort(key=lambda person: person.name.casefold())


@dataclass(frozen=True)
class CoverageReport:
    today: dt.date
    since: dt.date
    teams: list[Coverage]
    total: Coverage


def _latest_training(today: dt.date) -> Subquery:
    return Subquery(
        TrainingAttendance.objects.filter(user=OuterRef("pk"), session__held_on__lte=today)
        .order_by("-session__held_on")
        .values("session__held_on")[:1]
    )


def training_coverage(teams: QuerySet[Team], *, today: dt.date | None = None) -> CoverageReport:
    """Who in ``teams`` (members and managers, active ones only, each once)
    attended a session in the valid period, and who did not."""
    today = today or timezone.localdate()
    since = valid_since(today)
    grace_start = today - dt.timedelta(days=settings.HANDVAT_TRAINING_GRACE_DAYS)
    team_list = list(teams.order_by("name", "pk"))
    team_ids = teams.values("pk")
    manager_links = Team.managers.through.objects.filter(team_id__in=team_ids, user__is_active=True)
    rows = list(
        User.objects.filter(is_active=True)
        .filter(Q(team_id__in=team_ids) | Q(pk__in=manager_links.values("user_id")))
        .annotate(last_trained_on=_latest_training(today))
        .only("pk", "first_name", "last_name", "username", "date_joined", "team_id")
    )
    links = list(manager_links.values_list("team_id", "user_id"))

    people: dict[int, tuple[Person, str]] = {}
    for user in rows:
        person = Person(
            pk=user.pk,
            name=user.display_name,
            joined_on=timezone.localdate(user.date_joined),
            last_trained_on=user.last_trained_on,
        )
        if person.last_trained_on is not None and person.last_trained_on >= since:
            standing = "trained"
        elif person.joined_on > grace_start:
            standing = "new"
        else:
            standing = "untrained"
        people[user.pk] = (person, standing)

    members_of: dict[int, set[int]] = defaultdict(set)
    for user in rows:
        if user.team_id is not None:
            members_of[user.team_id].add(user.pk)
    for team_id, user_id in links:
        members_of[team_id].add(user_id)

    coverages = []
    for team in team_list:
        coverage = Coverage(team=team)
        for user_id in members_of.get(team.pk, ()):
            person, standing = people[user_id]
            getattr(coverage, standing).append(person)
        coverage._sort()
        coverages.append(coverage)
    total = Coverage(team=None)
    for person, standing in people.values():
        getattr(total, standing).append(person)
    total._sort()
    return CoverageReport(today=today, since=since, teams=coverages, total=total)


# --- Modules, sessions and attendance --------------------------------------------


def training_modules(*, offered_only: bool = False) -> QuerySet[TrainingModule]:
    modules = TrainingModule.objects.annotate(session_count=Count("sessions"))
    if offered_only:
        modules = modules.filter(active=True)
    return modules.order_by("-active", "title", "pk")


def upcoming_sessions(*, today: dt.date | None = None) -> QuerySet[TrainingSession]:
    today = today or timezone.localdate()
    return (
        TrainingSession.objects.filter(held_on__gte=today, module__active=True)
        .select_related("module")
        .order_by("held_on", "pk")
    )


def recent_sessions(*, limit: int = 30) -> QuerySet[TrainingSession]:
    """The latest sessions, planned ones included, each with its number of attendees."""
    return (
        TrainingSession.objects.select_related("module")
        .annotate(attendee_count=Count("attendances"))
        .order_by("-held_on", "-pk")[:limit]
    )


def session_attendances(session: TrainingSession) -> QuerySet[TrainingAttendance]:
    return (
        TrainingAttendance.objects.filter(session=session)
        .select_related("user__team")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def attendance_candidates(session: TrainingSession, *, q: str = "", team: Team | None = None) -> QuerySet[User]:
    """Active people who may be ticked as attending ``session``: not recorded yet,
    narrowed by a name (or team name) and by a team (its members and managers)."""
    people = User.objects.filter(is_active=True).exclude(training_attendances__session=session)
    for word in q.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(team__name__icontains=word)
        )
    if team is not None:
        people = people.filter(Q(team=team) | Q(pk__in=team.managers.values("pk")))
    return people.select_related("team").order_by("first_name", "last_name", "username")


def team_people(team: Team) -> QuerySet[User]:
    """Everyone coverage counts in ``team``: its active members and managers."""
    return User.objects.filter(Q(team=team) | Q(pk__in=team.managers.values("pk")), is_active=True)


# --- A person's own record --------------------------------------------------------------


def own_attendances(user: User) -> QuerySet[TrainingAttendance]:
    return TrainingAttendance.objects.filter(user=user).select_related("session__module").order_by("-session__held_on")


def latest_attendance(user: User, *, today: dt.date | None = None) -> TrainingAttendance | None:
    """The attendance whose session was held last (and not in the future)."""
    today = today or timezone.localdate()
    return (
        TrainingAttendance.objects.filter(user=user, session__held_on__lte=today)
        .select_related("session")
        .order_by("-session__held_on", "-pk")
        .first()
    )
