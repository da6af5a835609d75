"""Issue 8, item 5: the access log for the privacy officer, its protection
(in Python everywhere, in the database on PostgreSQL) and the access alert."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from doxing_cases.models import Case
from notifications.models import Kind, Reminder
from people.models import AccessLog, AccessLogProtected, User
from people.privacy import db
from people.privacy.alerts import outsider_case_count
from people.services import access_log_record
from tests.factories import UserFactory, make_case

LOG_URL = reverse("privacy:access_log")
CSV_URL = reverse("privacy:access_log_csv")


def _row(
    user: User, *, case_id: int | None = 1, action: str = AccessLog.Action.VIEW_CASE, **extra: object
) -> AccessLog:
    return AccessLog.objects.create(user=user, username=user.username, action=action, case_id=case_id, **extra)


def _old(user: User) -> AccessLog:
    """A row just past its retention period."""
    days = settings.HANDVAT_ACCESS_LOG_RETENTION_DAYS + 1
    return _row(user, at=timezone.now() - timedelta(days=days))


def _csv(response: object) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- Every read of case data writes a row ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("cases:detail", ""),
        ("cases:involvements", "involvements"),
        ("cases:exposed", "exposed_items"),
        ("cases:evidence_list", "evidence_list"),
        ("cases:takedowns", "takedowns"),
        ("cases:doxer", "identifiers"),
        ("cases:support", "support"),
        ("aftercare:flare_ups", "flare_ups"),
    ],
)
def test_it_logs_each_case_page(login, coordinator: User, case: Case, name: str, kind: str) -> None:
    response = login(coordinator).get(reverse(name, args=[case.pk]))

    assert response.status_code == 200
    assert AccessLog.objects.filter(
        user=coordinator, case_id=case.pk, action=AccessLog.Action.VIEW_CASE, object_kind=kind
    ).exists()


def test_it_logs_the_cases_on_the_task_list(login, coordinator: User, case: Case) -> None:
    from doxing_cases.services import tasks as task_services

    task_services.task_create(
        actor=coordinator, case=case, title="Call", owner=coordinator, due_at=timezone.now() + timedelta(days=1)
    )
    assert login(coordinator).get(reverse("cases:my_tasks")).status_code == 200

    assert AccessLog.objects.filter(user=coordinator, case_id=case.pk, action=AccessLog.Action.LIST_CASE).exists()


def test_it_logs_the_cases_on_hrs_list(login, coordinator: User, hr: User, case: Case) -> None:
    from exports.services import case_reports as report_services

    report_services.hr_export_grant(
        actor=coordinator, case=case, hr_user=hr, valid_until=timezone.localdate() + timedelta(days=7)
    )
    assert login(hr).get(reverse("exports:hr_cases")).status_code == 200

    assert AccessLog.objects.filter(user=hr, case_id=case.pk, action=AccessLog.Action.LIST_CASE).exists()


def test_it_logs_a_case_page_whose_view_does_not(login, coordinator: User, case: Case) -> None:
    """The middleware's safety net: a form page that shows the case logs a row too."""
    response = login(coordinator).get(reverse("cases:decision_new", args=[case.pk]))

    assert response.status_code == 200
    rows = AccessLog.objects.filter(user=coordinator, case_id=case.pk)
    assert [(row.action, row.object_kind) for row in rows] == [(AccessLog.Action.VIEW_CASE, "decision_new")]


def test_it_logs_a_logged_page_once(login, coordinator: User, case: Case) -> None:
    login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert AccessLog.objects.filter(user=coordinator, case_id=case.pk).count() == 1


def test_it_logs_nothing_for_a_refused_page(login, peer: User, case: Case) -> None:
    assert login(peer).get(reverse("cases:decision_new", args=[case.pk])).status_code == 404

    assert not AccessLog.objects.filter(user=peer).exists()


# --- The privacy officer's pages -----------------------------------------------------------


def test_it_answers_who_looked_at_a_case(login, privacy: User, coordinator: User, case: Case, manager: User) -> None:
    login(coordinator).get(reverse("cases:detail", args=[case.pk]))
    _row(manager, case_id=case.pk + 100)

    response = login(privacy).get(LOG_URL, {"case": case.reference})

    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert rows and {row.case_id for row in rows} == {case.pk}
    assert "coordinator" in {row.username for row in rows}
    assert case.reference in response.content.decode()


def test_it_accepts_the_case_number_alone(login, privacy: User, coordinator: User) -> None:
    _row(coordinator, case_id=3)
    _row(coordinator, case_id=4)

    response = login(privacy).get(LOG_URL, {"case": "3"})

    assert [row.case_id for row in response.context["page"].object_list] == [3]


