"""The calendar of flare-up moments: the coordinator's page and each person's
private .ics feed, which carries dates and nothing else (recommendation 23)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from aftercare.models import CalendarFeed, FlareUpMoment
from aftercare.selectors import calendar as selectors
from aftercare.services import calendar as calendar_services
from aftercare.services import flare_ups
from doxing_cases import services as case_services
from doxing_cases.models import Case
from doxing_cases.services import involvement
from people import services as people_services
from people.models import AccessLog
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=AMSTERDAM)
CALENDAR = reverse("aftercare:calendar")
FEED_PAGE = reverse("aftercare:calendar_feed")
RENEW = reverse("aftercare:calendar_feed_renew")
CANARY = "CANARY-7f3a"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def plan(case: Case, actor, on: dt.date, **fields) -> FlareUpMoment:
    fields = {"kind": FlareUpMoment.Kind.HEARING, **fields}
    return flare_ups.flare_up_plan(actor=actor, case=case, on=on, **fields)


def day(month: int, number: int) -> dt.date:
    return dt.date(2026, month, number)


def listed(response) -> list[FlareUpMoment]:
    return [moment for _month, moments in response.context["months"] for moment in moments]


def ics(token: str, *, language: str = "en"):
    """The feed as a calendar app fetches it: no login, no session."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("aftercare:calendar_ics", args=[token]))


def feed_of(user) -> str:
    return calendar_services.calendar_feed_for(user=user).token


