"""The debriefing log (recommendation 4): that a team talked the work over, and about what."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from prevention.models import Debrief
from prevention.services.debriefs import debrief_record

pytestmark = pytest.mark.django_db

LIST = reverse("prevention:debriefs")
NEW = reverse("prevention:debrief_new")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def form(team, **overrides) -> dict:
    return {"team": team.pk, "held_on": "2026-11-20", "topics": ["line", "online"], "note": "", **overrides}


def test_a_manager_records_a_debrief_for_their_team(login, manager, team):
    response = login(manager).post(NEW, form(team, note="Afspraken over filmen bij inzetten"))

    debrief = Debrief.objects.get()
    assert response.status_code == 302
    assert (debrief.team, debrief.held_on, debrief.recorded_by) == (team, dt.date(2026, 11, 20), manager)
    assert debrief.topics == ["line", "online"]


def test_recording_a_debrief_writes_history_with_the_actor(login, manager, team):
    login(manager).post(NEW, form(team))

    assert Debrief.history.get().history_user == manager


def test_a_manager_cannot_record_for_another_team(login, manager, other_team):
    response = login(manager).post(NEW, form(other_team))

    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert not Debrief.objects.exists()


def test_it_needs_at_least_one_topic(login, manager, team):
    response = login(manager).post(NEW, form(team, topics=[]))

    assert "topics" in response.context["form"].errors


def test_it_refuses_a_debrief_in_the_future(login, manager, team):
    response = login(manager).post(NEW, form(team, held_on="2026-11-22"))

    assert "held_on" in response.context["form"].errors
    assert not Debrief.objects.exists()


def test_the_page_asks_for_no_names_or_personal_details(login, manager):
    page = login(manager).get(NEW).content.decode()

    assert "No names and no personal details" in page


def test_a_manager_reads_only_their_own_teams_debriefs(login, manager, manager2, team, other_team):
    debrief_record(actor=manager, team=team, held_on=dt.date(2026, 11, 2), topics=["filmed"], note="Eigen team")
    debrief_record(actor=manager2, team=other_team, held_on=dt.date(2026, 11, 3), topics=["online"], note="Ander team")

    page = login(manager).get(LIST).content.decode()

    assert "Eigen team" in page
    assert "Ander team" not in page


def test_a_coordinator_reads_every_team_newest_first(login, coordinator, manager, manager2, team, other_team):
    older = debrief_record(actor=manager, team=team, held_on=dt.date(2026, 10, 1), topics=["filmed"])
    newer = debrief_record(actor=manager2, team=other_team, held_on=dt.date(2026, 11, 1), topics=["online"])

    response = login(coordinator).get(LIST)

    assert list(response.context["page"].object_list) == [newer, older]


def test_a_coordinator_filters_by_team(login, coordinator, manager, manager2, team, other_team):
    ours = debrief_record(actor=manager, team=team, held_on=dt.date(2026, 10, 1), topics=["filmed"])
    debrief_record(actor=manager2, team=other_team, held_on=dt.date(2026, 11, 1), topics=["online"])

    response = login(coordinator).get(LIST, {"team": team.pk})

    assert list(response.context["page"].object_list) == [ours]


def test_it_shows_the_topics_by_name(login, manager, team):
    debrief_record(actor=manager, team=team, held_on=dt.date(2026, 11, 2), topics=["aggression"])

    page = login(manager).get(LIST).content.decode()

    assert "Aggression and threats" in page


@pytest.mark.parametrize("role", ["colleague", "employee", "hr"])
def test_others_get_404(login, request, role):
    client = login(request.getfixturevalue(role))

    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404


def test_the_list_refuses_a_post(login, manager):
    assert login(manager).post(LIST).status_code == 405