def test_it_answers_what_a_user_looked_at_in_a_period(login, privacy: User, coordinator: User, peer: User) -> None:
    now = timezone.now()
    inside = _row(coordinator, case_id=7, at=now - timedelta(days=2))
    _row(coordinator, case_id=8, at=now - timedelta(days=10))
    _row(peer, case_id=9, at=now - timedelta(days=2))
    since = timezone.localtime(now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    until = timezone.localtime(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = login(privacy).get(LOG_URL, {"user": coordinator.pk, "since": since, "until": until})

    assert [row.pk for row in response.context["page"].object_list] == [inside.pk]


def test_it_filters_on_the_action(login, privacy: User, coordinator: User) -> None:
    _row(coordinator, action=AccessLog.Action.LIST_CASE)
    download = _row(coordinator, action=AccessLog.Action.DOWNLOAD_FILE)

    response = login(privacy).get(LOG_URL, {"action": AccessLog.Action.DOWNLOAD_FILE})

    assert [row.pk for row in response.context["page"].object_list] == [download.pk]


def test_it_refuses_a_bad_case_reference_and_shows_nothing(login, privacy: User, coordinator: User) -> None:
    _row(coordinator)

    response = login(privacy).get(LOG_URL, {"case": "HV-abc"})

    assert response.status_code == 200
    assert response.context["form"].errors["case"]
    assert list(response.context["page"].object_list) == []


def test_it_pages_with_a_fixed_number_of_queries(
    login, privacy: User, coordinator: User, django_assert_max_num_queries
) -> None:
    AccessLog.objects.bulk_create(
        AccessLog(user=coordinator, username="coordinator", action=AccessLog.Action.VIEW_CASE, case_id=n)
        for n in range(1, 121)
    )
    client = login(privacy)
    client.get(LOG_URL)  # session and user caches warm

    with django_assert_max_num_queries(12):
        response = client.get(LOG_URL, {"page": 2})

    page = response.context["page"]
    assert page.number == 2 and page.paginator.num_pages == 3 and len(page.object_list) == 50


def test_it_exports_the_filtered_rows_as_formula_safe_csv(login, privacy: User, coordinator: User) -> None:
    sly = UserFactory(username="=HYPERLINK(1)")
    _row(sly, case_id=5)
    _row(coordinator, case_id=6)

    response = login(privacy).get(CSV_URL, {"case": "HV-0005"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)" and rows[1][3] == "HV-0005"
    assert AccessLog.objects.filter(user=privacy, action=AccessLog.Action.EXPORT, object_kind="access_log_csv").exists()


@pytest.mark.parametrize("who", ["employee", "manager", "coordinator", "specialist", "security", "hr", "admin"])
@pytest.mark.parametrize("url", [LOG_URL, CSV_URL, reverse("exports:processing"), reverse("exports:processing_csv")])
def test_it_is_404_for_everyone_but_the_privacy_officer(login, request, who: str, url: str) -> None:
    user = request.getfixturevalue(who)

    assert login(user).get(url).status_code == 404


def test_it_sends_anonymous_visitors_to_the_login(client) -> None:
    response = client.get(LOG_URL)

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_refuses_post(login, privacy: User) -> None:
    assert login(privacy).post(LOG_URL).status_code == 405


def test_it_shows_the_menu_entries_to_the_privacy_officer_only(login, privacy: User, coordinator: User) -> None:
    assert LOG_URL in login(privacy).get(reverse("home"), follow=True).content.decode()
    assert LOG_URL not in login(coordinator).get(reverse("home"), follow=True).content.decode()


# --- The application cannot change or delete rows --------------------------------------------


def test_it_refuses_to_change_a_row(coordinator: User) -> None:
    row = _row(coordinator)
    row.username = "someone-else"

    with pytest.raises(AccessLogProtected):
        row.save()
    with pytest.raises(AccessLogProtected):
        AccessLog.objects.filter(pk=row.pk).update(username="someone-else")
    with pytest.raises(AccessLogProtected):
        AccessLog.objects.bulk_update([row], ["username"])
    assert AccessLog.objects.get(pk=row.pk).username == "coordinator"


def test_it_refuses_to_delete_a_young_row(coordinator: User) -> None:
    row = _row(coordinator)
    old = _old(coordinator)

    with pytest.raises(AccessLogProtected):
        row.delete()
    with pytest.raises(AccessLogProtected):
        AccessLog.objects.filter(pk__in=[row.pk, old.pk]).delete()
    assert AccessLog.objects.filter(pk__in=[row.pk, old.pk]).count() == 2


def test_it_deletes_rows_past_their_retention_period(coordinator: User) -> None:
    old, older = _old(coordinator), _old(coordinator)
    young = _row(coordinator)

    old.delete()
    AccessLog.objects.filter(pk=older.pk).delete()

    assert list(AccessLog.objects.values_list("pk", flat=True)) == [young.pk]


def test_deleting_a_user_keeps_their_rows_with_the_username(coordinator: User) -> None:
    row = _row(coordinator)

    coordinator.delete()

    row = AccessLog.objects.get(pk=row.pk)
    assert row.user_id is None and row.username == "coordinator"


def _raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_guards_the_rows_on_postgresql_only(coordinator: User) -> None:
    """On PostgreSQL a trigger refuses raw SQL that bypasses the model; SQLite
    has no trigger, so there the model's guard (tests above) is the guard."""
    row, old = _row(coordinator), _old(coordinator)
    if connection.vendor != "postgresql":
        assert db.installed_retention_days(connection) is None
        assert db.install(connection, 730) is False
        with pytest.raises(AccessLogProtected):
            AccessLog.objects.filter(pk=row.pk).update(username="x")
        return

    assert db.installed_retention_days(connection) == settings.HANDVAT_ACCESS_LOG_RETENTION_DAYS
    with pytest.raises(DatabaseError, match="cannot be changed"):
        _raw("UPDATE people_accesslog SET username = %s WHERE id = %s", ["x", row.pk])
    with pytest.raises(DatabaseError, match="cannot be changed"):
        _raw("UPDATE people_accesslog SET case_id = 99, user_id = NULL WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError, match="deleted only after"):
        _raw("DELETE FROM people_accesslog WHERE id = %s", [row.pk])
    _raw("UPDATE people_accesslog SET user_id = NULL WHERE id = %s", [row.pk])
    _raw("DELETE FROM people_accesslog WHERE id = %s", [old.pk])

    assert list(AccessLog.objects.values_list("pk", "username", "user_id")) == [(row.pk, "coordinator", None)]


def test_the_guard_takes_a_new_retention_period_on_postgresql(coordinator: User) -> None:
    if connection.vendor != "postgresql":
        assert db.install(connection, 30) is False
        return
    row = _row(coordinator, at=timezone.now() - timedelta(days=40))
    try:
        db.install(connection, 30)
        assert db.installed_retention_days(connection) == 30
        _raw("DELETE FROM people_accesslog WHERE id = %s", [row.pk])
    finally:
        db.install(connection, settings.HANDVAT_ACCESS_LOG_RETENTION_DAYS)
    assert not AccessLog.objects.filter(pk=row.pk).exists()


# --- The alert ------------------------------------------------------------------------------


def _alerts(privacy: User) -> list[Reminder]:
    return list(Reminder.objects.filter(kind=Kind.ACCESS_ALERT, recipient=privacy))


@pytest.fixture
def triage_cases(employee: User, colleague: User) -> list[Case]:
    """Seven cases nobody coordinates yet: every coordinator can open them, none is involved."""
    return [make_case(employee if n % 2 else colleague) for n in range(7)]


def test_it_alerts_the_privacy_officer_over_the_threshold(
    login, privacy: User, coordinator: User, triage_cases: list[Case], settings
) -> None:
    settings.HANDVAT_ACCESS_ALERT_THRESHOLD = 5
    client = login(coordinator)
    for case in triage_cases[:5]:
        client.get(reverse("cases:detail", args=[case.pk]))
    assert _alerts(privacy) == []

    client.get(reverse("cases:detail", args=[triage_cases[5].pk]))
    client.get(reverse("cases:detail", args=[triage_cases[6].pk]))

    alerts = _alerts(privacy)
    assert len(alerts) == 1
    assert f"user={coordinator.pk}" in alerts[0].link
    assert alerts[0].case_id is None and alerts[0].label == ""


def test_it_counts_each_case_once_and_not_the_cases_one_is_involved_in(
    login, coordinator: User, case: Case, triage_cases: list[Case]
) -> None:
    client = login(coordinator)
    for _ in range(3):
        client.get(reverse("cases:detail", args=[triage_cases[0].pk]))
        client.get(reverse("cases:detail", args=[case.pk]))  # their own case: involved

    assert outsider_case_count(coordinator) == 1


def test_it_forgets_reads_older_than_an_hour(coordinator: User) -> None:
    for n in range(1, 8):
        _row(coordinator, case_id=1000 + n, at=timezone.now() - timedelta(minutes=61))

    assert outsider_case_count(coordinator) == 0


def test_it_checks_with_one_query(coordinator: User, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        outsider_case_count(coordinator)


def test_it_alerts_once_per_user_per_hour(privacy: User, coordinator: User, settings) -> None:
    settings.HANDVAT_ACCESS_ALERT_THRESHOLD = 2
    for n in range(1, 7):
        access_log_record(user=coordinator, action=AccessLog.Action.VIEW_CASE, case_id=5000 + n)

    assert len(_alerts(privacy)) == 1


def test_lists_do_not_count_as_opening(privacy: User, coordinator: User, settings) -> None:
    settings.HANDVAT_ACCESS_ALERT_THRESHOLD = 1
    for n in range(1, 5):
        access_log_record(user=coordinator, action=AccessLog.Action.LIST_CASE, case_id=6000 + n)

    assert _alerts(privacy) == []