def events(user) -> dict[str, icalendar.Event]:
    response = ics(feed_of(user))
    assert response.status_code == 200
    return {str(event.uid): event for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def uid(moment: FlareUpMoment) -> str:
    return f"flare-up-{moment.pk}@handvat"


# --- The coordinator's calendar page ------------------------------------------------------


def test_it_lists_the_upcoming_moments_of_my_cases_by_date(login, case, coordinator, colleague):
    other = make_case(colleague, coordinator=coordinator)
    august = plan(case, coordinator, day(8, 10))
    afternoon = plan(other, coordinator, day(6, 20), at_time=dt.time(14, 30))
    all_day = plan(case, coordinator, day(6, 20))
    today = plan(other, coordinator, day(6, 1))

    response = login(coordinator).get(CALENDAR)

    assert response.status_code == 200
    assert listed(response) == [today, all_day, afternoon, august]
    assert [month for month, _moments in response.context["months"]] == [day(6, 1), day(8, 1)]


def test_it_leaves_out_cancelled_passed_and_closed_moments(login, clock, case, coordinator, colleague):
    passed = plan(case, coordinator, day(6, 3))
    cancelled = plan(case, coordinator, day(7, 1))
    flare_ups.flare_up_cancel(actor=coordinator, moment=cancelled)
    closed = make_case(colleague, coordinator=coordinator)
    plan(closed, coordinator, day(7, 2))
    case_services.case_set_status(actor=coordinator, case=closed, status=Case.Status.CLOSED, note="done")
    coming = plan(case, coordinator, day(7, 3))
    clock.move_to(NOW + dt.timedelta(days=5))

    response = login(coordinator).get(CALENDAR)

    assert listed(response) == [coming]
    assert passed not in listed(response)


def test_a_second_coordinator_does_not_see_them(login, case, coordinator, coordinator2):
    plan(case, coordinator, day(6, 20))

    response = login(coordinator2).get(CALENDAR)

    assert response.status_code == 200
    assert listed(response) == []


@pytest.mark.parametrize("who", ["manager", "employee", "specialist", "hr"])
def test_it_is_not_there_for_anyone_but_coordinators(login, request, case, who):
    response = login(request.getfixturevalue(who)).get(CALENDAR)

    assert response.status_code == 404


def test_it_asks_to_log_in_first(client):
    response = client.get(CALENDAR)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_date_kind_case_employee_and_who_is_alerted(login, case, coordinator, manager):
    plan(case, coordinator, day(6, 20), at_time=dt.time(14, 30), alert_specialist=False)

    response = login(coordinator).get(CALENDAR)

    page = response.content.decode()
    assert '<time datetime="2026-06-20T14:30">Saturday 20 June, 14:30</time>' in page
    assert "Hearing" in page
    assert f'href="{reverse("cases:detail", args=[case.pk])}">{case.reference}</a>' in page
    assert "Sanne de Vries" in page
    assert "you, Marieke Jansen" in page


def test_it_names_everyone_alerted_as_the_alerts_do(login, case, coordinator, manager, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    moment = plan(case, coordinator, day(6, 20), alert_employee=True)

    shown = listed(login(coordinator).get(CALENDAR))[0].alerted

    assert shown == flare_ups._recipients(moment)
    assert {person.username for person in shown} == {"coordinator", "manager", "specialist", "employee"}


def test_it_asks_to_record_how_recent_moments_went(login, clock, case, coordinator):
    long_ago = plan(case, coordinator, day(6, 2))
    recent = plan(case, coordinator, day(7, 1))
    recorded = plan(case, coordinator, day(7, 2))
    clock.move_to(dt.datetime(2026, 7, 10, 10, 0, tzinfo=AMSTERDAM))
    flare_ups.flare_up_record_outcome(actor=coordinator, moment=recorded, outcome="Quiet.")

    response = login(coordinator).get(CALENDAR)

    assert list(response.context["awaiting"]) == [recent]
    assert long_ago not in response.context["awaiting"]
    assert reverse("aftercare:flare_up_outcome", args=[case.pk, recent.pk]) in response.content.decode()


def test_it_logs_one_read_per_case_shown(login, case, coordinator, colleague, coordinator2):
    other = make_case(colleague, coordinator=coordinator)
    not_mine = make_case(UserFactory(), coordinator=coordinator2)
    for target in (case, case, other):
        plan(target, coordinator, day(6, 20))
    plan(not_mine, coordinator2, day(6, 21))

    login(coordinator).get(CALENDAR)

    logged = AccessLog.objects.filter(user=coordinator, action=AccessLog.Action.LIST_CASE)
    assert sorted(logged.values_list("case_id", flat=True)) == sorted([case.pk, other.pk])


def _moments_in_new_cases(count: int, coordinator, specialist) -> None:
    for index in range(count):
        subject_case = make_case(UserFactory(), coordinator=coordinator)
        if index % 2:
            involvement.involvement_start(actor=coordinator, case=subject_case, user=specialist, kind="specialist")
        plan(subject_case, coordinator, day(6, 2) + dt.timedelta(days=index * 9), alert_employee=bool(index % 3))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(CALENDAR)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_its_query_count_does_not_grow_with_the_number_of_moments(login, coordinator, specialist):
    client = login(coordinator)
    _moments_in_new_cases(2, coordinator, specialist)
    at_two = _queries(client)

    _moments_in_new_cases(18, coordinator, specialist)
    at_twenty = _queries(client)

    assert sum(len(moments) for _month, moments in client.get(CALENDAR).context["months"]) == 20
    assert at_two == at_twenty


# --- The feed page and its address ------------------------------------------------------------


def test_it_gives_me_a_private_address_on_first_visit(login, employee):
    response = login(employee).get(FEED_PAGE)

    feed = CalendarFeed.objects.get(user=employee)
    assert response.status_code == 200
    assert f"{settings.SITE_URL}/calendar/{feed.token}.ics" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_it_keeps_the_same_address_on_the_next_visit(login, employee):
    client = login(employee)
    client.get(FEED_PAGE)
    first = CalendarFeed.objects.get(user=employee).token

    client.get(FEED_PAGE)

    assert CalendarFeed.objects.get(user=employee).token == first


@pytest.mark.parametrize("who", ["coordinator", "manager", "specialist", "employee", "hr"])
def test_everyone_logged_in_has_a_feed_page(login, request, who):
    response = login(request.getfixturevalue(who)).get(FEED_PAGE)

    assert response.status_code == 200
    assert "Make a new address" in response.content.decode()


def test_the_feed_page_asks_to_log_in_first(client):
    response = client.get(FEED_PAGE)

    assert response.status_code == 302
    assert CalendarFeed.objects.count() == 0


def test_a_new_address_replaces_the_old_one_at_once(login, case, coordinator):
    old = feed_of(coordinator)

    response = login(coordinator).post(RENEW)

    new = CalendarFeed.objects.get(user=coordinator).token
    assert response.status_code == 302
    assert response["Location"] == FEED_PAGE
    assert new != old
    assert ics(old).status_code == 404
    assert ics(new).status_code == 200


def test_renewing_refuses_a_get(login, coordinator):
    old = feed_of(coordinator)

    response = login(coordinator).get(RENEW)

    assert response.status_code == 405
    assert CalendarFeed.objects.get(user=coordinator).token == old


# --- The .ics feed ------------------------------------------------------------------------------


def test_it_is_a_calendar_with_one_event_per_moment(case, coordinator):
    all_day = plan(case, coordinator, day(6, 20))
    timed = plan(case, coordinator, day(7, 1), at_time=dt.time(14, 30))

    found = events(coordinator)

    assert set(found) == {uid(all_day), uid(timed)}
    assert found[uid(all_day)].start == day(6, 20)
    assert found[uid(timed)].start == dt.datetime(2026, 7, 1, 12, 30, tzinfo=dt.UTC)


def test_it_says_only_that_there_is_a_moment_in_which_case(case, coordinator):
    moment = plan(case, coordinator, day(6, 20))

    event = events(coordinator)[uid(moment)]

    assert str(event["SUMMARY"]) == f"Handvat: moment of attention ({case.reference})"
    assert str(event["DESCRIPTION"]) == settings.SITE_URL + reverse("cases:detail", args=[case.pk])


@pytest.mark.parametrize("language", ["en", "nl"])
def test_it_carries_no_case_content(employee, coordinator, manager, language):
    case = make_case(employee, coordinator=coordinator, description=f"Report {CANARY}-report")
    plan(case, coordinator, day(6, 20), kind=FlareUpMoment.Kind.COURT_CASE, description=f"Moment {CANARY}-moment")
    plan(case, coordinator, day(6, 21), kind=FlareUpMoment.Kind.ANNIVERSARY, at_time=dt.time(9, 0))

    body = ics(feed_of(coordinator), language=language).content.decode()

    assert body.count("BEGIN:VEVENT") == 2
    with translation.override(language):
        labels = [str(FlareUpMoment.Kind.COURT_CASE.label), str(FlareUpMoment.Kind.ANNIVERSARY.label)]
    for secret in [CANARY, "Sanne", "Vries", "Marieke", "Handhaving", "Lotte", *labels]:
        assert secret not in body


def test_it_sends_the_headers_of_a_private_calendar(case, coordinator):
    plan(case, coordinator, day(6, 20))

    response = ics(feed_of(coordinator))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_address_is_not_found(case, coordinator):
    plan(case, coordinator, day(6, 20))
    feed_of(coordinator)

    assert ics("not-a-real-token").status_code == 404


def test_the_address_of_someone_who_left_stops_working(case, coordinator):
    token = feed_of(coordinator)
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])

    assert ics(token).status_code == 404


