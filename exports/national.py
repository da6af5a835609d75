"""The anonymised export for the national information point (recommendations 8, 27).

What leaves the organisation: numbers of cases per period (quarter or month)
against one of four things — the employee's role group, the kind of
behaviour, the platform, the measure taken — and the lessons learned, which
carry no identity (``aftercare.Lesson``). No names, no case numbers, no dates
finer than the period. The schema is in ``docs/national-export.md``.

Small numbers could point at a person, so every cell from 1 to
``HANDVAT_SUPPRESSION_THRESHOLD - 1`` is left out (primary suppression), and
so are more cells where needed so that no left-out number can be worked back
from the totals (complementary suppression, ``suppress``). Each table is
protected on its own and the tables share no total: the role-group table
counts cases, the other three count mentions (a case with two platforms
counts twice), so their totals differ.

Only finished periods are exported: a running quarter's numbers change with
every new case, and two exports a day apart would show one case's details.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.models import Lesson
from doxing_cases.models import (
    Behaviour,
    Case,
    PeerSupportContact,
    Platform,
    PoliceReport,
    Referral,
    SecurityMeasure,
    TakedownRequest,
)
from exports.statistics import add_months, behaviour_exists, local_midnight, platform_exists
from people.models import Team

SCHEMA = "handvat-national-export"
SCHEMA_VERSION = 1

# --- Role groups ----------------------------------------------------------------------

#: The role groups of the guideline's public-service workers. Handvat keeps no
#: role group per person; it is the employee's team's group (see ``team_role_groups``).
ROLE_GROUPS: dict[str, Any] = {
    "enforcement": gettext_lazy("Enforcement (BOA, supervision)"),
    "police": gettext_lazy("Police"),
    "fire": gettext_lazy("Fire brigade"),
    "ambulance": gettext_lazy("Ambulance"),
    "municipal": gettext_lazy("Municipal staff"),
    "other": gettext_lazy("Other public service"),
    "unknown": gettext_lazy("Unknown"),
}
#: Words in a (Dutch or English) team name that tell its role group, checked in this order.
ROLE_GROUP_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("enforcement", ("handhaving", "boa", "toezicht", "enforcement")),
    ("police", ("politie", "police")),
    ("fire", ("brandweer", "fire")),
    ("ambulance", ("ambulance",)),
    ("municipal", ("gemeente", "municipal")),
)


def role_group_for_team_name(name: str) -> str:
    """``HANDVAT_ROLE_GROUPS`` first (team name → group), then words in the name, else unknown."""
    configured = settings.HANDVAT_ROLE_GROUPS.get(name)
    if configured in ROLE_GROUPS:
        return configured
    lowered = name.lower()
    for group, words in ROLE_GROUP_WORDS:
        if any(word in lowered for word in words):
            return group
    return "unknown"


def team_role_groups() -> dict[int, str]:
    return {pk: role_group_for_team_name(name) for pk, name in Team.objects.values_list("pk", "name")}


def role_group_expression(groups: dict[int, str]) -> SqlCase:
    by_group: dict[str, list[int]] = {}
    for team_id, group in groups.items():
        by_group.setdefault(group, []).append(team_id)
    whens = [When(subject__team_id__in=ids, then=Value(group)) for group, ids in sorted(by_group.items())]
    return SqlCase(*whens, default=Value("unknown"), output_field=CharField())


# --- Measures taken -------------------------------------------------------------------

PUT_IN_PLACE = (SecurityMeasure.Status.ACTIVE, SecurityMeasure.Status.PHASING_OUT, SecurityMeasure.Status.ENDED)


def measure_conditions() -> dict[str, tuple[Any, Exists]]:
    """Each measure (code → label, condition on a case). Planned only is not taken."""
    measures: dict[str, tuple[Any, Exists]] = {
        f"security_{kind}": (
            label,
            Exists(SecurityMeasure.objects.filter(case=OuterRef("pk"), kind=kind, status__in=PUT_IN_PLACE)),
        )
        for kind, label in SecurityMeasure.Kind.choices
    }
    filed = PoliceReport.objects.filter(case=OuterRef("pk")).exclude(status=PoliceReport.Status.PLANNED)
    measures["police_melding"] = (
        PoliceReport.Kind.MELDING.label,
        Exists(filed.filter(kind=PoliceReport.Kind.MELDING)),
    )
    measures["police_aangifte"] = (
        PoliceReport.Kind.AANGIFTE.label,
        Exists(filed.filter(kind=PoliceReport.Kind.AANGIFTE)),
    )
    measures["takedown"] = (
        gettext_lazy("Takedown request sent"),
        Exists(TakedownRequest.objects.filter(case=OuterRef("pk")).exclude(status=TakedownRequest.Status.DRAFT)),
    )
    measures["peer_support"] = (
        gettext_lazy("Peer support offered"),
        Exists(PeerSupportContact.objects.filter(case=OuterRef("pk"))),
    )
    measures["referral"] = (
        gettext_lazy("Referral to professional care"),
        Exists(Referral.objects.filter(case=OuterRef("pk"))),
    )
    return measures


# --- Periods --------------------------------------------------------------------------

PERIODS = ("quarter", "month")


def period_start(day: dt.date, period: str) -> dt.date:
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def next_period(start: dt.date, period: str) -> dt.date:
    return add_months(start, 3 if period == "quarter" else 1)


def period_code(start: dt.date, period: str) -> str:
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return start.strftime("%Y-%m")


def finished_periods(start: dt.date, end: dt.date, period: str, *, today: dt.date | None = None) -> list[dt.date]:
    """The periods from the one holding ``start`` to the one holding ``end``,
    without the one running today or any later one."""
    today = today or timezone.localdate()
    running = period_start(today, period)
    periods, current = [], period_start(start, period)
    while current <= end and current < running:
        periods.append(current)
        current = next_period(current, period)
    return periods


# --- Suppression ----------------------------------------------------------------------

Cell = tuple[int, int]


def with_totals(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with a total column and a total row; the corner is the grand total."""
    columns = len(cells[0]) if cells else 0
    grid = [[*row, sum(row)] for row in cells]
    grid.append([sum(row[j] for row in grid) for j in range(columns + 1)])
    return grid


