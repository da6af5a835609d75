"""Takedown requests (recommendations 6 and 20): one per web address, a text
ready to send, the answer, and a follow-up task when no answer comes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from doxing_cases import takedown_text
from doxing_cases import tasks as celery_tasks
from doxing_cases.models import CaseEvent, ExposedItem, TakedownRequest, Task
from doxing_cases.services import involvement
from doxing_cases.services import online as services
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

Route = TakedownRequest.Route
Status = TakedownRequest.Status
URL = "https://t.me/kanaal/12"


@pytest.fixture
def involved_specialist(case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    return specialist


@pytest.fixture
def other_specialist(db):
    """A specialist not involved in the case (``specialist`` is, through ``pending``)."""
    return UserFactory(username="specialist2", roles=["specialist"])


@pytest.fixture
def involved_security(case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    return security


@pytest.fixture
def item(case, coordinator) -> ExposedItem:
    return services.exposed_item_create(
        actor=coordinator, case=case, kind=ExposedItem.Kind.HOME_ADDRESS, detail="Kerkstraat 12, Teststad", urls=[URL]
    )


@pytest.fixture
def draft(case, coordinator, item) -> TakedownRequest:
    return services.takedown_create(
        actor=coordinator, case=case, url=URL, route=Route.DSA, recipient="Telegram", exposed_item=item
    )


@pytest.fixture
def pending(case, involved_specialist, item) -> TakedownRequest:
    takedown = services.takedown_create(
        actor=involved_specialist, case=case, url=URL + "/2", route=Route.NTD, exposed_item=item
    )
    return services.takedown_record_sending(
        actor=involved_specialist, takedown=takedown, sent_on=timezone.localdate(), sent_by=involved_specialist
    )


def url(name: str, takedown: TakedownRequest) -> str:
    return reverse(f"cases:{name}", args=[takedown.case_id, takedown.pk])


def takedown_pages(case, draft, pending) -> list[str]:
    return [
        reverse("cases:takedowns", args=[case.pk]),
        reverse("cases:takedown_new", args=[case.pk]),
        url("takedown_send", draft),
        url("takedown_answer", pending),
        url("takedown_text", draft),
    ]


# --- Who may see and change takedown requests ---------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "involved_specialist"])
def test_it_opens_every_takedown_page_for_those_who_work_on_it(request, login, case, draft, pending, who):
    client = login(request.getfixturevalue(who))

    answers = {page: client.get(page).status_code for page in takedown_pages(case, draft, pending)}

    assert set(answers.values()) == {200}, answers


@pytest.mark.parametrize(
    "who",
    [
        "other_specialist",
        "involved_security",
        "employee",
        "manager",
        "colleague",
        "coordinator2",
        "peer",
        "hr",
        "privacy",
        "admin",
    ],
)
def test_others_get_404_on_every_takedown_page(request, login, case, draft, pending, who):
    client = login(request.getfixturevalue(who))

    answers = {page: client.get(page).status_code for page in takedown_pages(case, draft, pending)}

    assert set(answers.values()) == {404}, answers


def test_a_specialist_whose_involvement_ended_gets_404_on_the_next_request(login, case, coordinator, specialist, draft):
    started = involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    client = login(specialist)
    assert client.get(url("takedown_text", draft)).status_code == 200

    involvement.involvement_end(actor=coordinator, involvement=started)

    assert client.get(url("takedown_text", draft)).status_code == 404
    assert client.post(url("takedown_send", draft), {"sent_on": "2026-11-01"}).status_code == 404


def test_the_list_and_the_text_refuse_post(login, case, coordinator, draft):
    client = login(coordinator)

    assert client.post(reverse("cases:takedowns", args=[case.pk])).status_code == 405
    assert client.post(url("takedown_text", draft)).status_code == 405


# --- Drafting, sending, answering -----------------------------------------------------------------


def test_it_drafts_a_request_and_shows_its_text(login, case, involved_specialist, item):
    response = login(involved_specialist).post(
        reverse("cases:takedown_new", args=[case.pk]),
        {"url": URL, "route": Route.DSA, "recipient": "Telegram", "exposed_item": item.pk},
    )

    takedown = TakedownRequest.objects.get()
    assert response["Location"] == url("takedown_text", takedown)
    assert (takedown.status, takedown.created_by, takedown.url_normalized) == (
        Status.DRAFT,
        involved_specialist,
        "t.me/kanaal/12",
    )
    event = case.events.get(kind=CaseEvent.Kind.TAKEDOWN)
    assert (event.actor, event.part, event.new_value) == (involved_specialist, "online", "draft")


def test_a_request_started_from_the_inventory_comes_with_its_link(login, case, coordinator, item):
    form = login(coordinator).get(reverse("cases:takedown_new", args=[case.pk]), {"item": item.pk}).context["form"]

    assert form["url"].value() == URL
    assert form["exposed_item"].value() == item.pk


def test_it_keeps_the_answers_when_the_route_is_missing(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:takedown_new", args=[case.pk]), {"url": URL, "recipient": "Telegram"}
    )

    form = response.context["form"]
    assert "route" in form.errors
    assert (form["url"].value(), form["recipient"].value()) == (URL, "Telegram")


def test_recording_the_sending_sets_the_deadline_14_days_later(login, case, involved_specialist, draft):
    response = login(involved_specialist).post(
        url("takedown_send", draft),
        {"recipient": "Telegram FZ-LLC", "sent_on": "2026-11-02", "sent_by": involved_specialist.pk},
    )

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Status.PENDING
    assert (draft.sent_by, draft.recipient) == (involved_specialist, "Telegram FZ-LLC")
    assert draft.answer_due == draft.sent_on + timedelta(days=14)


def test_the_send_form_proposes_today_and_the_person_filling_it_in(login, case, involved_specialist, draft):
    form = login(involved_specialist).get(url("takedown_send", draft)).context["form"]

    assert form["sent_on"].value() == timezone.localdate()
    assert form["sent_by"].value() == involved_specialist.pk


def test_sending_marks_the_exposed_data_as_removal_requested(case, coordinator, draft, item):
    services.takedown_record_sending(
        actor=coordinator, takedown=draft, sent_on=timezone.localdate(), sent_by=coordinator
    )

    item.refresh_from_db()
    assert item.status == ExposedItem.Status.REMOVAL_REQUESTED


def test_a_removed_answer_marks_the_exposed_data_removed_for_the_employee_to_see(
    login, case, involved_specialist, employee, pending, item
):
    response = login(involved_specialist).post(
        url("takedown_answer", pending), {"status": Status.REMOVED, "answer": "Verwijderd.", "answered_on": ""}
    )

    pending.refresh_from_db()
    item.refresh_from_db()
    assert response.status_code == 302
    assert (pending.status, pending.answered_on) == (Status.REMOVED, timezone.localdate())
    assert item.status == ExposedItem.Status.REMOVED
    own_page = login(employee).get(reverse("cases:my_case", args=[case.pk])).content.decode()
    assert "recorded that “Home address” was removed from the internet." in own_page


def test_a_refusal_leaves_the_exposed_data_as_it_was(case, involved_specialist, pending, item):
    services.takedown_record_answer(actor=involved_specialist, takedown=pending, status=Status.REFUSED)

    item.refresh_from_db()
    assert item.status == ExposedItem.Status.REMOVAL_REQUESTED


def test_a_draft_cannot_get_an_answer(case, coordinator, draft):
    with pytest.raises(ValidationError):
        services.takedown_record_answer(actor=coordinator, takedown=draft, status=Status.REMOVED)


def test_the_answer_page_of_a_draft_sends_you_back_to_the_list(login, case, coordinator, draft):
    response = login(coordinator).get(url("takedown_answer", draft))

    assert response["Location"] == reverse("cases:takedowns", args=[case.pk])


def test_every_step_records_its_actor_in_the_history(case, coordinator, involved_specialist, draft):
    services.takedown_record_sending(
        actor=involved_specialist, takedown=draft, sent_on=timezone.localdate(), sent_by=involved_specialist
    )
    services.takedown_record_answer(actor=coordinator, takedown=draft, status=Status.NO_ANSWER)

    users = [row.history_user for row in draft.history.order_by("history_id")]
    assert users == [coordinator, involved_specialist, coordinator]


def test_the_list_marks_an_overdue_request(login, case, coordinator, pending):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = login(coordinator).get(reverse("cases:takedowns", args=[case.pk]))

    assert [row.is_overdue for row in response.context["takedowns"]] == [True]
    assert b"overdue" in response.content


# --- The follow-up task --------------------------------------------------------------------------------


def test_no_follow_up_while_the_answer_day_has_not_passed(case, pending):
    with time_machine.travel(timezone.now() + timedelta(days=14)):
        assert services.takedowns_create_follow_ups() == 0

    assert not Task.objects.exists()


def test_a_follow_up_task_appears_once_the_deadline_passed(case, involved_specialist, pending):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        made = services.takedowns_create_follow_ups()

    task = Task.objects.get()
    assert made == 1
    assert (task.owner, task.kind, task.part, task.case) == (
        involved_specialist,
        Task.Kind.TAKEDOWN_FOLLOW_UP,
        "online",
        case,
    )
    assert task.key == f"takedown-follow-up:{pending.pk}"
    assert task.is_open


def test_the_follow_up_is_made_only_once(case, pending):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        first = services.takedowns_create_follow_ups()
        second = services.takedowns_create_follow_ups()

    assert (first, second) == (1, 0)
    assert Task.objects.count() == 1


def test_the_follow_up_goes_to_the_coordinator_when_the_sender_left_the_case(
    case, coordinator, involved_specialist, pending
):
    involvement.involvement_end(actor=coordinator, involvement=case.involvements.get(user=involved_specialist))

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        services.takedowns_create_follow_ups()

    assert Task.objects.get().owner == coordinator


def test_recording_the_answer_cancels_the_follow_up(login, case, involved_specialist, pending):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        services.takedowns_create_follow_ups()
        login(involved_specialist).post(url("takedown_answer", pending), {"status": Status.NO_ANSWER})

    assert Task.objects.get().status == Task.Status.CANCELLED


def test_answering_one_request_leaves_the_follow_up_of_another(case, involved_specialist, pending, item):
    other = services.takedown_create(actor=involved_specialist, case=case, url=URL + "/3", route=Route.OTHER)
    services.takedown_record_sending(
        actor=involved_specialist, takedown=other, sent_on=timezone.localdate(), sent_by=involved_specialist
    )
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        services.takedowns_create_follow_ups()
        services.takedown_record_answer(actor=involved_specialist, takedown=pending, status=Status.REMOVED)

    statuses = dict(Task.objects.values_list("key", "status"))
    assert statuses == {f"takedown-follow-up:{pending.pk}": "cancelled", f"takedown-follow-up:{other.pk}": "open"}


def test_the_celery_task_makes_the_follow_ups(case, pending):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        made = celery_tasks.create_takedown_follow_ups.apply().get()

    assert made == 1
    assert Task.objects.filter(kind=Task.Kind.TAKEDOWN_FOLLOW_UP).count() == 1


def test_beat_runs_the_follow_ups_every_15_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["create-takedown-follow-ups"]

    assert entry == {"task": "doxing_cases.tasks.create_takedown_follow_ups", "schedule": 900.0}


# --- The request text ------------------------------------------------------------------------------------

CANARY = "Kerkstraat 12"


@pytest.fixture
def canary_case(employee, manager, coordinator):
    case = make_case(employee, coordinator=coordinator, description=f"Mijn adres {CANARY} staat op Telegram.")
    organisation = employee.team.organisation
    organisation.address = "Stadhuisplein 1\n1234 AB Teststad"
    organisation.save()
    return case


@pytest.fixture
def canary_takedown(canary_case, coordinator):
    item = services.exposed_item_create(
        actor=coordinator, case=canary_case, kind=ExposedItem.Kind.HOME_ADDRESS, detail=f"{CANARY}, Teststad"
    )
    return services.takedown_create(
        actor=coordinator, case=canary_case, url=URL, route=Route.DSA, recipient="Telegram", exposed_item=item
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_text_names_the_link_and_the_organisation_but_not_the_employee(
    login, canary_takedown, coordinator, employee, lang
):
    response = login(coordinator).get(url("takedown_text", canary_takedown), {"lang": lang})

    text = response.context["text"]
    assert response.context["lang"] == lang
    assert URL in text
    assert "Gemeente Teststad" in text
    assert "Stadhuisplein 1" in text
    assert "0800-0000000" in text
    assert "285d" in text
    for private in (CANARY, employee.first_name, employee.last_name, "06-11111111", employee.email):
        assert private not in text
    assert CANARY not in response.content.decode()


def test_the_text_names_the_kind_of_data_and_the_legal_frame(canary_takedown):
    text = takedown_text.draft(canary_takedown, organisation=None, lang="en")

    assert "personal data (home address)" in text
    assert "Article 16 of the Digital Services Act" in text
    assert "1 January 2024" in text
    assert "confirm to us when it is removed" in text


@pytest.mark.parametrize(
    ("route", "words"),
    [(Route.NTD, "notice-and-takedown"), (Route.PROCOM, "ProCoM"), (Route.OTHER, "remove this content")],
)
def test_each_route_has_its_own_frame(canary_takedown, route, words):
    canary_takedown.route = route

    assert words in takedown_text.draft(canary_takedown, organisation=None, lang="en")


def test_the_text_sits_in_a_labelled_read_only_field(login, canary_takedown, coordinator):
    content = login(coordinator).get(url("takedown_text", canary_takedown), {"lang": "en"}).content.decode()

    assert '<label class="field__label" for="takedown-text">' in content
    assert '<textarea id="takedown-text" rows="24" readonly' in content


def test_an_unknown_language_falls_back_to_the_page_language(login, canary_takedown, coordinator):
    response = login(coordinator).get(url("takedown_text", canary_takedown), {"lang": "xx"})

    assert response.context["lang"] == "en"
