"""The organisation's readiness (recommendations 5, 6, 7) and the peer-support roster."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doxing_cases.selectors import involvement as involvement_selectors
from people.models import RosterEntry
from prevention.models import ReadinessItem
from prevention.selectors.readiness import readiness
from prevention.services import readiness as services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def keys(items) -> set[str]:
    return {item.key for item in items}


def test_an_empty_organisation_misses_everything():
    result = readiness()

    assert result.score == 0
    assert keys(result.missing) == {"coordinator", "roster", *ReadinessItem.Key.values}


def test_a_named_coordinator_and_an_available_peer_count_by_themselves(coordinator, peer):
    services.roster_set(actor=coordinator, user=peer, available=True)

    result = readiness()

    assert {"coordinator", "roster"}.isdisjoint(keys(result.missing))
    assert result.score == round(100 * 2 / 7)


def test_a_peer_who_cannot_be_asked_now_does_not_count(coordinator, peer):
    services.roster_set(actor=coordinator, user=peer, available=False)

    assert "roster" in keys(readiness().missing)


def test_everything_arranged_scores_100(coordinator, peer):
    services.roster_set(actor=coordinator, user=peer, available=True)
    for key in ReadinessItem.Key.values:
        services.readiness_item_set(actor=coordinator, key=key, done=True, note="Geregeld")

    result = readiness()

    assert (result.score, result.missing) == (100, [])


def test_an_item_marked_arranged_needs_to_say_how(login, coordinator):
    response = login(coordinator).post(reverse("prevention:readiness_item", args=["professional_care"]), {"done": "on"})

    assert "note" in response.context["form"].errors
    assert not ReadinessItem.objects.filter(done=True).exists()


def test_the_dashboard_shows_the_score_and_what_is_missing(login, coordinator):
    services.readiness_item_set(actor=coordinator, key="takedown", done=True, note="Via de specialist")

    page = login(coordinator).get(reverse("cases:dashboard")).content.decode()

    assert "Readiness: 29%" in page  # a coordinator is named, and one item is arranged: 2 of 7
    assert "Professional care is arranged for serious complaints" in page
    assert "We know how to have content traced" not in page


def test_readiness_is_for_coordinators(login, manager, employee, hr):
    for user in (manager, employee, hr):
        assert login(user).get(reverse("prevention:readiness")).status_code == 404
        assert login(user).post(reverse("prevention:roster_add"), {"user": 1}).status_code == 404


def test_the_coordinator_keeps_the_roster(login, coordinator, peer):
    login(coordinator).post(reverse("prevention:roster_add"), {"user": peer.pk, "note": "Niet op vrijdag"})

    entry = RosterEntry.objects.get()
    assert (entry.user, entry.available, entry.note) == (peer, True, "Niet op vrijdag")
    assert entry.history.get().history_user == coordinator


def test_a_peer_supporter_says_when_they_cannot_be_asked(login, coordinator, peer):
    services.roster_set(actor=coordinator, user=peer, available=True)

    login(peer).post(reverse("prevention:my_availability"), {"note": "Met verlof"})

    assert RosterEntry.objects.get().available is False


def test_only_peer_supporters_go_on_the_roster(coordinator, employee):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.roster_set(actor=coordinator, user=employee, available=True)


def test_involving_a_peer_supporter_offers_the_roster(case, coordinator, peer):
    busy = UserFactory(username="peer2", roles=["peer_supporter"])
    services.roster_set(actor=coordinator, user=peer, available=True)
    services.roster_set(actor=coordinator, user=busy, available=False)

    assert list(involvement_selectors.candidates(case, "peer")) == [peer]


def test_without_a_roster_every_peer_supporter_can_be_involved(case, peer):
    assert list(involvement_selectors.candidates(case, "peer")) == [peer]