def suppress(grid: Sequence[Sequence[int]], threshold: int) -> set[Cell]:
    """Which cells of ``grid`` (a table *with* its totals, see ``with_totals``) to leave out.

    Primary: every cell, totals included, from 1 to ``threshold - 1``.
    Complementary: think of the table as a graph with a node per row and per
    column (the total row and column included) and a cell as the edge between
    its row and its column; the totals make every node's cells add up. A
    left-out cell can be worked back exactly when it is a *bridge* of the
    left-out cells (on no cycle of them); a left-out cell on a cycle of
    left-out cells that are all at least 1 can be one more or one less, with
    the cycle's other cells taking turns at one less and one more, and every
    published number stays true. So: while a left-out cell is a bridge, also
    leave out the cheapest path of non-zero cells that closes a cycle through
    it. Zero cells are never left out. Such a path always exists (through the
    totals), and adding cells never makes another a bridge, so this ends.
    """
    rows, columns = len(grid), len(grid[0]) if grid else 0
    hidden = {(i, j) for i in range(rows) for j in range(columns) if 0 < grid[i][j] < threshold}
    while True:
        bridge = next((cell for cell in sorted(hidden) if _is_bridge(cell, hidden)), None)
        if bridge is None:
            return hidden
        path = _cheapest_path(grid, hidden, bridge)
        if path is None:  # cannot happen for a table with true totals; hide everything rather than leak
            return {(i, j) for i in range(rows) for j in range(columns) if grid[i][j]}
        hidden |= path


def _nodes(cell: Cell) -> tuple[str, str]:
    return f"r{cell[0]}", f"c{cell[1]}"


