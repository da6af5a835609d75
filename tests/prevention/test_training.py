"""Training records, coverage per team and refresher reminders (recommendations 1, 5)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Kind, Reminder
from people import services as people_services
from prevention.models import TrainingAttendance, TrainingModule, TrainingSession
from prevention.selectors.training import training_coverage
from prevention.services import training as services
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=AMSTERDAM)
TODAY = NOW.date()
LONG_AGO = dt.datetime(2020, 1, 6, 9, 0, tzinfo=AMSTERDAM)

COVERAGE = reverse("prevention:training_coverage")
MINE = reverse("prevention:training_mine")


@pytest.fixture
def cast(employee, colleague, manager, manager2, coordinator, hr):
    """The cast, all with the organisation for years (so nobody is "new")."""
    for user in (employee, colleague, manager, manager2, coordinator, hr):
        user.date_joined = LONG_AGO
        user.save(update_fields=["date_joined"])


@pytest.fixture
def frozen(cast):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def module(coordinator):
    return services.training_module_create(
        actor=coordinator, title="Doxing herkennen", kind=TrainingModule.Kind.CLASSROOM
    )


def attended(coordinator, module, held_on: dt.date, *people) -> TrainingSession:
    session = services.training_session_create(actor=coordinator, module=module, held_on=held_on, trainer="ARQ")
    if people:
        services.training_attendance_record(actor=coordinator, session=session, people=people)
    return session


def team_figures(team):
    report = training_coverage(type(team).objects.filter(pk=team.pk))
    return report.teams[0]


def names(people) -> list[str]:
    return [person.name for person in people]


# --- Coverage arithmetic ----------------------------------------------------------------


def test_it_counts_a_teams_members_and_its_managers(frozen, team, employee, manager, colleague, coordinator, module):
    outside_manager = UserFactory(first_name="Kees", last_name="Mol", team=colleague.team, date_joined=LONG_AGO)
    people_services.team_set_managers(actor=None, team=team, managers=[manager, outside_manager])
    attended(coordinator, module, dt.date(2026, 1, 10), outside_manager)

    figures = team_figures(team)

    assert names(figures.trained) == ["Kees Mol"]
    assert names(figures.untrained) == ["Marieke Jansen", "Sanne de Vries"]
    assert (figures.counted, figures.percent) == (3, 33)


def test_it_counts_a_member_who_is_also_manager_once(frozen, team, employee, manager, coordinator, module):
    attended(coordinator, module, dt.date(2026, 1, 10), manager)

    figures = team_figures(team)

    assert (len(figures.trained), figures.counted, figures.percent) == (1, 2, 50)


def test_it_leaves_out_inactive_people(frozen, team, employee, manager, coordinator, module):
    UserFactory(team=team, is_active=False, date_joined=LONG_AGO)
    attended(coordinator, module, dt.date(2026, 1, 10), employee)

    figures = team_figures(team)

    assert (figures.counted, figures.percent) == (2, 50)


def test_it_counts_a_session_held_exactly_the_valid_period_ago(frozen, team, employee, manager, coordinator, module):
    attended(coordinator, module, dt.date(2024, 11, 21), employee)

    assert names(team_figures(team).trained) == ["Sanne de Vries"]


def test_it_does_not_count_a_session_one_day_older(frozen, team, employee, manager, coordinator, module):
    attended(coordinator, module, dt.date(2024, 11, 20), employee)

    figures = team_figures(team)

    assert figures.trained == []
    assert names(figures.untrained) == ["Marieke Jansen", "Sanne de Vries"]


def test_it_shows_new_people_apart_and_does_not_count_them(frozen, team, employee, manager):
    UserFactory(first_name="Nina", last_name="Nieuw", team=team, date_joined=NOW - dt.timedelta(days=89))
    UserFactory(first_name="Otto", last_name="Oud", team=team, date_joined=NOW - dt.timedelta(days=90))

    figures = team_figures(team)

    assert names(figures.new) == ["Nina Nieuw"]
    assert names(figures.untrained) == ["Marieke Jansen", "Otto Oud", "Sanne de Vries"]
    assert figures.counted == 3


def test_it_counts_a_new_person_once_they_are_trained(frozen, team, employee, manager, coordinator, module):
    newcomer = UserFactory(first_name="Nina", last_name="Nieuw", team=team, date_joined=NOW - dt.timedelta(days=10))
    attended(coordinator, module, dt.date(2026, 11, 20), newcomer)

    figures = team_figures(team)

    assert (figures.new, names(figures.trained), figures.counted, figures.percent) == ([], ["Nina Nieuw"], 3, 33)


def test_it_shows_a_team_with_nobody_without_a_percentage(frozen):
    empty = TeamFactory(name="Leeg")

    figures = team_figures(empty)

    assert (figures.counted, figures.percent, figures.new) == (0, None, [])


def test_it_counts_everyone_once_in_the_organisation_total(
    frozen, team, other_team, employee, colleague, manager, manager2, coordinator, module
):
    people_services.team_set_managers(actor=None, team=other_team, managers=[manager2, manager])
    attended(coordinator, module, dt.date(2026, 1, 10), employee, manager)

    report = training_coverage(type(team).objects.all())

    # Handhaving Centrum: employee, manager; Brandweer Noord: colleague, manager2, manager;
    # the support team: the coordinator and HR. Manager counts in two teams, once in total.
    assert [(row.team.name, len(row.trained), row.counted) for row in report.teams] == [
        ("Brandweer Noord", 1, 3),
        ("Handhaving Centrum", 2, 2),
        ("Veiligheid en Welzijn", 0, 2),
    ]
    assert (len(report.total.trained), report.total.counted, report.total.percent) == (2, 6, 33)


def test_it_lists_the_names_of_the_untrained_on_the_page(frozen, login, team, employee, manager, coordinator, module):
    attended(coordinator, module, dt.date(2026, 1, 10), manager)

    page = login(coordinator).get(COVERAGE).content.decode()

    assert "Sanne de Vries" in page
    assert "50%" in page
    assert "(1 of 2)" in page


def test_it_takes_a_fixed_number_of_queries_whatever_the_number_of_teams(frozen, login, coordinator, module):
    def add_teams(count: int) -> None:
        for _index in range(count):
            team = TeamFactory()
            people = [UserFactory(team=team, date_joined=LONG_AGO) for _person in range(3)]
            people_services.team_set_managers(actor=None, team=team, managers=people[:1])
            attended(coordinator, module, dt.date(2026, 1, 10), people[1])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(COVERAGE)
        assert response.status_code == 200
        return len(context.captured_queries)

    client = login(coordinator)
    add_teams(2)
    at_two = queries()
    add_teams(8)
    at_ten = queries()

    assert at_two == at_ten


# --- Who sees what ----------------------------------------------------------------------


def test_an_employee_cannot_see_the_coverage_page(login, cast, employee):
    assert login(employee).get(COVERAGE).status_code == 404


def test_a_manager_sees_only_their_own_teams_coverage(frozen, login, manager, colleague):
    page = login(manager).get(COVERAGE).content.decode()

    assert "Sanne de Vries" in page
    assert "Youssef El Amrani" not in page
    assert "Brandweer Noord" not in page


@pytest.mark.parametrize("role", ["coordinator", "hr"])
def test_coordinators_and_hr_see_every_team(frozen, login, request, role, employee, colleague):
    page = login(request.getfixturevalue(role)).get(COVERAGE).content.decode()

    assert "Sanne de Vries" in page
    assert "Youssef El Amrani" in page
    assert "Whole organisation" in page


def test_everyone_sees_their_own_training_record(frozen, login, employee, coordinator, module):
    attended(coordinator, module, dt.date(2025, 3, 4), employee)

    page = login(employee).get(MINE).content.decode()

    assert "Doxing herkennen" in page
    assert "4 March 2027" in page  # counts until


def test_a_training_record_shows_nobody_elses_attendance(frozen, login, employee, colleague, coordinator):
    other = services.training_module_create(actor=coordinator, title="Gefilmd worden", kind="exercise")
    attended(coordinator, other, dt.date(2025, 3, 4), colleague)

    page = login(employee).get(MINE).content.decode()

    assert "Gefilmd worden" not in page
    assert "No training is recorded for you yet." in page


def test_an_employee_cannot_open_a_session_or_record_attendance(
    frozen, login, employee, colleague, coordinator, module
):
    session = attended(coordinator, module, dt.date(2026, 1, 10))
    url = reverse("prevention:training_attendance", args=[session.pk])
    client = login(employee)

    assert client.get(reverse("prevention:training_session", args=[session.pk])).status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url, {"people": [employee.pk, colleague.pk]}).status_code == 404
    assert not TrainingAttendance.objects.exists()


def test_a_manager_cannot_manage_training(login, cast, manager):
    client = login(manager)

    assert client.get(reverse("prevention:training_module_new")).status_code == 404
    assert client.get(reverse("prevention:training_session_new")).status_code == 404


def test_everyone_sees_what_is_offered(frozen, login, employee, module):
    page = login(employee).get(reverse("prevention:training")).content.decode()

    assert "Doxing herkennen" in page
    assert reverse("prevention:training_module_new") not in page


# --- Managing modules, sessions and attendance --------------------------------------------


def test_hr_adds_a_training(login, cast, hr):
    response = login(hr).post(
        reverse("prevention:training_module_new"),
        {"title": "Veilig online", "kind": "e_learning", "description": "Een uur.", "active": "on"},
    )

    module = TrainingModule.objects.get()
    assert response.status_code == 302
    assert (module.title, module.kind, module.active) == ("Veilig online", "e_learning", True)
    assert module.history.get().history_user == hr


def test_a_coordinator_stops_offering_a_training(login, cast, coordinator, module):
    response = login(coordinator).post(
        reverse("prevention:training_module_edit", args=[module.pk]),
        {"title": module.title, "kind": module.kind, "description": ""},
    )

    module.refresh_from_db()
    assert response.status_code == 302
    assert module.active is False
    assert module.history.first().history_user == coordinator


def test_a_coordinator_adds_a_session(frozen, login, coordinator, module):
    response = login(coordinator).post(
        reverse("prevention:training_session_new"),
        {"module": module.pk, "held_on": "2026-12-03", "trainer": "ARQ", "location": "Stadskantoor"},
    )

    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert (session.held_on, session.created_by) == (dt.date(2026, 12, 3), coordinator)
    assert session.history.get().history_user == coordinator


def test_it_records_attendance_for_a_whole_team(frozen, login, team, employee, manager, coordinator, module):
    session = attended(coordinator, module, dt.date(2026, 11, 20))

    response = login(coordinator).post(
        reverse("prevention:training_attendance", args=[session.pk]), {"whole_team": team.pk}
    )

    assert response.status_code == 302
    assert set(session.attendances.values_list("user__username", flat=True)) == {"employee", "manager"}


def test_attendance_writes_history_with_the_actor(frozen, login, employee, coordinator, module):
    session = attended(coordinator, module, dt.date(2026, 11, 20))

    login(coordinator).post(reverse("prevention:training_attendance", args=[session.pk]), {"people": [employee.pk]})

    record = TrainingAttendance.history.get(user_id=employee.pk)
    assert (record.history_type, record.history_user) == ("+", coordinator)


def test_the_attendance_search_narrows_the_list(frozen, login, employee, colleague, coordinator, module):
    session = attended(coordinator, module, dt.date(2026, 11, 20))

    response = login(coordinator).get(reverse("prevention:training_attendance", args=[session.pk]), {"q": "brandweer"})

    offered = set(response.context["form"].fields["people"].queryset)
    assert colleague in offered
    assert employee not in offered


def test_attendance_cannot_be_recorded_before_the_session(frozen, login, employee, coordinator, module):
    session = attended(coordinator, module, dt.date(2026, 12, 3))

    response = login(coordinator).post(
        reverse("prevention:training_attendance", args=[session.pk]), {"people": [employee.pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not TrainingAttendance.objects.exists()


def test_removing_an_attendance_is_post_only(frozen, login, employee, coordinator, module):
    session = attended(coordinator, module, dt.date(2026, 1, 10), employee)
    attendance = session.attendances.get()
    url = reverse("prevention:training_attendance_remove", args=[session.pk, attendance.pk])

    assert login(coordinator).get(url).status_code == 405
    assert login(coordinator).post(url).status_code == 302
    assert not TrainingAttendance.objects.exists()
    assert TrainingAttendance.history.filter(history_type="-").get().history_user == coordinator


# --- Refresher reminders ----------------------------------------------------------------


def refresher(user) -> Reminder:
    return Reminder.objects.pending().get(kind=Kind.TRAINING_REFRESHER, recipient=user)


def test_attendance_plans_the_refresher_at_nine_on_the_right_day(cast, employee, coordinator, module):
    with time_machine.travel(dt.datetime(2024, 5, 2, 12, 0, tzinfo=AMSTERDAM), tick=False):
        attended(coordinator, module, dt.date(2024, 5, 1), employee)

    reminder = refresher(employee)
    # 1 May 2024 + 24 months - 30 days = 1 April 2026, summer time (UTC+2).
    assert reminder.due_at == dt.datetime(2026, 4, 1, 9, 0, tzinfo=AMSTERDAM)
    assert reminder.due_at == dt.datetime(2026, 4, 1, 7, 0, tzinfo=dt.UTC)
    assert (reminder.key, reminder.link) == (f"training-refresher:{employee.pk}:2024-05-01", MINE)


def test_the_refresher_stays_at_nine_local_across_a_dst_change(cast, employee, coordinator, module):
    with time_machine.travel(dt.datetime(2024, 4, 26, 12, 0, tzinfo=AMSTERDAM), tick=False):
        attended(coordinator, module, dt.date(2024, 4, 25), employee)

    # Held in summer time; 26 March 2026 is still winter time (UTC+1).
    assert refresher(employee).due_at == dt.datetime(2026, 3, 26, 8, 0, tzinfo=dt.UTC)


def test_a_newer_attendance_replaces_the_older_refresher(frozen, employee, coordinator, module):
    attended(coordinator, module, dt.date(2025, 1, 15), employee)
    attended(coordinator, module, dt.date(2026, 6, 1), employee)

    assert refresher(employee).key == f"training-refresher:{employee.pk}:2026-06-01"
    assert Reminder.objects.get(key=f"training-refresher:{employee.pk}:2025-01-15").cancelled_at is not None


def test_an_older_attendance_recorded_later_keeps_the_newer_refresher(frozen, employee, coordinator, module):
    attended(coordinator, module, dt.date(2026, 6, 1), employee)
    attended(coordinator, module, dt.date(2025, 1, 15), employee)

    assert refresher(employee).key == f"training-refresher:{employee.pk}:2026-06-01"


def test_recording_attendance_twice_plans_one_refresher(frozen, employee, coordinator, module):
    session = attended(coordinator, module, dt.date(2026, 6, 1), employee)
    services.training_attendance_record(actor=coordinator, session=session, people=[employee])

    assert Reminder.objects.filter(kind=Kind.TRAINING_REFRESHER).count() == 1
    assert session.attendances.count() == 1


def test_removing_an_attendance_plans_from_the_latest_remaining_one(frozen, employee, coordinator, module):
    attended(coordinator, module, dt.date(2025, 1, 15), employee)
    newer = attended(coordinator, module, dt.date(2026, 6, 1), employee)

    services.training_attendance_remove(actor=coordinator, attendance=newer.attendances.get())

    reminder = refresher(employee)
    assert reminder.key == f"training-refresher:{employee.pk}:2025-01-15"
    assert reminder.due_at == dt.datetime(2026, 12, 16, 9, 0, tzinfo=AMSTERDAM)


def test_removing_the_only_attendance_cancels_the_refresher(frozen, employee, coordinator, module):
    session = attended(coordinator, module, dt.date(2026, 6, 1), employee)

    services.training_attendance_remove(actor=coordinator, attendance=session.attendances.get())

    assert not Reminder.objects.pending().filter(kind=Kind.TRAINING_REFRESHER).exists()


def test_moving_a_session_moves_the_refresher(frozen, employee, coordinator, module):
    session = attended(coordinator, module, dt.date(2026, 6, 1), employee)

    services.training_session_update(
        actor=coordinator, session=session, module=module, held_on=dt.date(2026, 6, 8), trainer="ARQ", location=""
    )

    assert refresher(employee).due_at == dt.datetime(2028, 5, 9, 9, 0, tzinfo=AMSTERDAM)


def test_a_refresher_day_already_past_reminds_the_next_morning(frozen, employee, coordinator, module):
    attended(coordinator, module, dt.date(2024, 12, 1), employee)

    assert refresher(employee).due_at == dt.datetime(2026, 11, 22, 9, 0, tzinfo=AMSTERDAM)


def test_attendance_refuses_an_id_too_large_for_the_database(frozen, login, employee, coordinator, module):
    from people.models import User
    from prevention.forms.training import AttendanceForm

    form = AttendanceForm(data={"people": [str(2**64)]}, candidates=User.objects.all())

    assert not form.is_valid()
    assert "people" in form.errors