def test_it_keeps_moments_of_the_last_30_days_only(clock, case, coordinator):
    older = plan(case, coordinator, day(6, 2))
    recent = plan(case, coordinator, day(6, 20))
    coming = plan(case, coordinator, day(7, 20))
    clock.move_to(dt.datetime(2026, 7, 10, 10, 0, tzinfo=AMSTERDAM))

    assert set(events(coordinator)) == {uid(recent), uid(coming)}
    assert uid(older) not in events(coordinator)


def test_it_leaves_out_cancelled_moments(case, coordinator):
    moment = plan(case, coordinator, day(6, 20))
    flare_ups.flare_up_cancel(actor=coordinator, moment=moment)

    assert events(coordinator) == {}


def test_it_logs_a_read_of_each_case_in_the_feed(case, coordinator, colleague):
    other = make_case(colleague, coordinator=coordinator)
    for target in (case, case, other):
        plan(target, coordinator, day(6, 20))

    ics(feed_of(coordinator))

    logged = AccessLog.objects.filter(user=coordinator, action=AccessLog.Action.LIST_CASE)
    assert sorted(logged.values_list("case_id", flat=True)) == sorted([case.pk, other.pk])


def test_the_manager_has_the_moments_they_are_alerted_for(case, coordinator, manager):
    alerted = plan(case, coordinator, day(6, 20), alert_manager=True)
    plan(case, coordinator, day(6, 21), alert_manager=False)

    assert set(events(manager)) == {uid(alerted)}


def test_the_manager_has_nothing_when_the_employee_keeps_them_out(employee, coordinator, manager):
    case = make_case(employee, coordinator=coordinator, manager_may_know=False)
    plan(case, coordinator, day(6, 20), alert_manager=True)

    assert events(manager) == {}


