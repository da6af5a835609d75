"""The exposure audit of the organisation's own images and pages (recommendation 3)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Kind, Notification, Reminder
from notifications.services import dispatch_due
from prevention.models import ExposureItem
from prevention.services import exposure as services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False):
        yield


def add(actor, owner, *, title="Teamfoto op de website", review_on=dt.date(2026, 4, 1), **fields):
    values = {"kind": ExposureItem.Kind.STAFF_PAGE, "location": "https://example.org/over-ons/team", **fields}
    return services.exposure_item_add(actor=actor, title=title, owner=owner, review_on=review_on, **values)


@pytest.fixture
def item(coordinator, employee):
    return add(coordinator, employee)


def pending(item) -> list[Reminder]:
    return list(Reminder.objects.pending().filter(key__startswith=services.review_key_prefix(item)))


def edit_data(item, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "title": item.title,
        "kind": item.kind,
        "location": item.location,
        "owner": item.owner_id,
        "decision": item.decision,
        "review_on": item.review_on.isoformat(),
        "note": item.note,
    }
    data.update(overrides)
    return data


# --- Reminders ---------------------------------------------------------------------------


def test_it_plans_the_review_reminder_for_the_owner_at_nine_local_on_the_review_day(item, employee):
    (reminder,) = pending(item)

    assert (reminder.kind, reminder.recipient) == (Kind.EXPOSURE_REVIEW, employee)
    assert reminder.due_at == dt.datetime(2026, 4, 1, 9, 0, tzinfo=AMSTERDAM)


def test_it_keeps_nine_local_across_the_change_to_summer_time(coordinator, employee):
    spring = add(coordinator, employee, review_on=dt.date(2026, 3, 30))

    assert pending(spring)[0].due_at == dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)


def test_it_replans_when_the_review_day_changes(item, coordinator):
    (old,) = pending(item)

    services.exposure_item_update(actor=coordinator, item=item, review_on=dt.date(2026, 5, 4))

    old.refresh_from_db()
    assert [reminder.due_at for reminder in pending(item)] == [dt.datetime(2026, 5, 4, 9, 0, tzinfo=AMSTERDAM)]
    assert old.cancelled_at is not None


def test_it_replans_when_the_owner_changes(item, coordinator, colleague):
    (old,) = pending(item)

    services.exposure_item_update(actor=coordinator, item=item, owner=colleague)

    old.refresh_from_db()
    assert [reminder.recipient for reminder in pending(item)] == [colleague]
    assert old.cancelled_at is not None


def test_it_plans_one_reminder_when_planned_twice(item):
    services.review_plan(item)
    services.review_plan(item)

    assert len(pending(item)) == 1
    assert Reminder.objects.filter(kind=Kind.EXPOSURE_REVIEW).count() == 1


def test_it_leaves_the_reminder_alone_when_only_the_note_changes(item, coordinator):
    (before,) = pending(item)

    services.exposure_item_update(actor=coordinator, item=item, note="Toestemming gevraagd")

    before.refresh_from_db()
    assert pending(item) == [before]


def test_it_reminds_the_owner_in_the_app_that_morning(item, employee):
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 1, tzinfo=AMSTERDAM), tick=False):
        dispatch_due()

    assert Notification.objects.get(kind=Kind.EXPOSURE_REVIEW).recipient == employee


# --- Pages -------------------------------------------------------------------------------


def test_it_lets_a_coordinator_add_an_item(login, coordinator, employee):
    response = login(coordinator).post(
        reverse("prevention:exposure_new"),
        {
            "title": "Smoelenboek intranet",
            "kind": ExposureItem.Kind.FACE_BOOK,
            "location": "Intranet, pagina Wie is wie",
            "owner": employee.pk,
            "decision": ExposureItem.Decision.UNDECIDED,
            "review_on": "2026-03-20",
            "note": "",
        },
    )

    item = ExposureItem.objects.get()
    assert response.status_code == 302
    assert (item.title, item.owner, item.updated_by) == ("Smoelenboek intranet", employee, coordinator)
    assert len(pending(item)) == 1


def test_it_keeps_the_input_when_the_review_day_has_passed(login, coordinator, employee):
    response = login(coordinator).post(
        reverse("prevention:exposure_new"),
        {"title": "Persfoto", "kind": "press_photo", "location": "Krant", "owner": employee.pk, "decision": "keep"}
        | {"review_on": "2026-03-01"},
    )

    form = response.context["form"]
    assert "review_on" in form.errors
    assert form["title"].value() == "Persfoto"
    assert not ExposureItem.objects.exists()


def test_it_lists_overdue_reviews_first_and_marks_them(login, coordinator, employee):
    add(coordinator, employee, title="Later", review_on=dt.date(2026, 3, 5))
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0, tzinfo=AMSTERDAM), tick=False):
        add(coordinator, employee, title="Te laat", review_on=dt.date(2026, 2, 1))

    response = login(coordinator).get(reverse("prevention:exposure"))

    items = response.context["items"]
    assert [(entry.title, entry.overdue) for entry in items] == [("Te laat", True), ("Later", False)]
    assert "overdue" in response.content.decode()


def test_it_marks_an_item_reviewed_with_the_next_review_day(login, item, employee):
    response = login(employee).post(
        reverse("prevention:exposure_reviewed", args=[item.pk]), {"next_review_on": "2027-03-01"}
    )

    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.review_on, item.updated_by) == (dt.date(2027, 3, 1), employee)
    assert [reminder.due_at.date() for reminder in pending(item)] == [dt.date(2027, 3, 1)]


def test_it_asks_for_a_next_review_after_today(login, item, employee):
    response = login(employee).post(
        reverse("prevention:exposure_reviewed", args=[item.pk]), {"next_review_on": "2026-03-02"}
    )

    assert "next_review_on" in response.context["reviewed_form"].errors
    assert response.context["reviewed_form"]["next_review_on"].value() == "2026-03-02"


def test_it_suggests_a_year_ahead_once_decided(login, coordinator, employee):
    decided = add(coordinator, employee, decision=ExposureItem.Decision.REMOVE)

    form = login(coordinator).get(reverse("prevention:exposure_edit", args=[decided.pk])).context["reviewed_form"]

    assert form.initial["next_review_on"] == dt.date(2027, 3, 2)


def test_it_refuses_a_get_on_reviewed(login, item, coordinator):
    assert login(coordinator).get(reverse("prevention:exposure_reviewed", args=[item.pk])).status_code == 405


def test_it_writes_history_with_the_actor(item, coordinator, employee):
    services.exposure_item_update(actor=employee, item=item, decision=ExposureItem.Decision.BLUR)

    assert [row.history_user for row in item.history.order_by("history_id")] == [coordinator, employee]


def test_its_list_query_count_does_not_grow_with_the_items(login, coordinator, employee, django_assert_max_num_queries):
    client = login(coordinator)
    add(coordinator, employee)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("prevention:exposure"))
    for number in range(15):
        add(coordinator, UserFactory(), title=f"Foto {number}", review_on=TODAY + dt.timedelta(days=number))

    with django_assert_max_num_queries(len(few)):
        client.get(reverse("prevention:exposure"))


# --- Access ------------------------------------------------------------------------------


def test_it_lets_a_coordinator_edit_any_item(login, item, coordinator2):
    response = login(coordinator2).post(
        reverse("prevention:exposure_edit", args=[item.pk]), edit_data(item, decision="remove")
    )

    item.refresh_from_db()
    assert response.status_code == 302
    assert item.decision == ExposureItem.Decision.REMOVE


def test_it_shows_an_owner_only_their_own_items(login, item, coordinator, employee, colleague):
    add(coordinator, colleague, title="Iemand anders")

    listed = login(employee).get(reverse("prevention:exposure")).context["items"]

    assert [entry.title for entry in listed] == [item.title]


def test_it_lets_the_owner_update_their_item_without_the_owner_field(login, item, employee):
    client = login(employee)
    offered = client.get(reverse("prevention:exposure_edit", args=[item.pk])).context["form"].fields

    data = edit_data(item, decision="blur", note="Gezichten vervagen")
    del data["owner"]
    response = client.post(reverse("prevention:exposure_edit", args=[item.pk]), data)

    item.refresh_from_db()
    assert "owner" not in offered
    assert response.status_code == 302
    assert (item.decision, item.note) == (ExposureItem.Decision.BLUR, "Gezichten vervagen")


def test_it_does_not_let_an_owner_hand_the_item_on(item, employee, colleague):
    with pytest.raises(PermissionDenied):
        services.exposure_item_update(actor=employee, item=item, owner=colleague)


def test_it_answers_404_to_an_owner_for_someone_else_s_item(login, item, coordinator, employee, colleague):
    other = add(coordinator, colleague, title="Iemand anders")
    client = login(employee)

    assert client.get(reverse("prevention:exposure_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("prevention:exposure_reviewed", args=[other.pk])).status_code == 404


def test_it_answers_404_to_an_employee_who_owns_nothing(login, item, colleague):
    client = login(colleague)

    assert [
        client.get(reverse("prevention:exposure")).status_code,
        client.get(reverse("prevention:exposure_new")).status_code,
        client.get(reverse("prevention:exposure_edit", args=[item.pk])).status_code,
        client.post(reverse("prevention:exposure_reviewed", args=[item.pk])).status_code,
    ] == [404, 404, 404, 404]


def test_it_does_not_let_an_owner_add_items(login, item, employee):
    assert login(employee).get(reverse("prevention:exposure_new")).status_code == 404
