"""The exposed-data inventory: the map of what leaked and where, that
evidence and takedown requests point at."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape

from doxing_cases.models import CaseEvent, ExposedItem, Level
from doxing_cases.services import involvement
from doxing_cases.services import online as services
from tests.factories import make_case

pytestmark = pytest.mark.django_db

Kind = ExposedItem.Kind
Status = ExposedItem.Status


@pytest.fixture
def involved_specialist(case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    return specialist


@pytest.fixture
def involved_security(case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    return security


@pytest.fixture
def item(case, coordinator) -> ExposedItem:
    return services.exposed_item_create(
        actor=coordinator,
        case=case,
        kind=Kind.HOME_ADDRESS,
        detail="Straat en huisnummer",
        platform="telegram",
        urls=["https://t.me/kanaal/12"],
        risk=Level.HIGH,
    )


def list_url(case) -> str:
    return reverse("cases:exposed", args=[case.pk])


def new_url(case) -> str:
    return reverse("cases:exposed_new", args=[case.pk])


def edit_url(item: ExposedItem) -> str:
    return reverse("cases:exposed_edit", args=[item.case_id, item.pk])


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": Kind.LICENCE_PLATE,
        "detail": "Kenteken van de eigen auto",
        "platform": "facebook",
        "urls": "https://facebook.com/groups/x/posts/1\nfacebook.com/groups/x/posts/2",
        "found_at": "2026-11-19T08:30",
        "risk": "2",
    }
    data.update(overrides)
    return data


# --- Who may see and change the inventory ----------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "involved_specialist"])
def test_it_opens_every_inventory_page_for_those_who_work_on_it(request, login, case, item, who):
    client = login(request.getfixturevalue(who))

    answers = {url: client.get(url).status_code for url in (list_url(case), new_url(case), edit_url(item))}

    assert set(answers.values()) == {200}, answers


def test_the_security_officer_sees_the_inventory_read_only(login, case, item, involved_security):
    client = login(involved_security)

    response = client.get(list_url(case))

    assert response.status_code == 200
    assert b"Straat en huisnummer" in response.content
    assert edit_url(item).encode() not in response.content
    assert new_url(case).encode() not in response.content
    assert client.get(new_url(case)).status_code == 404
    assert client.get(edit_url(item)).status_code == 404
    assert client.post(new_url(case), form_data()).status_code == 404


@pytest.mark.parametrize(
    "who",
    ["specialist", "security", "employee", "manager", "colleague", "coordinator2", "peer", "hr", "privacy", "admin"],
)
def test_others_get_404_on_every_inventory_page(request, login, case, item, who):
    client = login(request.getfixturevalue(who))

    answers = {url: client.get(url).status_code for url in (list_url(case), new_url(case), edit_url(item))}

    assert set(answers.values()) == {404}, answers


def test_a_specialist_whose_involvement_ended_gets_404_on_the_next_request(login, case, item, coordinator, specialist):
    started = involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    client = login(specialist)
    assert client.get(list_url(case)).status_code == 200

    involvement.involvement_end(actor=coordinator, involvement=started)

    assert client.get(list_url(case)).status_code == 404
    assert client.post(edit_url(item), form_data(status="removed")).status_code == 404
    item.refresh_from_db()
    assert item.status == Status.ONLINE


def test_an_item_of_another_case_is_not_reachable_through_this_case(login, case, coordinator, colleague):
    other = make_case(colleague, coordinator=coordinator)
    foreign = services.exposed_item_create(actor=coordinator, case=other, kind=Kind.PHONE)

    url = reverse("cases:exposed_edit", args=[case.pk, foreign.pk])

    assert login(coordinator).get(url).status_code == 404


def test_the_list_refuses_post(login, case, coordinator):
    assert login(coordinator).post(list_url(case)).status_code == 405


def test_the_service_refuses_the_security_officer(case, involved_security):
    with pytest.raises(PermissionDenied):
        services.exposed_item_create(actor=involved_security, case=case, kind=Kind.PHONE)


# --- Adding and changing -----------------------------------------------------------------------------


def test_the_specialist_adds_exposed_data(login, case, involved_specialist):
    response = login(involved_specialist).post(new_url(case), form_data())

    item = ExposedItem.objects.get()
    assert response.status_code == 302
    assert (item.kind, item.platform, item.risk) == (Kind.LICENCE_PLATE, "facebook", Level.MEDIUM)
    assert item.urls == ["https://facebook.com/groups/x/posts/1", "https://facebook.com/groups/x/posts/2"]
    assert item.created_by == involved_specialist
    assert item.status == Status.ONLINE


def test_adding_writes_an_online_timeline_line_with_the_actor_in_the_history(login, case, involved_specialist):
    login(involved_specialist).post(new_url(case), form_data())

    item = ExposedItem.objects.get()
    event = case.events.get(kind=CaseEvent.Kind.EXPOSED_ITEM)
    assert (event.actor, event.action, event.part, event.obj) == (involved_specialist, "added", "online", item)
    assert item.history.get().history_user == involved_specialist


def test_it_keeps_every_answer_when_a_link_is_wrong(login, case, coordinator):
    response = login(coordinator).post(new_url(case), form_data(urls="dit is geen adres"))

    form = response.context["form"]
    assert response.status_code == 200
    assert "urls" in form.errors
    assert form["detail"].value() == "Kenteken van de eigen auto"
    assert form["kind"].value() == Kind.LICENCE_PLATE
    assert ExposedItem.objects.count() == 0


def test_it_refuses_a_moment_in_the_future(login, case, coordinator):
    response = login(coordinator).post(new_url(case), form_data(found_at="2099-01-01T10:00"))

    assert "found_at" in response.context["form"].errors


def test_the_edit_form_starts_with_the_items_answers(login, case, coordinator, item):
    form = login(coordinator).get(edit_url(item)).context["form"]

    assert form["detail"].value() == "Straat en huisnummer"
    assert form["urls"].value() == "https://t.me/kanaal/12"
    assert form["status"].value() == Status.ONLINE


def test_a_status_change_gets_its_own_timeline_line(login, case, coordinator, item):
    data = form_data(kind=item.kind, detail=item.detail, platform=item.platform, urls=item.urls[0], risk="3")

    login(coordinator).post(edit_url(item), {**data, "status": Status.REMOVED})

    item.refresh_from_db()
    event = case.events.filter(kind=CaseEvent.Kind.EXPOSED_ITEM, action="changed").exclude(new_value="").get()
    assert item.status == Status.REMOVED
    assert (event.old_value, event.new_value, event.shown_to_employee) == ("online", "removed", True)


def test_changing_details_and_status_records_both_with_the_actor(case, involved_specialist, item):
    services.exposed_item_update(
        actor=involved_specialist,
        item=item,
        kind=item.kind,
        detail="Alleen de straat",
        platform=item.platform,
        urls=item.urls,
        risk=item.risk,
        status=Status.ARCHIVED,
    )

    item.refresh_from_db()
    changes = case.events.filter(kind=CaseEvent.Kind.EXPOSED_ITEM, action="changed").order_by("pk")
    assert [event.new_value for event in changes] == ["", "archived"]
    assert [row.history_user for row in item.history.order_by("history_id")] == [
        item.created_by,
        involved_specialist,
        involved_specialist,
    ]


def test_an_unchanged_form_writes_nothing(case, coordinator, item):
    services.exposed_item_update(
        actor=coordinator,
        item=item,
        kind=item.kind,
        detail=item.detail,
        platform=item.platform,
        urls=item.urls,
        found_at=item.found_at,
        risk=item.risk,
        status=item.status,
    )

    assert case.events.filter(kind=CaseEvent.Kind.EXPOSED_ITEM).count() == 1
    assert item.history.count() == 1


def test_the_employee_sees_on_their_own_page_that_data_was_removed(login, case, coordinator, employee, item):
    services.exposed_item_update(
        actor=coordinator,
        item=item,
        kind=item.kind,
        detail=item.detail,
        platform=item.platform,
        urls=item.urls,
        risk=item.risk,
        status=Status.REMOVED,
    )

    response = login(employee).get(reverse("cases:my_case", args=[case.pk]))

    assert "recorded that “Home address” was removed from the internet." in response.content.decode()
    assert b"Straat en huisnummer" not in response.content


def test_the_employee_does_not_see_data_being_added(login, case, employee, item):
    response = login(employee).get(reverse("cases:my_case", args=[case.pk]))

    assert "to the exposed data" not in response.content.decode()


def test_the_timeline_reads_as_sentences(login, case, coordinator, item):
    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert f"{escape(coordinator.display_name)} added “Home address” to the exposed data." in response.content.decode()


def test_the_list_shows_the_highest_risk_first(login, case, coordinator, item):
    services.exposed_item_create(actor=coordinator, case=case, kind=Kind.NAME, risk=Level.LOW)

    items = login(coordinator).get(list_url(case)).context["items"]

    assert [row.kind for row in items] == [Kind.HOME_ADDRESS, Kind.NAME]