def _is_bridge(cell: Cell, hidden: set[Cell]) -> bool:
    """Whether ``cell``'s row and column are connected only through ``cell``."""
    start, goal = _nodes(cell)
    adjacent: dict[str, list[str]] = {}
    for other in hidden:
        if other == cell:
            continue
        a, b = _nodes(other)
        adjacent.setdefault(a, []).append(b)
        adjacent.setdefault(b, []).append(a)
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return False
        for other in adjacent.get(node, ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return True


def _cost(grid: Sequence[Sequence[int]], cell: Cell) -> int:
    """What leaving a cell out costs: its value, and far more for a total
    (the totals are what readers need most), most for the grand total."""
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    i, j = cell
    margins = (i == last_row) + (j == last_column)
    return grid[i][j] + 1 + (0, 10_000, 1_000_000)[margins]


def _cheapest_path(grid: Sequence[Sequence[int]], hidden: set[Cell], bridge: Cell) -> set[Cell] | None:
    """The cheapest set of non-zero cells, other than ``bridge``, that joins its
    row to its column (cells already left out cost nothing): Dijkstra."""
    start, goal = _nodes(bridge)
    edges: dict[str, list[tuple[str, Cell]]] = {}
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value > 0 and (i, j) != bridge:
                a, b = _nodes((i, j))
                edges.setdefault(a, []).append((b, (i, j)))
                edges.setdefault(b, []).append((a, (i, j)))
    counter = itertools.count()
    queue: list[tuple[int, int, str, tuple[Cell, ...]]] = [(0, next(counter), start, ())]
    done: set[str] = set()
    while queue:
        cost, _tie, node, path = heapq.heappop(queue)
        if node == goal:
            return set(path)
        if node in done:
            continue
        done.add(node)
        for other, cell in edges.get(node, ()):
            if other not in done:
                step = 0 if cell in hidden else _cost(grid, cell)
                heapq.heappush(queue, (cost + step, next(counter), other, (*path, cell)))
    return None


# --- The tables -----------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class NationalTable:
    key: str
    title: str
    unit: str  # "cases" or "mentions"
    periods: list[str]
    categories: list[Category]
    #: The published grid with totals (last column, last row); None where left out.
    grid: list[list[int | None]]

    @property
    def rows(self) -> list[tuple[str, list[int | None], int | None]]:
        """(period, cells, total) per period."""
        return [(period, row[:-1], row[-1]) for period, row in zip(self.periods, self.grid, strict=False)]

    @property
    def column_totals(self) -> list[int | None]:
        return self.grid[-1][:-1]

    @property
    def grand_total(self) -> int | None:
        return self.grid[-1][-1]

    @property
    def suppressed(self) -> int:
        return sum(value is None for row in self.grid for value in row)

    def by_category(self) -> list[tuple[Category, list[int | None], int | None]]:
        """Turned a quarter: a row per category, a column per period (narrower on a phone)."""
        return [
            (category, [row[j] for row in self.grid[:-1]], self.grid[-1][j])
            for j, category in enumerate(self.categories)
        ]


def publish(cells: Sequence[Sequence[int]], threshold: int) -> list[list[int | None]]:
    """``cells`` with totals added and every cell ``suppress`` picks replaced by None."""
    grid = with_totals(cells)
    hidden = suppress(grid, threshold)
    return [[None if (i, j) in hidden else value for j, value in enumerate(row)] for i, row in enumerate(grid)]


@dataclass(frozen=True)
class NationalExport:
    period: str
    periods: list[dt.date]
    threshold: int
    tables: list[NationalTable]
    lessons: list[dict[str, str]]
    generated_at: dt.datetime

    @property
    def start(self) -> dt.date | None:
        return self.periods[0] if self.periods else None

    @property
    def end(self) -> dt.date | None:
        """The last day covered."""
        return next_period(self.periods[-1], self.period) - dt.timedelta(days=1) if self.periods else None


def _cases(periods: list[dt.date], period: str) -> QuerySet[Case]:
    truncate = TruncQuarter if period == "quarter" else TruncMonth
    return Case.objects.filter(
        opened_at__gte=local_midnight(periods[0]),
        opened_at__lt=local_midnight(next_period(periods[-1], period)),
        merged_into__isnull=True,
    ).annotate(period=truncate("opened_at", tzinfo=timezone.get_default_timezone()))


def _period_key(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, timezone.get_default_timezone()).date()
    return value


def _grid_from(counts: dict[tuple[dt.date, str], int], periods: list[dt.date], codes: Iterable[str]) -> list[list[int]]:
    codes = list(codes)
    return [[counts.get((period, code), 0) for code in codes] for period in periods]


def _conditional_table(cases: QuerySet[Case], periods: list[dt.date], conditions: dict[str, Any]) -> list[list[int]]:
    """Cases per period meeting each condition: one query."""
    rows = cases.values("period").annotate(
        **{f"n_{index}": Count("pk", filter=Q(condition)) for index, condition in enumerate(conditions.values())}
    )
    counts: dict[tuple[dt.date, str], int] = {}
    for row in rows:
        for index, code in enumerate(conditions):
            counts[(_period_key(row["period"]), code)] = row[f"n_{index}"]
    return _grid_from(counts, periods, conditions)


def national_export(
    *, start: dt.date, end: dt.date, period: str = "quarter", today: dt.date | None = None
) -> NationalExport:
    threshold = settings.HANDVAT_SUPPRESSION_THRESHOLD
    periods = finished_periods(start, end, period, today=today)
    codes = [period_code(p, period) for p in periods]
    tables: list[NationalTable] = []
    lessons: list[dict[str, str]] = []
    if periods:
        cases = _cases(periods, period)
        groups = team_role_groups()
        role_rows = cases.annotate(role_group=role_group_expression(groups)).values("period", "role_group")
        role_counts = {
            (_period_key(row["period"]), row["role_group"]): row["n"] for row in role_rows.annotate(n=Count("pk"))
        }
        tables.append(
            NationalTable(
                "role_group",
                _("Cases per role group"),
                "cases",
                codes,
                [Category(code, str(label)) for code, label in ROLE_GROUPS.items()],
                publish(_grid_from(role_counts, periods, ROLE_GROUPS), threshold),
            )
        )
        behaviours = {value: behaviour_exists(value) for value in Behaviour.values}
        tables.append(
            NationalTable(
                "behaviour",
                _("Mentions per kind of behaviour"),
                "mentions",
                codes,
                [Category(code, str(label)) for code, label in Behaviour.choices],
                publish(_conditional_table(cases, periods, behaviours), threshold),
            )
        )
        platforms = {value: platform_exists(value) for value in Platform.values}
        tables.append(
            NationalTable(
                "platform",
                _("Mentions per platform"),
                "mentions",
                codes,
                [Category(code, str(label)) for code, label in Platform.choices],
                publish(_conditional_table(cases, periods, platforms), threshold),
            )
        )
        measures = measure_conditions()
        tables.append(
            NationalTable(
                "measure",
                _("Mentions per measure taken"),
                "mentions",
                codes,
                [Category(code, str(label)) for code, (label, _condition) in measures.items()],
                publish(
                    _conditional_table(cases, periods, {code: cond for code, (_l, cond) in measures.items()}),
                    threshold,
                ),
            )
        )
        lessons = national_lessons(periods, period)
    return NationalExport(
        period=period,
        periods=periods,
        threshold=threshold,
        tables=tables,
        lessons=lessons,
        generated_at=timezone.now(),
    )


def national_lessons(periods: list[dt.date], period: str) -> list[dict[str, str]]:
    """The lessons written in the periods: theme, title and text, dated by period only."""
    truncate = TruncQuarter if period == "quarter" else TruncMonth
    rows = (
        Lesson.objects.filter(
            written_at__gte=local_midnight(periods[0]), written_at__lt=local_midnight(next_period(periods[-1], period))
        )
        .annotate(period=truncate("written_at", tzinfo=timezone.get_default_timezone()))
        .order_by("written_at", "pk")
        .values("period", "theme", "title", "text")
    )
    themes = dict(Lesson.Theme.choices)
    return [
        {
            "period": period_code(_period_key(row["period"]), period),
            "theme": row["theme"],
            "theme_label": str(themes.get(row["theme"], row["theme"])),
            "title": row["title"],
            "text": row["text"],
        }
        for row in rows
    ]


# --- The file formats (docs/national-export.md) ---------------------------------------


def as_json(export: NationalExport) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": export.generated_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "period_type": export.period,
        "first_day": export.start.isoformat() if export.start else None,
        "last_day": export.end.isoformat() if export.end else None,
        "suppression": {"threshold": export.threshold, "method": "primary and complementary, per table"},
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "unit": table.unit,
                "categories": [{"code": c.code, "label": c.label} for c in table.categories],
                "rows": [
                    {
                        "period": period,
                        "counts": {c.code: value for c, value in zip(table.categories, cells, strict=True)},
                        "total": total,
                    }
                    for period, cells, total in table.rows
                ],
                "totals": {
                    "counts": {c.code: value for c, value in zip(table.categories, table.column_totals, strict=True)},
                    "total": table.grand_total,
                },
            }
            for table in export.tables
        ],
        "lessons": export.lessons,
    }


COUNT_COLUMNS = ("table", "unit", "period", "category", "count", "suppressed")
LESSON_COLUMNS = ("period", "theme", "title", "text")


def count_rows(export: NationalExport) -> list[list[Any]]:
    """One line per published number, totals included ("total" as period or category)."""
    lines: list[list[Any]] = []
    for table in export.tables:
        codes = [c.code for c in table.categories] + ["total"]
        for period, row in zip([*table.periods, "total"], table.grid, strict=True):
            for code, value in zip(codes, row, strict=True):
                lines.append(
                    [table.key, table.unit, period, code, "" if value is None else value, str(value is None).lower()]
                )
    return lines


def lesson_rows(export: NationalExport) -> list[list[Any]]:
    return [[lesson["period"], lesson["theme"], lesson["title"], lesson["text"]] for lesson in export.lessons]
