"""The briefing risk check (recommendation 2)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from prevention.models import Deployment
from prevention.services import briefings as services
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = dt.date(2026, 3, 2)
YES, NO, UNKNOWN = "yes", "no", "unknown"
High, Medium, Low = Deployment.Risk.HIGH, Deployment.Risk.MEDIUM, Deployment.Risk.LOW


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False):
        yield


def answers(**overrides: str) -> dict[str, str]:
    given = dict.fromkeys(services.QUESTIONS, NO)
    given.update(overrides)
    return given


def check(actor, team, *, title="Demonstratie Malieveld", held_on=TODAY + dt.timedelta(days=5), **overrides):
    return services.deployment_check(
        actor=actor, title=title, held_on=held_on, team=team, location="Den Haag", **answers(**overrides)
    )


def form_data(team, **overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Ontruiming kraakpand",
        "held_on": "2026-03-10",
        "team": team.pk,
        "location": "Utrecht",
        **answers(),
    }
    data.update(overrides)
    return data


def advice_keys(given: dict[str, str]) -> list[str]:
    return [item.key for item in services.assess(given)[1]]


# --- The rule ----------------------------------------------------------------------------


def test_it_rates_earlier_incidents_alone_high():
    assert services.assess(answers(earlier_incidents=YES))[0] == High


def test_it_rates_two_signals_high():
    assert services.assess(answers(public_attention=YES, staff_recognisable=YES))[0] == High


def test_it_rates_one_signal_medium():
    assert services.assess(answers(filming_expected=YES))[0] == Medium


def test_it_rates_two_unknowns_medium():
    assert services.assess(answers(social_unrest=UNKNOWN, earlier_incidents=UNKNOWN))[0] == Medium


def test_it_rates_no_signal_and_one_unknown_low():
    assert services.assess(answers(public_attention=UNKNOWN))[0] == Low


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("public_attention", ["press", "own_social_media"]),
        ("filming_expected", ["cameras", "tell_when_filmed"]),
        ("earlier_incidents", ["share_earlier", "watch_online", "peer_support_ready"]),
        ("social_unrest", ["expert_in_briefing", "own_social_media"]),
        ("staff_recognisable", ["name_tags", "vehicles", "own_social_media"]),
    ],
)
def test_it_gives_the_advice_that_follows_from_each_yes(question, expected):
    assert advice_keys(answers(**{question: YES})) == [*expected, "report_afterwards", "peer_support"]


def test_it_gives_each_advice_once_when_signals_share_it():
    keys = advice_keys(answers(public_attention=YES, social_unrest=YES, staff_recognisable=YES))

    assert keys.count("own_social_media") == 1


def test_it_always_advises_reporting_afterwards_and_peer_support():
    assert advice_keys(answers()) == ["report_afterwards", "peer_support"]


def test_it_asks_to_find_out_what_is_not_known():
    assert "find_out" in advice_keys(answers(filming_expected=UNKNOWN))


def test_it_explains_a_high_risk_by_the_signals_present():
    with translation.override("en"):
        reasons = services.explain(answers(public_attention=YES, filming_expected=YES))

    assert reasons == [
        "2 signals are present: public or media attention, staff filmed or photographed. "
        "Two or more together make the risk high."
    ]


# --- Pages -------------------------------------------------------------------------------


def test_it_saves_a_check_and_shows_the_risk_the_reasons_and_the_advice(login, manager, team):
    client = login(manager)

    response = client.post(reverse("prevention:briefing_new"), form_data(team, earlier_incidents=YES))
    page = client.get(response["Location"]).content.decode()

    deployment = Deployment.objects.get()
    assert response["Location"] == reverse("prevention:briefing", args=[deployment.pk])
    assert (deployment.risk, deployment.created_by) == (High, manager)
    assert "That alone makes the risk high." in page
    assert str(services.ADVICE["watch_online"]) in page


def test_it_keeps_the_answers_when_the_date_has_passed(login, manager, team):
    response = login(manager).post(
        reverse("prevention:briefing_new"), form_data(team, held_on="2026-03-01", social_unrest=YES)
    )

    form = response.context["form"]
    assert "held_on" in form.errors
    assert form["social_unrest"].value() == YES
    assert not Deployment.objects.exists()


def test_it_lists_upcoming_deployments_by_risk_then_date(login, manager, team):
    check(manager, team, title="Later, hoog", held_on=TODAY + dt.timedelta(days=9), earlier_incidents=YES)
    check(manager, team, title="Vroeg, laag", held_on=TODAY + dt.timedelta(days=1))
    check(manager, team, title="Vroeg, hoog", held_on=TODAY + dt.timedelta(days=2), earlier_incidents=YES)
    check(manager, team, title="Midden", held_on=TODAY, filming_expected=YES)

    upcoming = login(manager).get(reverse("prevention:briefings")).context["upcoming"]

    assert [item.title for item in upcoming] == ["Vroeg, hoog", "Later, hoog", "Midden", "Vroeg, laag"]


def test_it_lists_past_deployments_apart(login, manager, team):
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, 0, tzinfo=AMSTERDAM), tick=False):
        check(manager, team, title="Voorbij", held_on=dt.date(2026, 2, 10), earlier_incidents=YES)
    check(manager, team, title="Komt nog")

    context = login(manager).get(reverse("prevention:briefings")).context

    assert [item.title for item in context["upcoming"]] == ["Komt nog"]
    assert [item.title for item in context["past"]] == ["Voorbij"]


def test_it_marks_a_deployment_discussed_in_the_briefing(login, manager, team):
    deployment = check(manager, team)

    response = login(manager).post(reverse("prevention:briefing_discussed", args=[deployment.pk]))

    deployment.refresh_from_db()
    assert response.status_code == 302
    assert deployment.discussed_in_briefing


def test_it_refuses_a_get_on_marking_discussed(login, manager, team):
    deployment = check(manager, team)

    assert login(manager).get(reverse("prevention:briefing_discussed", args=[deployment.pk])).status_code == 405


def test_it_writes_history_with_the_actor(login, manager, team):
    deployment = check(manager, team)
    login(manager).post(reverse("prevention:briefing_discussed", args=[deployment.pk]))

    assert [row.history_user for row in deployment.history.order_by("history_id")] == [manager, manager]


def test_its_list_query_count_does_not_grow_with_the_deployments(
    login, coordinator, team, other_team, django_assert_max_num_queries
):
    client = login(coordinator)
    check(coordinator, team)
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, 0, tzinfo=AMSTERDAM), tick=False):
        check(coordinator, team, held_on=dt.date(2026, 2, 10))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("prevention:briefings"))
    for number in range(15):
        check(coordinator, TeamFactory(), title=f"Inzet {number}", held_on=TODAY + dt.timedelta(days=number))
        check(coordinator, other_team, title=f"Inzet b{number}", earlier_incidents=YES)

    with django_assert_max_num_queries(len(few)):
        client.get(reverse("prevention:briefings"))


# --- Access ------------------------------------------------------------------------------


def test_it_shows_a_manager_the_deployments_of_their_own_team_only(login, manager, manager2, team, other_team):
    own, other = check(manager, team, title="Eigen team"), check(manager2, other_team, title="Ander team")
    client = login(manager)

    assert client.get(reverse("prevention:briefing", args=[own.pk])).status_code == 200
    assert client.get(reverse("prevention:briefing", args=[other.pk])).status_code == 404
    assert client.post(reverse("prevention:briefing_discussed", args=[other.pk])).status_code == 404
    assert [item.title for item in client.get(reverse("prevention:briefings")).context["upcoming"]] == ["Eigen team"]


def test_it_offers_a_manager_only_their_own_teams(login, manager, team, other_team):
    client = login(manager)

    offered = list(client.get(reverse("prevention:briefing_new")).context["form"].fields["team"].queryset)
    response = client.post(reverse("prevention:briefing_new"), form_data(other_team))

    assert offered == [team]
    assert "team" in response.context["form"].errors
    assert not Deployment.objects.exists()


def test_it_refuses_in_the_service_a_team_the_manager_does_not_lead(manager, other_team):
    with pytest.raises(PermissionDenied):
        check(manager, other_team)


def test_it_lets_a_coordinator_check_and_see_every_team(login, coordinator, manager, team, other_team):
    check(manager, team, title="Eigen team")
    client = login(coordinator)

    response = client.post(reverse("prevention:briefing_new"), form_data(other_team))

    assert response.status_code == 302
    listed = {item.title for item in client.get(reverse("prevention:briefings")).context["upcoming"]}
    assert listed == {"Eigen team", "Ontruiming kraakpand"}


def test_it_answers_404_to_an_employee(login, employee, manager, team):
    deployment = check(manager, team)
    client = login(employee)

    assert [
        client.get(reverse("prevention:briefings")).status_code,
        client.get(reverse("prevention:briefing_new")).status_code,
        client.get(reverse("prevention:briefing", args=[deployment.pk])).status_code,
        client.post(reverse("prevention:briefing_discussed", args=[deployment.pk])).status_code,
    ] == [404, 404, 404, 404]
