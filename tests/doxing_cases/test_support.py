"""Psychosocial support and its reminders (recommendations 15–18)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from doxing_cases import services
from doxing_cases.models import Case, CheckIn, Message, Referral
from doxing_cases.services import involvement
from doxing_cases.services import support as support_services
from notifications import services as reminders
from notifications.models import Kind, Notification, Reminder
from people import services as people_services
from tests.factories import make_case

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM)


def delivered(kind: str) -> list[tuple[str, dt.datetime]]:
    return [
        (item.recipient.username, item.created_at)
        for item in Notification.objects.filter(kind=kind).select_related("recipient").order_by("created_at")
    ]


def case_started_at(employee, coordinator, started: dt.datetime, **details) -> Case:
    """A report of an incident that started at ``started``, filed and taken at once."""
    with time_machine.travel(started + dt.timedelta(minutes=10), tick=False):
        return make_case(employee, coordinator=coordinator, started_at=started, **details)


# --- Peer support: the 24 h offer and the 48 h escalation -------------------------------


def test_the_offer_comes_24_hours_after_the_incident_and_not_before(employee, coordinator):
    started = local(2026, 6, 1, 14, 0)
    case_started_at(employee, coordinator, started)

    reminders.dispatch_due(now=started + dt.timedelta(hours=23, minutes=59))
    assert delivered(Kind.PEER_SUPPORT) == []

    reminders.dispatch_due(now=started + dt.timedelta(hours=24))
    assert delivered(Kind.PEER_SUPPORT) == [("coordinator", started + dt.timedelta(hours=24))]


def test_the_escalation_reaches_the_coordinator_at_48_hours(employee, coordinator):
    started = local(2026, 6, 1, 14, 0)
    case_started_at(employee, coordinator, started)

    reminders.dispatch_due(now=started + dt.timedelta(hours=47, minutes=59))
    assert delivered(Kind.PEER_SUPPORT_ESCALATION) == []

    reminders.dispatch_due(now=started + dt.timedelta(hours=48))
    assert delivered(Kind.PEER_SUPPORT_ESCALATION) == [("coordinator", started + dt.timedelta(hours=48))]


def test_logging_the_contact_cancels_the_escalation(employee, coordinator):
    started = local(2026, 6, 1, 14, 0)
    case = case_started_at(employee, coordinator, started)
    reminders.dispatch_due(now=started + dt.timedelta(hours=24))

    with time_machine.travel(started + dt.timedelta(hours=30), tick=False):
        support_services.peer_contact_log(actor=coordinator, case=case, offered_at=timezone.now(), response="accepted")
    reminders.dispatch_due(now=started + dt.timedelta(hours=72))

    assert delivered(Kind.PEER_SUPPORT_ESCALATION) == []
    assert Reminder.objects.get(key=f"peer-escalation:{case.pk}").cancelled_at is not None


def test_an_involved_peer_supporter_gets_the_offer(employee, coordinator, peer):
    started = local(2026, 6, 1, 14, 0)
    case = case_started_at(employee, coordinator, started)
    with time_machine.travel(started + dt.timedelta(hours=2), tick=False):
        involvement.involvement_start(actor=coordinator, case=case, user=peer, kind="peer")

    reminders.dispatch_due(now=started + dt.timedelta(hours=24))

    assert delivered(Kind.PEER_SUPPORT) == [("peer", started + dt.timedelta(hours=24))]


def test_an_incident_reported_five_days_late_reminds_at_once(employee, coordinator):
    now = local(2026, 6, 10, 9, 0)
    with time_machine.travel(now, tick=False):
        make_case(employee, coordinator=coordinator, started_at=now - dt.timedelta(days=5))

    reminders.dispatch_due(now=now)

    assert delivered(Kind.PEER_SUPPORT) == [("coordinator", now)]


def test_a_late_report_still_gives_a_day_before_the_escalation(employee, coordinator):
    now = local(2026, 6, 10, 9, 0)
    with time_machine.travel(now, tick=False):
        case = make_case(employee, coordinator=coordinator, started_at=now - dt.timedelta(days=5))

    assert Reminder.objects.get(key=f"peer-escalation:{case.pk}").due_at == now + dt.timedelta(hours=24)


def test_no_offer_is_planned_while_nobody_coordinates_the_case(employee):
    make_case(employee)

    assert not Reminder.objects.filter(kind=Kind.PEER_SUPPORT).exists()


def test_planning_twice_gives_one_reminder(employee, coordinator):
    case = make_case(employee, coordinator=coordinator)

    support_services.peer_support_plan(case=case)
    support_services.peer_support_plan(case=case)

    assert Reminder.objects.filter(kind=Kind.PEER_SUPPORT, case_id=case.pk).count() == 1


@pytest.mark.parametrize(
    ("started", "offer_local"),
    [
        # Spring forward, 29 March 2026 02:00 → 03:00: 24 real hours later the wall clock shows one hour more.
        (local(2026, 3, 28, 12, 0), local(2026, 3, 29, 13, 0)),
        # Fall back, 25 October 2026 03:00 → 02:00: one hour less on the wall clock.
        (local(2026, 10, 24, 12, 0), local(2026, 10, 25, 11, 0)),
    ],
)
def test_the_offer_is_24_real_hours_across_a_daylight_saving_change(employee, coordinator, started, offer_local):
    case = case_started_at(employee, coordinator, started)
    reminder = Reminder.objects.get(key=f"peer-offer:{case.pk}")

    assert reminder.due_at == started.astimezone(dt.UTC) + dt.timedelta(hours=24)
    assert reminder.due_at == offer_local

    # Minute by minute in UTC (where no minute is skipped or repeated) across the change.
    moment = started.astimezone(dt.UTC) + dt.timedelta(hours=22)
    while moment <= started.astimezone(dt.UTC) + dt.timedelta(hours=26):
        reminders.dispatch_due(now=moment)
        moment += dt.timedelta(minutes=1)
    assert delivered(Kind.PEER_SUPPORT) == [("coordinator", offer_local)]


# --- Check-ins (recommendation 15) ------------------------------------------------------


def activate(case: Case, coordinator, when: dt.datetime) -> Case:
    with time_machine.travel(when, tick=False):
        return services.case_set_status(actor=coordinator, case=case, status=Case.Status.ACTIVE)


def test_an_active_case_reminds_the_manager_to_check_in_every_seven_days_at_nine(case, coordinator, manager):
    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    reminder = Reminder.objects.get(kind=Kind.CHECK_IN, cancelled_at__isnull=True)
    assert (reminder.recipient, reminder.due_at) == (manager, local(2026, 6, 8, 9, 0))


def test_the_coordinator_checks_in_when_the_employee_keeps_the_manager_out(employee, coordinator, manager):
    case = make_case(employee, coordinator=coordinator, manager_may_know=False)

    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    assert Reminder.objects.get(kind=Kind.CHECK_IN, cancelled_at__isnull=True).recipient == coordinator


def test_withdrawing_the_managers_access_moves_the_check_in_to_the_coordinator(case, coordinator, manager, employee):
    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    services.case_set_manager_consent(actor=employee, case=case, may_know=False)

    pending = Reminder.objects.pending().get(kind=Kind.CHECK_IN)
    assert (pending.recipient, pending.due_at) == (coordinator, local(2026, 6, 8, 9, 0))


def test_the_next_check_in_counts_from_the_last_one_logged(case, coordinator, manager):
    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    with time_machine.travel(local(2026, 6, 4, 11, 0), tick=False):
        support_services.check_in_log(actor=manager, case=case, wellbeing="okay")

    pending = Reminder.objects.pending().get(kind=Kind.CHECK_IN)
    assert pending.due_at == local(2026, 6, 11, 9, 0)
    case.refresh_from_db()
    assert case.next_check_in_at == local(2026, 6, 11, 9, 0)


def test_an_agreed_date_for_the_next_check_in_wins(case, coordinator, manager):
    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    with time_machine.travel(local(2026, 6, 4, 11, 0), tick=False):
        support_services.check_in_log(
            actor=manager, case=case, wellbeing="struggling", next_check_in_on=dt.date(2026, 6, 6)
        )

    assert Reminder.objects.pending().get(kind=Kind.CHECK_IN).due_at == local(2026, 6, 6, 9, 0)


def test_a_check_in_stays_at_nine_across_the_autumn_change(case, coordinator, manager):
    activate(case, coordinator, local(2026, 10, 20, 15, 0))

    due = Reminder.objects.pending().get(kind=Kind.CHECK_IN).due_at

    assert due == local(2026, 10, 27, 9, 0)
    assert due.astimezone(dt.UTC).hour == 8  # 09:00 CET, after the clocks went back


def test_leaving_the_active_phase_stops_the_check_ins(case, coordinator, manager):
    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    with time_machine.travel(local(2026, 6, 3, 10, 0), tick=False):
        services.case_set_status(actor=coordinator, case=case, status=Case.Status.AFTERCARE, checklist_recorded=True)

    assert not Reminder.objects.pending().filter(kind=Kind.CHECK_IN).exists()


def test_closing_the_case_cancels_every_pending_reminder(case, coordinator, manager):
    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    with time_machine.travel(local(2026, 6, 1, 16, 0), tick=False):
        services.case_set_status(actor=coordinator, case=case, status=Case.Status.CLOSED, note="Klaar")

    assert not Reminder.objects.pending().filter(case_id=case.pk).exists()


def test_a_new_team_manager_gets_the_check_ins(case, coordinator, manager, manager2, team):
    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    people_services.team_set_managers(actor=None, team=team, managers=[manager2])

    assert Reminder.objects.pending().get(kind=Kind.CHECK_IN).recipient == manager2


def test_the_rhythm_can_be_changed_per_case(login, case, coordinator, manager):
    activate(case, coordinator, local(2026, 6, 1, 15, 30))

    with time_machine.travel(local(2026, 6, 1, 16, 0), tick=False):
        response = login(coordinator).post(reverse("cases:check_in_rhythm", args=[case.pk]), {"every_days": 3})

    assert response.status_code == 302
    assert Reminder.objects.pending().get(kind=Kind.CHECK_IN).due_at == local(2026, 6, 4, 9, 0)


def test_an_overdue_check_in_shows_on_the_dashboard_and_the_team_page(login, case, coordinator, manager):
    activate(case, coordinator, timezone.now() - dt.timedelta(days=10))

    dashboard = login(coordinator).get(reverse("cases:dashboard")).content.decode()
    team = login(manager).get(reverse("cases:team")).content.decode()

    assert "Check-in overdue" in dashboard
    assert "Check-in overdue" in team


def test_the_manager_logs_a_check_in_through_the_page(login, case, coordinator, manager):
    activate(case, coordinator, timezone.now() - dt.timedelta(days=2))

    response = login(manager).post(
        reverse("cases:check_in_new", args=[case.pk]),
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "wellbeing": "struggling",
            "relatives": "concerns",
            "needs": "Geen avonddiensten",
            "team_talked": "on",
        },
    )

    check_in = CheckIn.objects.get()
    assert response.status_code == 302
    assert (check_in.by, check_in.wellbeing, check_in.team_talked) == (manager, "struggling", True)
    assert check_in.history.get().history_user == manager


def test_a_check_in_without_the_wellbeing_answer_keeps_the_rest(login, case, manager):
    response = login(manager).post(reverse("cases:check_in_new", args=[case.pk]), {"needs": "Rust"})

    assert "wellbeing" in response.context["form"].errors
    assert response.context["form"]["needs"].value() == "Rust"


# --- Who sees and does what ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "page", "status"),
    [
        ("coordinator", "cases:support", 200),
        ("manager", "cases:support", 200),
        ("specialist", "cases:support", 404),
        ("colleague", "cases:support", 404),
        ("manager2", "cases:support", 404),
        ("hr", "cases:support", 404),
        ("coordinator", "cases:referral_new", 200),
        ("manager", "cases:referral_new", 404),
        ("manager", "cases:peer_contact_new", 404),
        ("coordinator", "cases:check_in_new", 200),
        ("manager", "cases:check_in_new", 200),
        ("manager", "cases:check_in_rhythm", 404),
    ],
)
def test_each_role_gets_its_part_of_support(request, login, case, who, page, status):
    user = request.getfixturevalue(who)
    if who == "specialist":
        involvement.involvement_start(actor=case.coordinator, case=case, user=user, kind="specialist")

    assert login(user).get(reverse(page, args=[case.pk])).status_code == status


def test_an_involved_peer_supporter_logs_contacts_and_refers_but_sees_no_check_ins(
    login, case, coordinator, manager, peer
):
    involvement.involvement_start(actor=coordinator, case=case, user=peer, kind="peer")
    support_services.check_in_log(actor=manager, case=case, wellbeing="struggling", needs="GEHEIME-BEHOEFTE")
    client = login(peer)

    page = client.get(reverse("cases:support", args=[case.pk]))

    assert page.status_code == 200
    assert b"GEHEIME-BEHOEFTE" not in page.content
    assert client.get(reverse("cases:peer_contact_new", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:referral_new", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:check_in_new", args=[case.pk])).status_code == 404


def test_a_referral_needs_the_employees_consent(login, case, coordinator):
    response = login(coordinator).post(
        reverse("cases:referral_new", args=[case.pk]), {"to": "gp", "referred_on": timezone.localdate().isoformat()}
    )

    assert "consent" in response.context["form"].errors
    assert Referral.objects.count() == 0


def test_a_referral_records_that_it_happened_and_to_whom(login, case, coordinator, employee):
    login(coordinator).post(
        reverse("cases:referral_new", args=[case.pk]),
        {
            "to": "occupational_health",
            "to_detail": "Arbodienst",
            "referred_on": timezone.localdate().isoformat(),
            "consent": "on",
        },
    )

    referral = Referral.objects.get()
    assert (referral.to, referral.consent, referral.by) == ("occupational_health", True, coordinator)
    assert {field.name for field in Referral._meta.fields} >= {"to", "to_detail", "consent"}
    assert not {"diagnosis", "complaints", "notes"} & {field.name for field in Referral._meta.fields}


def test_logging_support_refuses_get_free_writes(login, case, coordinator):
    assert login(coordinator).put(reverse("cases:check_in_new", args=[case.pk])).status_code == 405


# --- Messages (recommendation 16) ------------------------------------------------------


def test_the_employee_and_the_coordinator_write_to_each_other(login, case, employee, coordinator):
    login(employee).post(reverse("cases:my_messages", args=[case.pk]), {"body": "Mag ik iets vragen?"})
    login(coordinator).post(reverse("cases:messages", args=[case.pk]), {"body": "Natuurlijk."})

    assert list(Message.objects.values_list("sender__username", "body")) == [
        ("employee", "Mag ik iets vragen?"),
        ("coordinator", "Natuurlijk."),
    ]


def test_a_message_notifies_the_other_side_without_its_text(login, case, employee, coordinator):
    login(employee).post(reverse("cases:my_messages", args=[case.pk]), {"body": "GEHEIM-BERICHT over thuis"})

    batch = reminders.dispatch_due()
    for reminder_id in batch.to_email:
        reminders.reminder_send_email(reminder_id=reminder_id)

    notification = Notification.objects.get(kind=Kind.MESSAGE)
    assert notification.recipient == coordinator
    assert notification.link == reverse("cases:messages", args=[case.pk])
    assert len(mail.outbox) == 1
    assert "GEHEIM" not in mail.outbox[0].subject + mail.outbox[0].body


def test_opening_the_conversation_marks_the_other_sides_messages_read(login, case, employee, coordinator):
    support_services.message_send(actor=employee, case=case, body="Hallo")

    login(coordinator).get(reverse("cases:messages", args=[case.pk]))

    assert Message.objects.get().read_at is not None


def test_an_empty_message_is_refused(login, case, employee):
    response = login(employee).post(reverse("cases:my_messages", args=[case.pk]), {"body": " "})

    assert response.status_code == 200
    assert Message.objects.count() == 0


@pytest.mark.parametrize("who", ["manager", "colleague", "coordinator2", "peer", "hr"])
def test_nobody_else_reads_the_conversation(request, login, case, employee, who):
    support_services.message_send(actor=employee, case=case, body="Privé")
    client = login(request.getfixturevalue(who))

    assert client.get(reverse("cases:messages", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:my_messages", args=[case.pk])).status_code == 404
