"""The anonymised national export: its suppression (proved on every small table
and on many random ones by a solver that knows nothing of how cells were
chosen), its contents, its files and who may make it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import random
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from aftercare.models import Lesson
from doxing_cases.models import Case, SecurityMeasure
from exports.national import (
    finished_periods,
    national_export,
    publish,
    role_group_for_team_name,
    suppress,
    with_totals,
)
from people.models import AccessLog, User
from tests.factories import TeamFactory, UserFactory, make_case

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=AMS)

Grid = list[list[int | None]]


# --- An independent attacker ----------------------------------------------------------


def _equations(rows: int, columns: int) -> list[list[tuple[tuple[int, int], int]]]:
    """Every published relation of a table with totals (last row and column):
    each row and each column adds up to its total."""
    last_row, last_column = rows - 1, columns - 1
    equations = []
    for i in range(rows):
        equations.append([((i, j), 1) for j in range(last_column)] + [((i, last_column), -1)])
    for j in range(columns):
        equations.append([((i, j), 1) for i in range(last_row)] + [((last_row, j), -1)])
    return equations


def _solve(
    equations: list[list[tuple[tuple[int, int], int]]],
    assigned: dict[tuple[int, int], int],
    unknown: list[tuple[int, int]],
    bound: int,
    prefer: dict[tuple[int, int], int],
) -> dict[tuple[int, int], int] | None:
    """One filling of the unknown cells (0..bound) that keeps every equation, or
    None: depth-first, settling a cell as soon as an equation leaves it alone.
    ``prefer`` only orders the values tried first; any filling found is checked."""
    assigned = dict(assigned)
    changed = True
    while changed:
        changed = False
        for equation in equations:
            open_cells = [(cell, coef) for cell, coef in equation if cell not in assigned]
            total = sum(assigned[cell] * coef for cell, coef in equation if cell in assigned)
            if not open_cells:
                if total != 0:
                    return None
            elif len(open_cells) == 1:
                cell, coef = open_cells[0]
                value = -total * coef  # coef is ±1
                if not 0 <= value <= bound:
                    return None
                assigned[cell] = value
                changed = True
    free = [cell for cell in unknown if cell not in assigned]
    if not free:
        return assigned
    cell = free[0]
    for value in sorted(range(bound + 1), key=lambda v: abs(v - prefer.get(cell, 0))):
        found = _solve(equations, {**assigned, cell: value}, unknown, bound, prefer)
        if found is not None:
            return found
    return None


def feasible_values(published: Grid, bound: int, truth: Grid | None = None) -> dict[tuple[int, int], set[int]]:
    """For every left-out cell, values (0..bound) it can take while every
    published number and total stays true: for each cell and each candidate
    value, a search for a filling of all other left-out cells that fits.
    Stops at two values per cell (enough to show it cannot be worked back)."""
    rows, columns = len(published), len(published[0])
    equations = _equations(rows, columns)
    unknown = [(i, j) for i in range(rows) for j in range(columns) if published[i][j] is None]
    known = {(i, j): published[i][j] for i in range(rows) for j in range(columns) if published[i][j] is not None}
    prefer = {cell: truth[cell[0]][cell[1]] for cell in unknown} if truth else {}
    seen: dict[tuple[int, int], set[int]] = {}
    for cell in unknown:
        seen[cell] = set()
        for value in sorted(range(bound + 1), key=lambda v: abs(v - prefer.get(cell, 0))):
            if _solve(equations, {**known, cell: value}, unknown, bound, prefer) is not None:
                seen[cell].add(value)
                if len(seen[cell]) == 2:
                    break
    return seen


def assert_safe(cells: Sequence[Sequence[int]], threshold: int = 5) -> None:
    grid = with_totals(cells)
    published = publish(cells, threshold)
    hidden = [(i, j) for i, row in enumerate(published) for j, value in enumerate(row) if value is None]
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if 0 < value < threshold:
                assert published[i][j] is None, (cells, (i, j))
            if published[i][j] is not None:
                assert published[i][j] == value
    if not hidden:
        return
    found = feasible_values(published, bound=grid[-1][-1] + 1, truth=grid)
    for cell in hidden:
        assert len(found[cell]) >= 2, f"cell {cell} of {cells} can be worked back: {published}"


# --- Suppression ----------------------------------------------------------------------


def test_it_leaves_a_table_without_small_numbers_alone():
    assert publish([[5, 7], [9, 0]], 5) == [[5, 7, 12], [9, 0, 9], [14, 7, 21]]


def test_it_hides_a_partner_in_the_row_and_the_column():
    published = publish([[3, 8, 9], [6, 7, 10]], 5)
    assert published[0][0] is None
    assert sum(value is None for value in published[0]) >= 2
    assert sum(row[0] is None for row in published) >= 2


def test_it_never_hides_a_zero():
    published = publish([[0, 2, 9], [0, 6, 7], [0, 8, 5]], 5)
    assert [row[0] for row in published] == [0, 0, 0, 0]


def test_it_closes_a_bridge_between_two_groups_of_hidden_cells():
    """Two blocks of small cells, each safe on its own, joined by one small
    cell: every row and column has two hidden cells, but the joining cell
    could still be worked out from the totals if nothing more were hidden."""
    cells = [
        [1, 1, 2, 0],
        [1, 1, 0, 0],
        [0, 0, 1, 1],
        [0, 0, 1, 1],
    ]
    assert_safe(cells, threshold=5)
    grid = with_totals(cells)
    hidden = suppress(grid, 5)
    assert (0, 2) in hidden


@pytest.mark.parametrize("shape", [(1, 1), (1, 2), (1, 3), (2, 1), (3, 1)])
def test_it_is_safe_for_every_small_single_line_table(shape):
    rows, columns = shape
    for flat in itertools.product(range(7), repeat=rows * columns):
        assert_safe([list(flat[r * columns : (r + 1) * columns]) for r in range(rows)])


def test_it_is_safe_for_every_2x2_table_with_numbers_up_to_6():
    for a, b, c, d in itertools.product(range(7), repeat=4):
        assert_safe([[a, b], [c, d]])


def test_it_is_safe_for_every_2x3_table_of_typical_numbers():
    for flat in itertools.product((0, 1, 4, 5, 9), repeat=6):
        assert_safe([list(flat[:3]), list(flat[3:])])


def test_it_is_safe_for_many_random_tables():
    generator = random.Random(20261121)
    for _ in range(400):
        rows, columns = generator.randint(1, 5), generator.randint(1, 6)
        cells = [
            [generator.choice((0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 20)) for _c in range(columns)] for _r in range(rows)
        ]
        assert_safe(cells)


@pytest.mark.parametrize("threshold", [2, 3, 10])
def test_it_follows_the_threshold(threshold):
    generator = random.Random(threshold)
    for _ in range(100):
        cells = [[generator.randint(0, 12) for _c in range(3)] for _r in range(3)]
        assert_safe(cells, threshold=threshold)


def test_the_attacker_finds_a_cell_a_naive_suppression_gives_away():
    """The solver is not toothless: hiding only the small cell is recovered."""
    published: Grid = [[None, 8, 11], [6, 7, 13], [9, 15, 24]]
    assert feasible_values(published, bound=25)[(0, 0)] == {3}


# --- Periods and role groups ----------------------------------------------------------


def test_it_exports_only_finished_periods():
    periods = finished_periods(dt.date(2026, 1, 15), dt.date(2026, 12, 31), "quarter", today=dt.date(2026, 11, 21))
    assert periods == [dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 7, 1)]
    months = finished_periods(dt.date(2026, 9, 1), dt.date(2026, 11, 30), "month", today=dt.date(2026, 11, 21))
    assert months == [dt.date(2026, 9, 1), dt.date(2026, 10, 1)]


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("Handhaving Centrum", "enforcement"),
        ("BOA's Noord", "enforcement"),
        ("Brandweer Noord", "fire"),
        ("Ambulancezorg", "ambulance"),
        ("Politie Havenstad", "police"),
        ("Personeelszaken", "unknown"),
    ],
)
def test_it_derives_the_role_group_from_the_team_name(name, group):
    assert role_group_for_team_name(name) == group


def test_a_configured_role_group_wins(settings):
    settings.HANDVAT_ROLE_GROUPS = {"Personeelszaken": "municipal", "Brandweer Noord": "nonsense"}
    assert role_group_for_team_name("Personeelszaken") == "municipal"
    assert role_group_for_team_name("Brandweer Noord") == "fire"


# --- The export -----------------------------------------------------------------------


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=AMS)


@pytest.fixture
def cases(employee: User, colleague: User, coordinator: User, manager: User) -> list[Case]:
    """Six enforcement cases (Handhaving Centrum) and one fire-brigade case in Q3 2026."""
    made = []
    for index in range(6):
        with time_machine.travel(at("2026-07-01") + dt.timedelta(days=10 * index), tick=False):
            made.append(make_case(employee, coordinator=coordinator, behaviours=["doxing"], platforms=["x"]))
    with time_machine.travel(at("2026-08-15"), tick=False):
        made.append(make_case(colleague, coordinator=coordinator, behaviours=["threat"], platforms=["x"]))
    with time_machine.travel(at("2026-11-01"), tick=False):  # the running quarter: left out
        made.append(make_case(colleague, coordinator=coordinator, behaviours=["threat"]))
    for case in made[:5]:
        SecurityMeasure.objects.create(
            case=case, kind="brp", responsible_department="Beveiliging", status="active", created_by=coordinator
        )
    Lesson.objects.create(
        theme="reporting",
        title="Meld snel",
        text="=cmd|' /C calc'!A0",
        written_by=coordinator,
        written_at=at("2026-08-20"),
    )
    return made


def _export():
    with time_machine.travel(NOW, tick=False):
        return national_export(start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31), period="quarter")


def test_it_counts_cases_per_role_group_and_suppresses_the_small_ones(cases):
    export = _export()
    (table,) = [t for t in export.tables if t.key == "role_group"]
    codes = [c.code for c in table.categories]
    (period, cells, total) = table.rows[0]
    assert period == "2026-Q3"
    assert cells[codes.index("enforcement")] is None  # 6, but the only partner of the hidden 1
    assert cells[codes.index("fire")] is None  # 1
    assert cells[codes.index("police")] == 0
    assert total is None or total == 7


def test_it_counts_measures_taken(cases):
    export = _export()
    (table,) = [t for t in export.tables if t.key == "measure"]
    codes = [c.code for c in table.categories]
    assert table.rows[0][1][codes.index("security_brp")] == 5
    assert table.rows[0][1][codes.index("police_aangifte")] == 0


def test_it_counts_platform_mentions(cases):
    export = _export()
    (table,) = [t for t in export.tables if t.key == "platform"]
    codes = [c.code for c in table.categories]
    assert table.rows[0][1][codes.index("x")] == 7


def test_it_leaves_out_the_running_period(cases):
    assert [row[0] for row in _export().tables[0].rows] == ["2026-Q3"]


def test_it_carries_no_identity(cases, employee, colleague, team):
    text = json.dumps(_export_json(cases))
    for forbidden in (employee.last_name, colleague.last_name, team.name, "HV-0", employee.username):
        assert forbidden not in text


def _export_json(_cases) -> dict:
    from exports.national import as_json

    return as_json(_export())


def test_it_follows_the_documented_schema(cases):
    data = _export_json(cases)
    assert data["schema"] == "handvat-national-export" and data["schema_version"] == 1
    assert (data["period_type"], data["first_day"], data["last_day"]) == ("quarter", "2026-07-01", "2026-09-30")
    assert data["suppression"]["threshold"] == 5
    assert [table["key"] for table in data["tables"]] == ["role_group", "behaviour", "platform", "measure"]
    table = data["tables"][0]
    assert set(table) == {"key", "title", "unit", "categories", "rows", "totals"}
    assert set(table["rows"][0]) == {"period", "counts", "total"}
    assert set(table["totals"]) == {"counts", "total"}
    assert data["lessons"] == [
        {
            "period": "2026-Q3",
            "theme": "reporting",
            "theme_label": str(Lesson.Theme.REPORTING.label),
            "title": "Meld snel",
            "text": "=cmd|' /C calc'!A0",
        }
    ]


# --- The pages and files --------------------------------------------------------------

QUERY = {"start": "2026-07-01", "end": "2026-12-31", "period": "quarter"}


@pytest.mark.parametrize("who", ["coordinator", "privacy"])
def test_it_shows_the_export_page(cases, login, request, who):
    with time_machine.travel(NOW, tick=False):
        response = login(request.getfixturevalue(who)).get(reverse("exports:national_export"), QUERY)
    assert response.status_code == 200
    assert "Cases per role group" in response.content.decode()


@pytest.mark.parametrize("who", ["employee", "manager", "hr", "peer", "specialist", "security"])
def test_it_answers_404_to_everyone_else(login, request, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("exports:national_export")).status_code == 404
    assert client.get(reverse("exports:national_export_download", args=["json"])).status_code == 404


def test_it_shows_the_last_four_finished_quarters_by_default(login, coordinator):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:national_export"))
    assert [period.isoformat() for period in response.context["export"].periods] == [
        "2025-10-01",
        "2026-01-01",
        "2026-04-01",
        "2026-07-01",
    ]


def test_it_explains_a_reversed_period(login, coordinator):
    response = login(coordinator).get(reverse("exports:national_export"), {**QUERY, "start": "2027-01-01"})
    assert "This date is before the start" in response.content.decode()


def test_it_downloads_json(cases, login, coordinator):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:national_export_download", args=["json"]), QUERY)
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["schema"] == "handvat-national-export"
    assert AccessLog.objects.filter(user=coordinator, action="export", object_kind="national_export_json").exists()


def test_it_downloads_the_numbers_as_csv(cases, login, coordinator):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:national_export_download", args=["csv"]), QUERY)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["table", "unit", "period", "category", "count", "suppressed"]
    assert ["role_group", "cases", "2026-Q3", "fire", "", "true"] in rows
    assert ["platform", "mentions", "2026-Q3", "x", "7", "false"] in rows


def test_it_downloads_the_lessons_as_csv_without_formulas(cases, login, coordinator):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:national_export_download", args=["lessons"]), QUERY)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[1] == ["2026-Q3", "reporting", "Meld snel", "'=cmd|' /C calc'!A0"]


def test_it_answers_404_for_an_unknown_format(login, coordinator):
    assert login(coordinator).get(reverse("exports:national_export_download", args=["xml"])).status_code == 404


def test_it_says_so_when_no_period_has_finished(login, coordinator):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(
            reverse("exports:national_export"), {"start": "2026-10-01", "end": "2026-11-20", "period": "quarter"}
        )
    assert "There is no finished period in this range yet" in response.content.decode()


def test_it_uses_the_unknown_group_for_a_team_it_cannot_place(login, coordinator, manager):
    stranger = UserFactory(team=TeamFactory(name="Afdeling X"))
    for index in range(5):
        with time_machine.travel(at("2026-07-02") + dt.timedelta(days=index), tick=False):
            make_case(stranger, coordinator=coordinator)
    export = _export()
    (table,) = [t for t in export.tables if t.key == "role_group"]
    codes = [c.code for c in table.categories]
    assert table.rows[0][1][codes.index("unknown")] == 5
