"""Statistics for coordinators and HR: the figures on a small known dataset,
the filters, who may see them, the CSV files and the PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.models import Feedback, FollowUp
from doxing_cases import services
from doxing_cases.models import Case, CheckIn
from doxing_cases.services import support
from exports.charts import bar_chart, nice_max
from exports.statistics import Filters, feedback_per_quarter, statistics_for
from exports.views.statistics import safe_cell
from notifications.models import Kind, Reminder
from people.models import AccessLog, User
from tests.factories import TeamFactory, UserFactory, make_case

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=AMS)
PERIOD = {"start": "2026-09-01", "end": "2026-10-31"}


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=AMS)


def case_at(moment: dt.datetime, subject: User, coordinator: User, **details: object) -> Case:
    with time_machine.travel(moment, tick=False):
        return make_case(subject, coordinator=coordinator, **details)


@pytest.fixture
def dataset(employee: User, colleague: User, coordinator: User, manager: User) -> dict[str, Case]:
    """Three cases in September and October 2026, one in 2025 outside the period."""
    a = case_at(at("2026-09-10"), employee, coordinator, behaviours=["doxing", "threat"], platforms=["facebook"])
    b = case_at(at("2026-09-20"), colleague, coordinator, behaviours=["insult"], platforms=["x"])
    c = case_at(at("2026-10-05"), employee, coordinator, behaviours=["doxing"], platforms=[])
    old = case_at(at("2025-01-15"), employee, coordinator, behaviours=["stalking"])
    with time_machine.travel(NOW, tick=False):
        services.case_log_first_contact(actor=coordinator, case=a, at=a.opened_at + dt.timedelta(hours=2))
        services.case_log_first_contact(actor=coordinator, case=b, at=b.opened_at + dt.timedelta(hours=30))
        support.peer_contact_log(
            actor=coordinator, case=a, offered_at=a.opened_at + dt.timedelta(hours=30), response="accepted"
        )
        support.peer_contact_log(
            actor=coordinator, case=b, offered_at=b.opened_at + dt.timedelta(hours=60), response="declined"
        )
    return {"a": a, "b": b, "c": c, "old": old}


def figures(team=None) -> object:
    with time_machine.travel(NOW, tick=False):
        return statistics_for(Filters(start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31), team=team))


def values(bars) -> dict[str, int]:
    return {bar.code: bar.value for bar in bars}


def test_it_counts_cases_per_month(dataset):
    assert values(figures().months) == {"2026-09": 2, "2026-10": 1}


def test_it_counts_cases_per_kind_of_behaviour(dataset):
    counts = values(figures().behaviours)
    assert (counts["doxing"], counts["threat"], counts["insult"], counts["stalking"]) == (2, 1, 1, 0)
    assert counts["not_recorded"] == 0


def test_it_counts_cases_per_platform(dataset):
    counts = values(figures().platforms)
    assert (counts["facebook"], counts["x"], counts["website"], counts["not_recorded"]) == (1, 1, 0, 1)


def test_it_counts_cases_per_team(dataset, team, other_team):
    assert {bar.label: bar.value for bar in figures().teams} == {team.name: 2, other_team.name: 1}


def test_it_measures_the_time_to_first_contact(dataset):
    first = figures().first_contact
    assert (first.cases, first.contacted, first.within_target, first.waiting) == (3, 2, 1, 1)
    assert first.median_hours == 16.0
    assert [median for _month, _n, median in first.per_month] == [16.0, None]


def test_it_measures_peer_support_within_48_hours(dataset):
    peer = figures().peer_support
    assert (peer.due, peer.in_time, peer.later, peer.not_offered) == (3, 1, 1, 1)


def test_it_does_not_count_a_case_whose_48_hours_are_still_running(employee, coordinator):
    case_at(NOW - dt.timedelta(hours=3), employee, coordinator)
    with time_machine.travel(NOW, tick=False):
        peer = statistics_for(Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))).peer_support
    assert (peer.due, peer.not_yet_due) == (0, 1)


def test_it_filters_by_team(dataset, other_team):
    stats = figures(team=other_team)
    assert stats.total_cases == 1
    assert values(stats.behaviours)["insult"] == 1 and values(stats.behaviours)["doxing"] == 0


def test_it_counts_check_ins_done_against_due(dataset, manager):
    case = dataset["a"]
    for index, (due, cancelled) in enumerate(
        [(at("2026-09-17", 9), None), (at("2026-09-24", 9), None), (at("2026-10-01", 9), at("2026-09-30"))]
    ):
        for recipient in (manager,):
            Reminder.objects.create(
                kind=Kind.CHECK_IN,
                recipient=recipient,
                case_id=case.pk,
                due_at=due,
                key=f"test-check-in:{index}:{recipient.pk}",
                sent_at=None if cancelled else due,
                cancelled_at=cancelled,
            )
    CheckIn.objects.create(case=case, at=at("2026-09-18", 14), by=manager, wellbeing="okay")
    adherence = figures().check_ins
    assert (adherence.due, adherence.done, adherence.done_percent) == (2, 1, 50)


def test_it_counts_follow_ups_done_against_due(dataset, coordinator):
    case = dataset["a"]
    for planned_on, status in [("2026-09-15", "done"), ("2026-10-15", "planned"), ("2026-10-20", "cancelled")]:
        FollowUp.objects.create(
            case=case, planned_on=dt.date.fromisoformat(planned_on), owner=coordinator, status=status
        )
    adherence = figures().follow_ups
    assert (adherence.due, adherence.done) == (2, 1)


def _feedback(case: Case, overall: int, day: str) -> None:
    Feedback.objects.create(
        case=case, knew_contact=4, involved_in_decisions=3, support_in_time=5, overall=overall, submitted_at=at(day)
    )


def test_it_shows_feedback_of_a_finished_quarter_with_enough_answers(dataset, settings):
    settings.HANDVAT_SUPPRESSION_THRESHOLD = 2
    _feedback(dataset["a"], 4, "2026-09-25")
    _feedback(dataset["b"], 5, "2026-09-26")
    _feedback(dataset["c"], 1, "2026-10-10")  # the running quarter: never shown
    with time_machine.travel(NOW, tick=False):
        quarters = feedback_per_quarter(Filters(start=dt.date(2026, 7, 1), end=dt.date(2026, 11, 21)))
    assert [(q.label, q.answers, q.scores["overall"]) for q in quarters] == [("2026-Q3", 2, 4.5)]


def test_it_suppresses_feedback_of_a_small_group(dataset, settings):
    settings.HANDVAT_SUPPRESSION_THRESHOLD = 3
    _feedback(dataset["a"], 4, "2026-09-25")
    _feedback(dataset["b"], 5, "2026-09-26")
    with time_machine.travel(NOW, tick=False):
        (quarter,) = feedback_per_quarter(Filters(start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30)))
    assert quarter.suppressed and set(quarter.scores.values()) == {None}


def test_it_never_splits_feedback_by_team(dataset, settings, other_team):
    settings.HANDVAT_SUPPRESSION_THRESHOLD = 2
    _feedback(dataset["a"], 4, "2026-09-25")
    _feedback(dataset["b"], 5, "2026-09-26")
    with time_machine.travel(NOW, tick=False):
        (quarter,) = feedback_per_quarter(Filters(start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30), team=other_team))
    assert quarter.answers == 2


# --- The page -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "hr"])
def test_it_shows_the_page_to_coordinators_and_hr(dataset, login, request, who):
    with time_machine.travel(NOW, tick=False):
        response = login(request.getfixturevalue(who)).get(reverse("exports:statistics"), PERIOD)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="img"' in content and "<title id=" in content
    assert "Cases per kind of behaviour" in content


@pytest.mark.parametrize("who", ["employee", "manager", "peer", "specialist", "privacy"])
@pytest.mark.parametrize("name", ["exports:statistics", "exports:statistics_pdf", "exports:statistics_csv"])
def test_it_answers_404_to_everyone_else(login, request, who, name):
    response = login(request.getfixturevalue(who)).get(reverse(name), {"table": "months"})
    assert response.status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get(reverse("exports:statistics"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_a_post(login, coordinator):
    assert login(coordinator).post(reverse("exports:statistics")).status_code == 405


def test_it_shows_the_last_twelve_months_by_default(login, coordinator):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:statistics"))
    assert response.status_code == 200
    assert 'value="2025-12-01"' in response.content.decode()
    assert 'value="2026-11-21"' in response.content.decode()


def test_it_keeps_what_was_typed_and_explains_a_reversed_period(login, coordinator):
    response = login(coordinator).get(reverse("exports:statistics"), {"start": "2026-10-31", "end": "2026-09-01"})
    content = response.content.decode()
    assert "This date is before the start" in content
    assert 'value="2026-10-31"' in content and 'value="2026-09-01"' in content
    assert "stats" not in response.context or response.context.get("stats") is None


def test_it_explains_a_date_that_does_not_exist(login, coordinator):
    response = login(coordinator).get(reverse("exports:statistics"), {"start": "2026-13-01", "end": "2026-12-31"})
    content = response.content.decode()
    assert "Enter a valid date" in content and 'value="2026-13-01"' in content


def test_it_refuses_a_period_longer_than_five_years(login, coordinator):
    response = login(coordinator).get(reverse("exports:statistics"), {"start": "2010-01-01", "end": "2026-01-01"})
    assert "at most 5 years" in response.content.decode()


def test_it_filters_the_page_by_team(dataset, login, coordinator, other_team):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:statistics"), {**PERIOD, "team": other_team.pk})
    assert response.context["stats"].total_cases == 1
    assert f'<option value="{other_team.pk}" selected>' in response.content.decode()


def test_it_shows_the_page_in_dutch(dataset, login, coordinator):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator, language="nl").get(reverse("exports:statistics"), PERIOD)
    assert response.status_code == 200 and 'lang="nl"' in response.content.decode()


def _make_cases(n: int, subject: User, coordinator: User) -> None:
    for index in range(n):
        case = case_at(
            at("2026-09-01") + dt.timedelta(days=index % 50, hours=index), subject, coordinator, platforms=["x"]
        )
        with time_machine.travel(NOW, tick=False):
            services.case_log_first_contact(actor=coordinator, case=case, at=case.opened_at + dt.timedelta(hours=1))
        Feedback.objects.create(
            case=case,
            knew_contact=4,
            involved_in_decisions=4,
            support_in_time=4,
            overall=4,
            submitted_at=at("2026-09-30"),
        )


def _queries(login, coordinator) -> int:
    with time_machine.travel(NOW, tick=False):
        client = login(coordinator)  # logged in at NOW, so the idle timeout does not end the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("exports:statistics"), PERIOD).status_code == 200
    return len(queries)


def test_it_makes_as_many_queries_for_30_cases_as_for_3(login, employee, colleague, coordinator):
    _make_cases(3, employee, coordinator)
    three = _queries(login, coordinator)
    _make_cases(27, colleague, coordinator)
    assert _queries(login, coordinator) == three


# --- CSV ------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_it_downloads_a_table_as_csv(dataset, login, coordinator):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:statistics_csv"), {**PERIOD, "table": "months"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert _csv(response) == [["Month", "Cases"], ["Sep 2026", "2"], ["Oct 2026", "1"]]


@pytest.mark.parametrize(
    "table", ["months", "behaviours", "platforms", "teams", "first_contact", "peer_support", "adherence", "feedback"]
)
def test_it_downloads_every_table(dataset, login, hr, table):
    with time_machine.travel(NOW, tick=False):
        response = login(hr).get(reverse("exports:statistics_csv"), {**PERIOD, "table": table})
    assert response.status_code == 200 and len(_csv(response)) >= 2


def test_it_answers_404_for_an_unknown_table(login, coordinator):
    assert login(coordinator).get(reverse("exports:statistics_csv"), {"table": "users"}).status_code == 404


def test_it_defuses_formulas_in_csv_cells(login, coordinator):
    team = TeamFactory(name='=HYPERLINK("https://evil.example","click")')
    case_at(at("2026-09-10"), UserFactory(team=team), coordinator)
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:statistics_csv"), {**PERIOD, "table": "teams"})
    rows = _csv(response)
    assert rows[1][0] == "'" + team.name


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_it_prefixes_every_formula_start(text):
    assert safe_cell(text) == "'" + text


def test_it_leaves_numbers_and_plain_text_alone():
    assert (safe_cell(-3), safe_cell("Sep 2026")) == (-3, "Sep 2026")


def test_it_logs_a_csv_download(dataset, login, coordinator):
    with time_machine.travel(NOW, tick=False):
        login(coordinator).get(reverse("exports:statistics_csv"), {**PERIOD, "table": "months"})
    assert AccessLog.objects.filter(user=coordinator, action="export", object_kind="statistics_csv").count() == 1


# --- PDF ------------------------------------------------------------------------------


def test_it_renders_the_statistics_pdf(dataset, login, coordinator, tmp_path: Path):
    with time_machine.travel(NOW, tick=False):
        response = login(coordinator).get(reverse("exports:statistics_pdf"), PERIOD)
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "statistics.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Cases per month" in text and "Time from report to first contact" in text
    assert "Exported by Lotte Visser" in text and "CONFIDENTIAL" in text.upper()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5_000
    assert AccessLog.objects.filter(user=coordinator, action="export", object_kind="statistics_pdf").exists()


def test_it_refuses_a_pdf_for_a_bad_period(login, coordinator):
    response = login(coordinator).get(reverse("exports:statistics_pdf"), {"start": "x", "end": "2026-01-01"})
    assert response.status_code == 400


# --- Charts ---------------------------------------------------------------------------


def test_it_escapes_labels_in_a_chart():
    svg = bar_chart("t", "Cases <per> team", [("<script>alert(1)</script>", 3)], unit="Cases")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'role="img"' in svg


@pytest.mark.parametrize(("top", "expected"), [(0, 1.0), (3, 3.0), (7, 8.0), (23, 30.0), (180, 200.0)])
def test_it_rounds_the_axis_up(top, expected):
    assert nice_max(top)[0] == expected


def test_the_page_names_the_25_biggest_teams_and_the_csv_every_team():
    from exports.statistics import Bar, top_teams

    bars = [Bar(code=str(n), label=f"Team {n}", value=100 - n) for n in range(30)]

    shown = top_teams(bars)

    assert [bar.label for bar in shown[:25]] == [f"Team {n}" for n in range(25)]
    assert shown[25].code == "other"
    assert shown[25].value == sum(100 - n for n in range(25, 30))
    assert top_teams(bars[:25]) == bars[:25]


def test_the_teams_csv_lists_every_team_and_the_page_adds_up_the_rest(login, coordinator):
    for number in range(27):
        person = UserFactory(team=TeamFactory(name=f"Team {number:02d}"))
        case_at(at("2026-03-02"), person, coordinator)
    client = login(coordinator)
    query = "?start=2026-01-01&end=2026-12-31"

    page = client.get(reverse("exports:statistics") + query)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("exports:statistics_csv") + query + "&table=teams").content.decode("utf-8-sig")
            )
        )
    )

    assert len(page.context["tables"]["teams"].rows) == 26
    assert page.context["tables"]["teams"].rows[-1] == ["2 other teams", 2]
    assert len(rows) == 1 + 27