def test_an_involved_specialist_has_the_moments_when_alerted(case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    alerted = plan(case, coordinator, day(6, 20), alert_specialist=True)
    plan(case, coordinator, day(6, 21), alert_specialist=False)

    assert set(events(specialist)) == {uid(alerted)}


def test_a_specialist_not_involved_has_nothing(case, coordinator, specialist):
    plan(case, coordinator, day(6, 20), alert_specialist=True)

    assert events(specialist) == {}


def test_a_specialist_whose_involvement_ended_has_nothing(case, coordinator, specialist):
    started = involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    plan(case, coordinator, day(6, 20), alert_specialist=True)
    involvement.involvement_end(actor=coordinator, involvement=started)

    assert events(specialist) == {}


def test_the_employee_has_only_the_moments_they_asked_for_with_their_own_page(case, coordinator, employee):
    asked = plan(case, coordinator, day(6, 20), alert_employee=True)
    plan(case, coordinator, day(6, 21), alert_employee=False)

    found = events(employee)

    assert set(found) == {uid(asked)}
    assert str(found[uid(asked)]["DESCRIPTION"]) == settings.SITE_URL + reverse("cases:my_case", args=[case.pk])


def test_a_second_coordinator_has_nothing_of_my_cases(case, coordinator, coordinator2):
    plan(case, coordinator, day(6, 20))

    assert events(coordinator2) == {}


# --- The feed alerts exactly the people the alerts go to --------------------------------------


@pytest.fixture
def varied_moments(employee, colleague, manager, manager2, coordinator, coordinator2, specialist):
    """Every combination of alert choices, on cases that differ in what matters:
    consent for the manager, a manager who left, a specialist (current, ended,
    none), a subject without a team, a subject who manages their own team, a
    case in triage."""
    former = UserFactory(username="former_manager", team=employee.team, roles=["manager"])
    people_services.team_set_managers(actor=None, team=employee.team, managers=[manager, former])
    former.is_active = False
    former.save(update_fields=["is_active"])
    specialist2 = UserFactory(username="specialist2", roles=["specialist"])
    with_specialist = make_case(employee, coordinator=coordinator)
    involvement.involvement_start(actor=coordinator, case=with_specialist, user=specialist, kind="specialist")
    involvement.involvement_start(actor=coordinator, case=with_specialist, user=specialist2, kind="specialist")
    no_consent = make_case(colleague, coordinator=coordinator2, manager_may_know=False)
    ended = involvement.involvement_start(actor=coordinator2, case=no_consent, user=specialist, kind="specialist")
    involvement.involvement_end(actor=coordinator2, involvement=ended)
    no_team = make_case(UserFactory(username="loner", team=None), coordinator=coordinator)
    own_manager = make_case(manager, coordinator=coordinator2)
    in_triage = make_case(UserFactory(username="waiting", team=employee.team))
    moments = []
    for target, actor in [
        (with_specialist, coordinator),
        (no_consent, coordinator2),
        (no_team, coordinator),
        (own_manager, coordinator2),
        (in_triage, coordinator),
    ]:
        for bits in range(8):
            moments.append(
                plan(
                    target,
                    actor,
                    day(6, 2) + dt.timedelta(days=bits),
                    alert_manager=bool(bits & 1),
                    alert_specialist=bool(bits & 2),
                    alert_employee=bool(bits & 4),
                )
            )
    return moments


def test_the_feed_and_the_alerts_agree_on_who_hears_of_each_moment(varied_moments, django_user_model):
    expected = {moment.pk: {person.pk for person in flare_ups._recipients(moment)} for moment in varied_moments}

    for user in django_user_model.objects.all():
        in_feed = set(selectors.feed_moments(user).values_list("pk", flat=True))
        assert in_feed == {pk for pk, people in expected.items() if user.pk in people}, user.username


@pytest.mark.parametrize("who", ["coordinator", "coordinator2"])
def test_the_calendar_page_and_the_alerts_agree_on_who_is_alerted(login, request, varied_moments, who):
    shown = listed(login(request.getfixturevalue(who)).get(CALENDAR))

    assert shown
    for moment in shown:
        assert moment.alerted == flare_ups._recipients(moment)


def test_the_feed_takes_one_query_however_many_moments(varied_moments, coordinator, django_assert_num_queries):
    with django_assert_num_queries(1):
        moments = list(selectors.feed_moments(coordinator))

    assert len(moments) == 16
