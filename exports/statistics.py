"""The figures behind the statistics page (recommendations 8, 27): pure reads.

Every figure is computed in the database with a fixed number of queries,
whatever the number of cases (``annotate``/``values``/``Count`` and
conditional counts over ``Exists`` subqueries). The one exception is the
median time to first contact: SQLite has no median, so one query fetches the
waiting times and Python takes the median; still one query.

Which cases count: cases *opened* in the chosen period (the day of the first
report, in Europe/Amsterdam), not merged into another case, about an
employee in the chosen team (their team today). Adherence counts what *fell
due* in the period instead. Employee feedback is never shown per person nor
per team, and only per finished quarter with at least
``HANDVAT_SUPPRESSION_THRESHOLD`` answers (see ``feedback_per_quarter``).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics as pystats
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, models
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Greatest, TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from aftercare.models import Feedback, FollowUp
from doxing_cases.models import (
    Behaviour,
    Case,
    CaseEvent,
    CheckIn,
    Evidence,
    ExposedItem,
    PeerSupportContact,
    Platform,
    Report,
)
from notifications.models import Kind, Reminder
from people.models import Team

#: Peer support is offered 24–48 hours after the incident (recommendation 17).
PEER_SUPPORT_HOURS = 48
#: A check-in counts as done when it was logged from a day before it fell due
#: to this many days after.
CHECK_IN_GRACE_DAYS = 3
#: The feedback questions, in the order of the form.
FEEDBACK_QUESTIONS = ("knew_contact", "involved_in_decisions", "support_in_time", "measures_fitted", "overall")


@dataclass(frozen=True)
class Filters:
    """The period (both days included, local dates) and, optionally, one team."""

    start: dt.date
    end: dt.date
    team: Team | None = None

    @property
    def start_at(self) -> dt.datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the period."""
        return local_midnight(self.end + dt.timedelta(days=1))


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def default_filters(today: dt.date | None = None) -> Filters:
    """The last twelve months, this month included."""
    today = today or timezone.localdate()
    return Filters(start=add_months(today.replace(day=1), -11), end=today)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def json_list_has(field_name: str, value: str) -> Q:
    """A JSON list field holding ``value``, on SQLite and PostgreSQL alike.

    ``contains`` on a JSONField is not available on SQLite; the JSON text of a
    list of choice codes holds ``"code"`` (quoted) exactly when the list does.
    """
    return Q(**{f"{field_name}__icontains": json.dumps(value)})


def _month(expression: str) -> TruncMonth:
    return TruncMonth(expression, tzinfo=timezone.get_default_timezone())


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value, timezone.get_default_timezone()).date()
            if timezone.is_aware(value)
            else value.date()
        )
    return value


# --- Which cases ----------------------------------------------------------------------


def cases_for(filters: Filters) -> QuerySet[Case]:
    cases = Case.objects.filter(opened_at__gte=filters.start_at, opened_at__lt=filters.end_at, merged_into__isnull=True)
    if filters.team is not None:
        cases = cases.filter(subject__team=filters.team)
    return cases


def _case_ids_in_team(filters: Filters) -> QuerySet[Case] | None:
    if filters.team is None:
        return None
    return Case.objects.filter(subject__team=filters.team, merged_into__isnull=True).values("pk")


# --- Counts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar: a label (and a stable code for the CSV) with its number."""

    code: str
    label: str
    value: int


def cases_per_month(filters: Filters) -> list[Bar]:
    """Every month of the period, with the cases opened in it (zero included)."""
    rows = cases_for(filters).annotate(month=_month("opened_at")).values("month").annotate(n=Count("pk"))
    counts = {_as_date(row["month"]): row["n"] for row in rows}
    return [
        Bar(code=month.strftime("%Y-%m"), label=month_label(month), value=counts.get(month, 0))
        for month in months_between(filters.start, filters.end)
    ]


def month_label(month: dt.date) -> str:
    return date_format(month, "M Y")


def behaviour_exists(value: str) -> Exists:
    return Exists(Report.objects.filter(json_list_has("behaviours", value), case=OuterRef("pk")))


def platform_exists(value: str) -> Q:
    """A platform named in a report, or where the specialist found data or evidence."""
    return (
        Q(Exists(Report.objects.filter(json_list_has("platforms", value), case=OuterRef("pk"))))
        | Q(Exists(ExposedItem.objects.filter(case=OuterRef("pk"), platform=value)))
        | Q(Exists(Evidence.objects.filter(case=OuterRef("pk"), platform=value)))
    )


