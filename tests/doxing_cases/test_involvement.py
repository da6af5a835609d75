"""Involving people (recommendation 11): each gets their part, and loses it at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from doxing_cases.models import CaseEvent, Involvement, Part, Task
from doxing_cases.services import involvement, tasks
from people import access

pytestmark = pytest.mark.django_db


def involve(case, who, kind, actor):
    return involvement.involvement_start(actor=actor, case=case, user=who, kind=kind)


@pytest.mark.parametrize(
    ("who", "kind", "part"),
    [
        ("specialist", "specialist", access.ONLINE),
        ("security", "security", access.SECURITY),
        ("peer", "peer", access.PEER),
    ],
)
def test_it_gives_exactly_the_part_they_work_on(request, login, case, coordinator, who, kind, part):
    user = request.getfixturevalue(who)

    response = login(coordinator).post(reverse("cases:involvement_new", args=[case.pk, kind]), {"user": user.pk})

    assert response.status_code == 302
    assert access.case_parts(user, case) == {part}
    assert login(user).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_department_contact_needs_the_department_named(login, case, coordinator, hr):
    url = reverse("cases:involvement_new", args=[case.pk, "department"])

    refused = login(coordinator).post(url, {"user": hr.pk, "note": "Persvragen"})
    accepted = login(coordinator).post(url, {"user": hr.pk, "department": "Communicatie", "note": "Persvragen"})

    assert "department" in refused.context["form"].errors
    assert refused.context["form"]["note"].value() == "Persvragen"
    assert accepted.status_code == 302
    assert access.case_parts(hr, case) == {access.DEPARTMENT}


def test_ending_an_involvement_takes_access_away_at_once(login, case, coordinator, specialist):
    given = involve(case, specialist, "specialist", coordinator)
    client = login(specialist)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200

    login(coordinator).post(reverse("cases:involvement_end", args=[case.pk, given.pk]))

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    given.refresh_from_db()
    assert (given.ended_by, given.ended_at is not None) == (coordinator, True)


def test_ending_gives_open_tasks_back_to_the_coordinator(case, coordinator, specialist):
    given = involve(case, specialist, "specialist", coordinator)
    task = tasks.task_create(
        actor=coordinator, case=case, title="Scan", owner=specialist, due_at=timezone.now(), part=Part.ONLINE
    )

    involvement.involvement_end(actor=coordinator, involvement=given)

    task.refresh_from_db()
    assert task.owner == coordinator
    assert task.status == Task.Status.OPEN


def test_only_someone_with_the_role_can_be_involved(case, coordinator, employee, colleague):
    with pytest.raises(ValidationError):
        involve(case, colleague, "specialist", coordinator)
    with pytest.raises(ValidationError):
        involve(case, employee, "department", coordinator)


def test_the_form_offers_only_people_with_the_role(login, case, coordinator, specialist, security):
    response = login(coordinator).get(reverse("cases:involvement_new", args=[case.pk, "specialist"]))

    assert list(response.context["form"].fields["user"].queryset) == [specialist]


def test_nobody_is_involved_twice_at_once(case, coordinator, specialist):
    involve(case, specialist, "specialist", coordinator)

    with pytest.raises(ValidationError):
        involve(case, specialist, "specialist", coordinator)


def test_the_case_page_shows_who_is_involved_and_since_when(login, case, coordinator, specialist):
    involve(case, specialist, "specialist", coordinator)

    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert [item.user for item in response.context["involvements"]] == [specialist]
    assert timezone.localdate().strftime("%-d") in response.content.decode()


def test_only_the_coordinator_involves_people(login, case, coordinator, specialist, security):
    involve(case, specialist, "specialist", coordinator)
    url = reverse("cases:involvement_new", args=[case.pk, "security"])

    assert login(specialist).post(url, {"user": security.pk}).status_code == 404
    assert access.case_parts(security, case) == frozenset()


def test_an_outsider_cannot_see_the_involvement_page(login, case, coordinator2, specialist):
    assert login(coordinator2).get(reverse("cases:involvements", args=[case.pk])).status_code == 404
    assert login(specialist).get(reverse("cases:involvements", args=[case.pk])).status_code == 404


def test_ending_refuses_get(login, case, coordinator, specialist):
    given = involve(case, specialist, "specialist", coordinator)

    assert login(coordinator).get(reverse("cases:involvement_end", args=[case.pk, given.pk])).status_code == 405


def test_it_writes_history_and_timeline_lines(case, coordinator, security):
    given = involve(case, security, "security", coordinator)
    involvement.involvement_end(actor=coordinator, involvement=given)

    assert [row.history_user for row in Involvement.history.filter(id=given.pk)] == [coordinator, coordinator]
    events = case.events.filter(kind__in=[CaseEvent.Kind.INVOLVED, CaseEvent.Kind.INVOLVEMENT_ENDED])
    assert {(event.kind, event.part, event.obj) for event in events} == {
        (CaseEvent.Kind.INVOLVED, Part.SECURITY, given),
        (CaseEvent.Kind.INVOLVEMENT_ENDED, Part.SECURITY, given),
    }


def test_an_involved_person_sees_only_their_part_of_the_timeline(login, case, coordinator, specialist, security):
    involve(case, specialist, "specialist", coordinator)
    involve(case, security, "security", coordinator)
    from doxing_cases.services import case as case_services

    case_services.case_add_note(actor=coordinator, case=case, text="ZORGNOTITIE")

    seen = {event.part for event in login(specialist).get(reverse("cases:detail", args=[case.pk])).context["timeline"]}

    assert seen <= {Part.CASE, Part.ONLINE}
    page = login(specialist).get(reverse("cases:detail", args=[case.pk])).content
    assert b"ZORGNOTITIE" not in page
    assert case.reports.get().description.encode() not in page


def test_a_peer_supporter_sees_how_to_reach_the_employee(login, case, coordinator, peer):
    involve(case, peer, "peer", coordinator)

    response = login(peer).get(reverse("cases:detail", args=[case.pk]))

    assert b"06-11111111" in response.content
    assert case.reports.get().description.encode() not in response.content


def test_an_involvement_ends_even_after_the_clock_moves(case, coordinator, specialist):
    given = involve(case, specialist, "specialist", coordinator)

    involvement.involvement_end(actor=coordinator, involvement=given)
    involvement.involvement_end(actor=coordinator, involvement=given)

    assert given.__class__.objects.get(pk=given.pk).ended_at <= timezone.now() + timedelta(seconds=1)
    assert access.case_parts(specialist, case) == frozenset()