def _list_elements(column: str, vendor: str) -> str:
    """A JSON list column as rows, one per element, its text in ``e.value``."""
    if vendor == "postgresql":
        return f"jsonb_array_elements_text(CASE WHEN jsonb_typeof({column}) = 'array' THEN {column} END) AS e(value)"
    return f"json_each({column}) AS e"


def _cases_per_value(
    cases: QuerySet[Case], json_column: str, known: Sequence[str], *, also: Sequence[type[models.Model]] = ()
) -> tuple[dict[str, int], int, int]:
    """How many of ``cases`` name each value in their reports' JSON list
    ``json_column`` (or in the ``platform`` column of the ``also`` models), how
    many name any known value, and how many cases there are: one query.

    An ``Exists`` per value and case (the national export's way) took 21 s at
    100,000 cases on PostgreSQL; unnesting the lists once (``json_each`` on
    SQLite, ``jsonb_array_elements_text`` on PostgreSQL) takes a fraction of a second.
    """
    # The SQL is built only from model table names and Django's own compiled
    # query; every value (dates, team, choice codes) goes in as a parameter.
    connection = connections[cases.db]
    quote = connection.ops.quote_name
    case_sql, case_params = cases.values("pk").query.sql_with_params()
    selects = [
        f"SELECT r.case_id AS case_id, e.value AS value FROM {quote(Report._meta.db_table)} r, "  # noqa: S608
        f"{_list_elements('r.' + quote(json_column), connection.vendor)} WHERE r.case_id IN ({case_sql})"
    ]
    params: list[Any] = list(case_params)
    for model in also:
        selects.append(
            f"SELECT case_id, platform AS value FROM {quote(model._meta.db_table)} WHERE case_id IN ({case_sql})"  # noqa: S608
        )
        params += case_params
    marks = ", ".join(["%s"] * len(known))
    sql = (
        f"WITH pairs AS ({' UNION ALL '.join(selects)}) "  # noqa: S608
        f"SELECT 'value', value, COUNT(DISTINCT case_id) FROM pairs WHERE value IN ({marks}) GROUP BY value "
        f"UNION ALL SELECT 'any', NULL, COUNT(DISTINCT case_id) FROM pairs WHERE value IN ({marks}) "
        f"UNION ALL SELECT 'all', NULL, COUNT(*) FROM ({case_sql}) all_cases"
    )
    params += [*known, *known, *case_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts = {value: n for kind, value, n in rows if kind == "value"}
    named_any = next(n for kind, _value, n in rows if kind == "any")
    total = next(n for kind, _value, n in rows if kind == "all")
    return counts, named_any, total


def cases_per_behaviour(filters: Filters) -> list[Bar]:
    """Cases per kind of behaviour; a case with several kinds counts in each."""
    counts, named_any, total = _cases_per_value(cases_for(filters), "behaviours", Behaviour.values)
    counts["not_recorded"] = total - named_any
    labels = {**dict(Behaviour.choices), "not_recorded": _("Not recorded")}
    return [Bar(code=code, label=str(labels[code]), value=counts.get(code, 0)) for code in labels]


def cases_per_platform(filters: Filters) -> list[Bar]:
    """Cases per platform, named in a report or where the specialist found data
    or evidence; a case on several platforms counts on each."""
    counts, named_any, total = _cases_per_value(
        cases_for(filters), "platforms", Platform.values, also=(ExposedItem, Evidence)
    )
    counts["not_recorded"] = total - named_any
    labels = {**dict(Platform.choices), "not_recorded": _("Not recorded")}
    return [Bar(code=code, label=str(labels[code]), value=counts.get(code, 0)) for code in labels]


#: Teams named on the page and in the PDF; the others are added up (the CSV has them all).
TEAMS_SHOWN = 25


def top_teams(bars: list[Bar], limit: int = TEAMS_SHOWN) -> list[Bar]:
    """The ``limit`` teams with the most cases, then one bar for all the others."""
    if len(bars) <= limit:
        return bars
    rest = bars[limit:]
    label = ngettext("%(n)s other team", "%(n)s other teams", len(rest)) % {"n": len(rest)}
    return [*bars[:limit], Bar(code="other", label=label, value=sum(bar.value for bar in rest))]


def cases_per_team(filters: Filters) -> list[Bar]:
    """Cases per team of the employee (their team today), most cases first."""
    rows = (
        cases_for(filters)
        .values("subject__team_id", "subject__team__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "subject__team__name")
    )
    return [
        Bar(
            code=str(row["subject__team_id"] or ""),
            label=row["subject__team__name"] or _("No team"),
            value=row["n"],
        )
        for row in rows
    ]


# --- Time to first contact ------------------------------------------------------------


@dataclass(frozen=True)
class FirstContact:
    cases: int
    contacted: int
    within_target: int
    target_hours: int
    median_hours: float | None
    #: (month, cases contacted, median hours) for every month of the period.
    per_month: list[tuple[dt.date, int, float | None]] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return self.cases - self.contacted

    @property
    def within_target_percent(self) -> int | None:
        return percent(self.within_target, self.contacted)


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _hours(wait: dt.timedelta | None) -> float:
    return max((wait or dt.timedelta()).total_seconds() / 3600, 0.0)


def first_contact(filters: Filters) -> FirstContact:
    """From the report (the case opening) to the first contact with the employee."""
    target = settings.HANDVAT_FIRST_CONTACT_HOURS
    cases = cases_for(filters)
    totals = cases.aggregate(
        cases=Count("pk"),
        contacted=Count("pk", filter=Q(first_contact_at__isnull=False)),
        within=Count("pk", filter=Q(first_contact_at__lte=F("opened_at") + dt.timedelta(hours=target))),
    )
    contacted = cases.filter(first_contact_at__isnull=False)
    if connections[cases.db].vendor == "postgresql":
        median_hours, per_month = _first_contact_medians_in_database(contacted)
    else:
        median_hours, per_month = _first_contact_medians_in_python(contacted)
    return FirstContact(
        cases=totals["cases"],
        contacted=totals["contacted"],
        within_target=totals["within"],
        target_hours=target,
        median_hours=median_hours,
        per_month=[(month, *per_month.get(month, (0, None))) for month in months_between(filters.start, filters.end)],
    )


MonthMedians = dict[dt.date, tuple[int, float | None]]


def _first_contact_medians_in_python(contacted: QuerySet[Case]) -> tuple[float | None, MonthMedians]:
    """SQLite has no median: one query fetches every waiting time."""
    waits = contacted.annotate(
        month=_month("opened_at"),
        wait=ExpressionWrapper(F("first_contact_at") - F("opened_at"), output_field=DurationField()),
    ).values_list("month", "wait")
    by_month: dict[dt.date, list[float]] = {}
    for month, wait in waits:
        by_month.setdefault(_as_date(month), []).append(_hours(wait))
    every = [hours for values in by_month.values() for hours in values]
    return _median(every), {month: (len(values), _median(values)) for month, values in by_month.items()}


class _Median(Aggregate):
    """PostgreSQL's median: the same value as ``statistics.median`` (the mean
    of the two middle values for an even count)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _first_contact_medians_in_database(contacted: QuerySet[Case]) -> tuple[float | None, MonthMedians]:
    """The medians computed by PostgreSQL: fetching 100,000 waiting times to
    take them in Python cost about half a second at 100,000 cases."""
    hours = Func(
        F("first_contact_at"),
        F("opened_at"),
        template="GREATEST(EXTRACT(EPOCH FROM (%(expressions)s)), 0) / 3600.0",
        arg_joiner=" - ",
        output_field=FloatField(),
    )
    overall = contacted.aggregate(median=_Median(hours))["median"]
    rows = contacted.annotate(month=_month("opened_at")).values("month").annotate(n=Count("pk"), median=_Median(hours))
    per_month = {_as_date(row["month"]): (row["n"], _round(row["median"])) for row in rows}
    return _round(overall), per_month


def _round(hours: float | None) -> float | None:
    return None if hours is None else round(hours, 1)


def _median(values: list[float]) -> float | None:
    return round(pystats.median(values), 1) if values else None


# --- Peer support within 48 hours -----------------------------------------------------


@dataclass(frozen=True)
class PeerSupport:
    due: int
    in_time: int
    later: int
    not_yet_due: int

    @property
    def not_offered(self) -> int:
        return self.due - self.in_time - self.later

    @property
    def in_time_percent(self) -> int | None:
        return percent(self.in_time, self.due)


def peer_support(filters: Filters, *, now: dt.datetime | None = None) -> PeerSupport:
    """Whether peer support was offered within 48 hours of the incident.

    Counted from the incident, or from the report when that came later: a
    report made weeks after the doxing began cannot be answered within 48 hours
    of it. A case whose 48 hours are still running and that has no offer yet
    is not counted as due.
    """
    now = now or timezone.now()
    deadline = ExpressionWrapper(
        Greatest(F("incident_at"), F("opened_at")) + dt.timedelta(hours=PEER_SUPPORT_HOURS),
        output_field=DateTimeField(),
    )
    cases = cases_for(filters).annotate(
        deadline=deadline,
        offered=Exists(PeerSupportContact.objects.filter(case=OuterRef("pk"))),
        offered_in_time=Exists(
            PeerSupportContact.objects.filter(case=OuterRef("pk"), offered_at__lte=OuterRef("deadline"))
        ),
    )
    due = Q(deadline__lte=now) | Q(offered=True)
    counts = cases.aggregate(
        due=Count("pk", filter=due),
        in_time=Count("pk", filter=due & Q(offered_in_time=True)),
        later=Count("pk", filter=due & Q(offered=True, offered_in_time=False)),
        not_yet_due=Count("pk", filter=~due),
    )
    return PeerSupport(**counts)


# --- Check-ins and follow-ups: done against due ---------------------------------------


@dataclass(frozen=True)
class Adherence:
    due: int
    done: int

    @property
    def missed(self) -> int:
        return self.due - self.done

    @property
    def done_percent(self) -> int | None:
        return percent(self.done, self.due)


def check_in_adherence(filters: Filters, *, now: dt.datetime | None = None) -> Adherence:
    """Check-in moments that fell due in the period, and how many were kept.

    A moment is a check-in reminder's due time on a case (once, however many
    managers were reminded). A reminder cancelled before it fell due does not
    count: a check-in came first, or the case moved on. A moment is kept when
    a check-in was logged from a day before it to ``CHECK_IN_GRACE_DAYS`` after.
    """
    now = now or timezone.now()
    moments = Reminder.objects.filter(
        Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=F("due_at")),
        kind=Kind.CHECK_IN,
        due_at__gte=filters.start_at,
        due_at__lt=min(filters.end_at, now),
    )
    in_team = _case_ids_in_team(filters)
    if in_team is not None:
        moments = moments.filter(case_id__in=in_team)
    kept = CheckIn.objects.filter(
        case_id=OuterRef("case_id"),
        at__gte=OuterRef("due_at") - dt.timedelta(days=1),
        at__lt=OuterRef("due_at") + dt.timedelta(days=CHECK_IN_GRACE_DAYS),
    )
    counts = (
        moments.values("case_id", "due_at")
        .distinct()
        .annotate(kept=Exists(kept))
        .aggregate(due=Count("case_id"), done=Count("case_id", filter=Q(kept=True)))
    )
    return Adherence(due=counts["due"], done=counts["done"])


def follow_up_adherence(filters: Filters, *, today: dt.date | None = None) -> Adherence:
    """Follow-up conversations planned in the period up to today: held or not.
    A cancelled conversation was not due."""
    today = today or timezone.localdate()
    follow_ups = FollowUp.objects.filter(
        planned_on__gte=filters.start, planned_on__lte=min(filters.end, today)
    ).exclude(status=FollowUp.Status.CANCELLED)
    if filters.team is not None:
        follow_ups = follow_ups.filter(case__subject__team=filters.team)
    counts = follow_ups.aggregate(due=Count("pk"), done=Count("pk", filter=Q(status=FollowUp.Status.DONE)))
    return Adherence(due=counts["due"], done=counts["done"])


# --- Employee feedback ----------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackQuarter:
    quarter: dt.date
    answers: int
    #: Average score (1–5) per question, or None when suppressed.
    scores: dict[str, float | None]
    suppressed: bool

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(quarter: dt.date) -> str:
    return f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"


def feedback_per_quarter(filters: Filters, *, today: dt.date | None = None) -> list[FeedbackQuarter]:
    """The employees' feedback scores per finished calendar quarter.

    Small groups would give away what one person answered, so:
    - never per team (the team filter does not apply here), never a comment;
    - only fixed, non-overlapping quarters, and only finished ones (a running
      quarter's average would change with every answer, so comparing two days
      would show one person's scores); no total over the quarters;
    - a quarter with fewer than ``HANDVAT_SUPPRESSION_THRESHOLD`` answers shows
      no scores at all.
    A quarter counts when it overlaps the period.
    """
    today = today or timezone.localdate()
    first = quarter_start(filters.start)
    last_finished = add_months(quarter_start(today), -3)
    last = min(quarter_start(filters.end), last_finished)
    if last < first:
        return []
    rows = (
        Feedback.objects.filter(
            submitted_at__gte=local_midnight(first), submitted_at__lt=local_midnight(add_months(last, 3))
        )
        .annotate(quarter=TruncQuarter("submitted_at", tzinfo=timezone.get_default_timezone()))
        .values("quarter")
        .annotate(answers=Count("pk"), **{question: Avg(question) for question in FEEDBACK_QUESTIONS})
    )
    found = {_as_date(row["quarter"]): row for row in rows}
    threshold = settings.HANDVAT_SUPPRESSION_THRESHOLD
    quarters = []
    quarter = first
    while quarter <= last:
        row = found.get(quarter, {"answers": 0})
        suppressed = row["answers"] < threshold
        scores = {
            question: None if suppressed or row.get(question) is None else round(row[question], 1)
            for question in FEEDBACK_QUESTIONS
        }
        quarters.append(FeedbackQuarter(quarter=quarter, answers=row["answers"], scores=scores, suppressed=suppressed))
        quarter = add_months(quarter, 3)
    return quarters


def feedback_question_labels() -> dict[str, str]:
    return {question: str(Feedback._meta.get_field(question).verbose_name) for question in FEEDBACK_QUESTIONS}


# --- Everything together, as tables ---------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One table of figures: shown on the page, in the PDF and as a CSV download."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""

    @property
    def labelled_rows(self) -> list[list[tuple[str, Any]]]:
        """Each row as (column heading, cell) pairs, for tables that stack on a phone."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


TABLE_KEYS = (
    "months",
    "behaviours",
    "platforms",
    "teams",
    "first_contact",
    "peer_support",
    "adherence",
    "feedback",
)


@dataclass(frozen=True)
class Statistics:
    filters: Filters
    months: list[Bar]
    behaviours: list[Bar]
    platforms: list[Bar]
    teams: list[Bar]
    first_contact: FirstContact
    peer_support: PeerSupport
    check_ins: Adherence
    follow_ups: Adherence
    feedback: list[FeedbackQuarter]

    @property
    def total_cases(self) -> int:
        return sum(count.value for count in self.months)

    def tables(self, *, all_teams: bool = False) -> dict[str, Table]:
        """The tables of the page and the PDF; ``all_teams`` for the CSV, which lists every team."""
        return {table.key: table for table in build_tables(self, all_teams=all_teams)}

    @property
    def teams_shown(self) -> list[Bar]:
        return top_teams(self.teams)


def statistics_for(filters: Filters) -> Statistics:
    return Statistics(
        filters=filters,
        months=cases_per_month(filters),
        behaviours=cases_per_behaviour(filters),
        platforms=cases_per_platform(filters),
        teams=cases_per_team(filters),
        first_contact=first_contact(filters),
        peer_support=peer_support(filters),
        check_ins=check_in_adherence(filters),
        follow_ups=follow_up_adherence(filters),
        feedback=feedback_per_quarter(filters),
    )


#: How long computed figures may be reused (seconds) while nothing was
#: recorded: at 100,000 cases computing them takes a second or more.
STATISTICS_CACHE_SECONDS = 300


def _data_version() -> tuple[int, ...]:
    """Changes whenever something the figures count is recorded: every service
    writes a timeline line (``CaseEvent``) with its change; cases, feedback and
    reminders are rows of their own. One query of primary-key lookups."""
    connection = connections[Case.objects.db]
    newest = ", ".join(
        f"(SELECT MAX({connection.ops.quote_name(model._meta.pk.column)}) "  # noqa: S608
        f"FROM {connection.ops.quote_name(model._meta.db_table)})"
        for model in (CaseEvent, Case, Feedback, Reminder)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {newest}")
        return tuple(value or 0 for value in cursor.fetchone())


def statistics_cached(filters: Filters) -> Statistics:
    """``statistics_for``, reused from the cache until something new is recorded
    or STATISTICS_CACHE_SECONDS pass (figures that change with the clock alone,
    such as peer support falling due, are at most that late)."""
    window = int(timezone.now().timestamp()) // STATISTICS_CACHE_SECONDS
    team = filters.team.pk if filters.team is not None else ""
    version = ":".join(str(part) for part in _data_version())
    key = f"handvat:statistics:{get_language()}:{filters.start}:{filters.end}:{team}:{version}:{window}"
    stats = cache.get(key)
    if stats is None:
        stats = statistics_for(filters)
        cache.set(key, stats, timeout=STATISTICS_CACHE_SECONDS)
    return stats


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def build_tables(stats: Statistics, *, all_teams: bool = False) -> list[Table]:
    counts = [_("Cases")]
    fc = stats.first_contact
    peer = stats.peer_support
    questions = feedback_question_labels()
    threshold = settings.HANDVAT_SUPPRESSION_THRESHOLD
    return [
        Table("months", _("Cases per month"), [_("Month"), *counts], [[c.label, c.value] for c in stats.months]),
        Table(
            "behaviours",
            _("Cases per kind of behaviour"),
            [_("Kind of behaviour"), *counts],
            [[c.label, c.value] for c in stats.behaviours],
            _("A case with several kinds of behaviour counts once for each."),
        ),
        Table(
            "platforms",
            _("Cases per platform"),
            [_("Platform"), *counts],
            [[c.label, c.value] for c in stats.platforms],
            _("Named in a report, or where the specialist found data or evidence. A case counts once per platform."),
        ),
        Table(
            "teams",
            _("Cases per team"),
            [_("Team"), *counts],
            [[c.label, c.value] for c in (stats.teams if all_teams else stats.teams_shown)],
            _("The employee's team today.")
            + (
                ""
                if all_teams or len(stats.teams) <= TEAMS_SHOWN
                else " " + _("The %(n)s teams with the most cases; the CSV lists every team.") % {"n": TEAMS_SHOWN}
            ),
        ),
        Table(
            "first_contact",
            _("Time from report to first contact"),
            [_("Month"), _("Cases with first contact"), _("Median (hours)")],
            [[month_label(month), n, _num(median)] for month, n, median in fc.per_month]
            + [[_("Whole period"), fc.contacted, _num(fc.median_hours)]],
            _(
                "%(within)s of %(contacted)s cases (%(percent)s) were contacted within %(hours)s hours; "
                "%(waiting)s still wait for a first contact."
            )
            % {
                "within": fc.within_target,
                "contacted": fc.contacted,
                "percent": _pct(fc.within_target_percent) or "—",
                "hours": fc.target_hours,
                "waiting": fc.waiting,
            },
        ),
        Table(
            "peer_support",
            _("Peer support offered within 48 hours"),
            [_("Peer support"), counts[0], _("Share")],
            [
                [_("Offered within 48 hours"), peer.in_time, _pct(percent(peer.in_time, peer.due))],
                [_("Offered later"), peer.later, _pct(percent(peer.later, peer.due))],
                [_("Not offered"), peer.not_offered, _pct(percent(peer.not_offered, peer.due))],
                [_("Total (48 hours passed)"), peer.due, _pct(100 if peer.due else None)],
            ],
            _(
                "Counted from the incident, or from the report when that came later. "
                "%(running)s cases are still within their 48 hours."
            )
            % {"running": peer.not_yet_due},
        ),
        Table(
            "adherence",
            _("Check-ins and follow-up conversations"),
            [_("What"), _("Due"), _("Done"), _("Share done")],
            [
                [
                    _("Manager's check-ins"),
                    stats.check_ins.due,
                    stats.check_ins.done,
                    _pct(stats.check_ins.done_percent),
                ],
                [
                    _("Follow-up conversations"),
                    stats.follow_ups.due,
                    stats.follow_ups.done,
                    _pct(stats.follow_ups.done_percent),
                ],
            ],
            _(
                "What fell due in the period, for the chosen team. A check-in counts as done when it was logged "
                "from a day before it was due to %(days)s days after."
            )
            % {"days": CHECK_IN_GRACE_DAYS},
        ),
        Table(
            "feedback",
            _("Employee feedback (average, 1 to 5)"),
            [_("Quarter"), _("Answers"), *questions.values()],
            [
                [
                    quarter.label,
                    _("fewer than %(n)s") % {"n": threshold} if 0 < quarter.answers < threshold else quarter.answers,
                    *[_num(quarter.scores[q]) for q in questions],
                ]
                for quarter in stats.feedback
            ],
            _(
                "Only finished quarters, never per team, and only when at least %(n)s employees answered, "
                "so no one's answers can be singled out."
            )
            % {"n": threshold},
        ),
    ]
