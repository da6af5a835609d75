"""The reminder engine: scheduling, cancelling, dispatching, e-mailing, and the
notification centre, against the real services, tasks and views."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from notifications import services, tasks
from notifications.kinds import message
from notifications.models import EmailPreference, Kind, Notification, Reminder
from people.models import User
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """An SMTP server that hangs up on every message."""

    calls = 0

    def send_messages(self, email_messages: list) -> int:
        FailingBackend.calls += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def failing_smtp(settings: object) -> type[FailingBackend]:
    settings.EMAIL_BACKEND = "tests.notifications.test_engine.FailingBackend"
    FailingBackend.calls = 0
    return FailingBackend


@pytest.fixture
def person() -> User:
    return UserFactory(username="ontvanger")


def plan(recipient: User, key: str, *, due_in: timedelta = timedelta(minutes=-1), **fields: object) -> Reminder:
    fields.setdefault("kind", Kind.CHECK_IN)
    return services.reminder_schedule(recipient=recipient, due_at=timezone.now() + due_in, key=key, **fields)


def pending_keys() -> set[str]:
    return set(Reminder.objects.pending().values_list("key", flat=True))


def make_due(count: int, recipients: list[User]) -> None:
    due_at = timezone.now() - timedelta(minutes=5)
    Reminder.objects.bulk_create(
        Reminder(kind=Kind.TASK_DUE, recipient=recipients[n % len(recipients)], due_at=due_at, key=f"bulk:{n}")
        for n in range(count)
    )


# --- Scheduling ------------------------------------------------------------------


def test_it_keeps_one_reminder_when_scheduled_twice_with_the_same_key(person):
    first = plan(person, "check-in:1", due_in=timedelta(hours=1))

    again = plan(person, "check-in:1", due_in=timedelta(hours=5))

    assert again.pk == first.pk
    assert Reminder.objects.count() == 1
    assert Reminder.objects.get().due_at == first.due_at


def test_it_brings_back_a_cancelled_reminder_on_ensure(person):
    plan(person, "check-in:1", due_in=timedelta(hours=1))
    services.reminders_cancel(keys=["check-in:1"])
    later = timezone.now() + timedelta(days=2)

    services.reminder_ensure(kind=Kind.CHECK_IN, recipient=person, due_at=later, key="check-in:1")

    reminder = Reminder.objects.get()
    assert reminder.is_pending
    assert reminder.due_at == later


def test_it_moves_a_pending_reminder_on_ensure(person, colleague):
    plan(person, "check-in:1", due_in=timedelta(hours=1))
    later = timezone.now() + timedelta(days=2)

    services.reminder_ensure(kind=Kind.CHECK_IN, recipient=colleague, due_at=later, key="check-in:1")

    reminder = Reminder.objects.get()
    assert (reminder.due_at, reminder.recipient) == (later, colleague)


def test_it_hands_the_escalation_of_a_pending_reminder_to_the_new_coordinator_on_ensure(
    person, coordinator, coordinator2
):
    plan(person, "check-in:1", due_in=timedelta(hours=1), escalate_to=coordinator)
    due_at = Reminder.objects.get().due_at

    services.reminder_ensure(
        kind=Kind.CHECK_IN, recipient=person, due_at=due_at, key="check-in:1", escalate_to=coordinator2
    )

    assert Reminder.objects.get().escalate_to == coordinator2


def test_it_leaves_a_sent_reminder_alone_on_ensure(person):
    plan(person, "check-in:1")
    services.dispatch_due()
    sent = Reminder.objects.get()

    services.reminder_ensure(
        kind=Kind.CHECK_IN, recipient=person, due_at=timezone.now() + timedelta(days=2), key="check-in:1"
    )

    reminder = Reminder.objects.get()
    assert (reminder.due_at, reminder.sent_at, reminder.cancelled_at) == (sent.due_at, sent.sent_at, None)
    assert services.dispatch_due().delivered == 0


def test_it_cancels_by_exact_keys(person):
    for key in ("peer-offer:1", "peer-escalation:1", "peer-offer:2"):
        plan(person, key, due_in=timedelta(hours=1))

    cancelled = services.reminders_cancel(keys=["peer-offer:1", "peer-escalation:1"])

    assert cancelled == 2
    assert pending_keys() == {"peer-offer:2"}


def test_it_cancels_by_key_prefix(person):
    for key in ("task:7:a", "task:7:b", "task:8:a"):
        plan(person, key, due_in=timedelta(hours=1))

    cancelled = services.reminders_cancel(key_prefix="task:7:")

    assert cancelled == 2
    assert pending_keys() == {"task:8:a"}


def test_it_cancels_only_the_given_kinds_of_a_case(person):
    plan(person, "a", case_id=1, kind=Kind.NEW_CASE, due_in=timedelta(hours=1))
    plan(person, "b", case_id=1, kind=Kind.NEW_URGENT_CASE, due_in=timedelta(hours=1))
    plan(person, "c", case_id=1, kind=Kind.CHECK_IN, due_in=timedelta(hours=1))
    plan(person, "d", case_id=2, kind=Kind.NEW_CASE, due_in=timedelta(hours=1))

    cancelled = services.reminders_cancel(case_id=1, kinds=[Kind.NEW_CASE, Kind.NEW_URGENT_CASE])

    assert cancelled == 2
    assert pending_keys() == {"c", "d"}


def test_it_cancels_everything_of_a_case_without_kinds(person):
    plan(person, "a", case_id=1, kind=Kind.NEW_CASE, due_in=timedelta(hours=1))
    plan(person, "b", case_id=1, kind=Kind.CHECK_IN, due_in=timedelta(hours=1))
    plan(person, "c", case_id=2, kind=Kind.CHECK_IN, due_in=timedelta(hours=1))

    services.reminders_cancel(case_id=1)

    assert pending_keys() == {"c"}


def test_it_does_not_cancel_what_was_sent(person):
    plan(person, "a", case_id=1)
    services.dispatch_due()

    cancelled = services.reminders_cancel(case_id=1, keys=["a"])

    assert cancelled == 0
    assert Reminder.objects.get().cancelled_at is None


def test_it_cancels_nothing_when_told_nothing(person):
    plan(person, "a", due_in=timedelta(hours=1))

    assert services.reminders_cancel() == 0
    assert pending_keys() == {"a"}


# --- Dispatching ---------------------------------------------------------------------


def test_it_delivers_only_due_pending_reminders(person):
    plan(person, "due")
    plan(person, "later", due_in=timedelta(minutes=1))
    plan(person, "cancelled")
    services.reminders_cancel(keys=["cancelled"])

    batch = services.dispatch_due()

    assert batch.delivered == 1
    assert list(Notification.objects.values_list("reminder__key", flat=True)) == ["due"]


def test_it_delivers_a_reminder_due_exactly_now(person):
    reminder = plan(person, "now", due_in=timedelta(0))

    services.dispatch_due(now=reminder.due_at)

    assert Notification.objects.get().reminder == reminder


def test_it_writes_one_notification_with_the_reminders_details(person):
    reminder = plan(person, "r", kind=Kind.PEER_SUPPORT, case_id=42, label="HV-0042", link="/cases/42/")
    now = timezone.now()

    services.dispatch_due(now=now)

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.reminder) == (person, Kind.PEER_SUPPORT, reminder)
    assert (notification.case_id, notification.label, notification.link) == (42, "HV-0042", "/cases/42/")
    assert notification.created_at == now
    assert notification.read_at is None


def test_it_marks_the_reminder_sent_at_the_moment_of_its_notification(person):
    plan(person, "r")
    now = timezone.now()

    services.dispatch_due(now=now)

    reminder = Reminder.objects.get()
    assert reminder.sent_at == reminder.notification.created_at == now


def test_it_never_delivers_a_reminder_twice(person):
    plan(person, "r")

    first = services.dispatch_due()
    second = services.dispatch_due(now=timezone.now() + timedelta(hours=1))

    assert (first.delivered, second.delivered) == (1, 0)
    assert Notification.objects.count() == 1


def test_it_writes_notifications_and_the_sent_mark_in_one_transaction(person):
    plan(person, "r")

    with CaptureQueriesContext(connection) as queries:
        services.dispatch_due()

    statements = [query["sql"] for query in queries.captured_queries]
    # Inside the test's own transaction, dispatch_due's atomic block is a savepoint.
    begin = next(n for n, sql in enumerate(statements) if sql.startswith("SAVEPOINT"))
    end = next(n for n, sql in enumerate(statements) if sql.startswith("RELEASE SAVEPOINT"))
    insert = next(n for n, sql in enumerate(statements) if sql.startswith('INSERT INTO "notifications_notification"'))
    mark = next(
        n for n, sql in enumerate(statements) if sql.startswith('UPDATE "notifications_reminder" SET "sent_at"')
    )
    assert begin < insert < end
    assert begin < mark < end


def test_it_leaves_the_whole_batch_pending_when_a_notification_cannot_be_written(person):
    plan(person, "a", due_in=timedelta(minutes=-2))
    stale = plan(person, "b")
    # A notification that already points at "b": the database refuses a second.
    Notification.objects.create(recipient=person, kind=Kind.CHECK_IN, reminder=stale)

    with pytest.raises(IntegrityError):
        services.dispatch_due()

    assert pending_keys() == {"a", "b"}
    assert Notification.objects.count() == 1


def test_it_takes_at_most_batch_size_reminders_oldest_first(person):
    for minutes in range(7, 0, -1):
        plan(person, f"m{minutes}", due_in=timedelta(minutes=-minutes))

    batches = []
    for _ in range(4):
        before = set(Notification.objects.values_list("reminder__key", flat=True))
        services.dispatch_due(batch_size=3)
        batches.append(set(Notification.objects.values_list("reminder__key", flat=True)) - before)

    assert batches == [{"m7", "m6", "m5"}, {"m4", "m3", "m2"}, {"m1"}, set()]


def test_it_uses_the_configured_batch_size(person, settings):
    settings.REMINDER_BATCH_SIZE = 2
    make_due(3, [person])

    assert services.dispatch_due().delivered == 2


def test_it_needs_as_many_queries_for_a_batch_of_200_as_for_5():
    recipients = [UserFactory(email="") for _ in range(3)] + [UserFactory() for _ in range(3)]
    EmailPreference.objects.create(user=recipients[3], kind=Kind.TASK_DUE, email=False)
    make_due(205, recipients)
    with CaptureQueriesContext(connection) as small:
        assert services.dispatch_due(batch_size=5).delivered == 5

    with CaptureQueriesContext(connection) as large:
        assert services.dispatch_due(batch_size=200).delivered == 200

    assert len(large.captured_queries) == len(small.captured_queries)


# --- Who gets an e-mail ------------------------------------------------------------


def test_it_asks_an_email_for_a_recipient_with_an_address(person):
    reminder = plan(person, "r")

    assert services.dispatch_due().to_email == [reminder.pk]


def test_it_asks_no_email_for_a_recipient_without_an_address():
    plan(UserFactory(email=""), "r")

    assert services.dispatch_due().to_email == []


def test_it_asks_no_email_for_an_inactive_recipient():
    plan(UserFactory(is_active=False), "r")

    assert services.dispatch_due().to_email == []


def test_it_asks_no_email_for_a_kind_turned_off(person):
    EmailPreference.objects.create(user=person, kind=Kind.CHECK_IN, email=False)
    plan(person, "r", kind=Kind.CHECK_IN)

    assert services.dispatch_due().to_email == []


def test_it_still_asks_an_email_for_other_kinds_when_one_is_turned_off(person):
    EmailPreference.objects.create(user=person, kind=Kind.CHECK_IN, email=False)
    wanted = plan(person, "r", kind=Kind.TASK_DUE)

    assert services.dispatch_due().to_email == [wanted.pk]


def test_it_asks_an_email_when_the_preference_says_yes(person):
    EmailPreference.objects.create(user=person, kind=Kind.CHECK_IN, email=True)
    reminder = plan(person, "r", kind=Kind.CHECK_IN)

    assert services.dispatch_due().to_email == [reminder.pk]


def test_it_delivers_in_the_app_also_without_email():
    recipient = UserFactory(email="")
    plan(recipient, "r")

    services.dispatch_due()

    assert Notification.objects.get().recipient == recipient


# --- The e-mail --------------------------------------------------------------------------


@pytest.fixture
def case_reminder(employee, coordinator, peer) -> Reminder:
    """A reminder about a case whose report holds an address, for the case's peer supporter."""
    case = make_case(employee, coordinator=coordinator, description="GEHEIM-ADRES Kerkstraat 12, Utrecht")
    reminder = services.reminder_schedule(
        kind=Kind.PEER_SUPPORT,
        recipient=peer,
        due_at=timezone.now(),
        key="test-peer-offer",
        case_id=case.pk,
        label=case.reference,
        link=reverse("cases:detail", args=[case.pk]),
        escalate_to=coordinator,
    )
    mail.outbox.clear()  # the report itself may have alerted people
    return reminder


def sent_text(email: mail.EmailMessage) -> str:
    alternatives = "".join(str(content) for content, _type in getattr(email, "alternatives", []))
    return f"{email.subject}\n{email.body}\n{alternatives}"


def test_it_emails_the_recipient_the_link(case_reminder, peer, settings):
    services.reminder_send_email(reminder_id=case_reminder.pk)

    (email,) = mail.outbox
    assert email.to == [peer.email]
    assert settings.SITE_URL + case_reminder.link in email.body


def test_it_emails_the_neutral_message_in_dutch_and_english(case_reminder):
    services.reminder_send_email(reminder_id=case_reminder.pk)

    body = mail.outbox[0].body
    with translation.override("nl"):
        dutch = str(message(Kind.PEER_SUPPORT))
    with translation.override("en"):
        english = str(message(Kind.PEER_SUPPORT))
    assert dutch in body
    assert english in body


def test_it_emails_nothing_of_the_case(case_reminder):
    services.reminder_send_email(reminder_id=case_reminder.pk)

    text = sent_text(mail.outbox[0])
    for secret in ("GEHEIM", "Kerkstraat", "Sanne", "de Vries", "Vries"):
        assert secret not in text


@pytest.mark.parametrize("kind", Kind.values)
def test_the_plain_text_email_is_not_html_escaped(person, settings, kind):
    """A plain-text e-mail shows "&" and "'" as they are (Dutch has "foto's"), not "&amp;" or "&#x27;"."""
    reminder = plan(person, f"raw-{kind}", kind=kind, link="/cases/?status=open&page=2")

    services.reminder_send_email(reminder_id=reminder.pk)

    email = mail.outbox[0]
    with translation.override("nl"):
        dutch = str(message(kind))
    with translation.override("en"):
        english = str(message(kind))
    assert dutch in email.body
    assert english in email.body
    assert f"{settings.SITE_URL}/cases/?status=open&page=2" in email.body
    assert "&amp;" not in email.subject + email.body
    assert "&#x27;" not in email.subject + email.body


def test_it_links_to_the_notification_centre_without_a_link(person, settings):
    reminder = plan(person, "r", kind=Kind.MESSAGE)

    services.reminder_send_email(reminder_id=reminder.pk)

    assert f"{settings.SITE_URL}/notifications/" in mail.outbox[0].body


def test_it_marks_the_reminder_emailed(case_reminder):
    services.reminder_send_email(reminder_id=case_reminder.pk)

    case_reminder.refresh_from_db()
    assert case_reminder.emailed_at is not None
    assert case_reminder.attempts == 1


def test_it_emails_a_reminder_only_once(case_reminder):
    services.reminder_send_email(reminder_id=case_reminder.pk)

    again = services.reminder_send_email(reminder_id=case_reminder.pk)

    assert again is False
    assert len(mail.outbox) == 1


def test_it_sends_the_email_through_the_task(case_reminder):
    result = tasks.send_reminder_email.apply(args=[case_reminder.pk])

    assert result.get() is True
    assert len(mail.outbox) == 1


# --- A failing SMTP server ------------------------------------------------------------
# Task.apply runs the task here; a self.retry() inside it hands back the retry
# signature, which apply runs again at once with retries + 1 (the countdown is
# recorded, not waited for). So one apply() goes through every retry.


def retry_delays(caplog: pytest.LogCaptureFixture) -> list[int]:
    """The countdowns the task asked for, from its own log line per retry."""
    return [record.args[2] for record in caplog.records if record.getMessage().startswith("reminder e-mail retry")]


def test_it_tries_once_and_then_retries_as_often_as_configured(case_reminder, failing_smtp, settings):
    tasks.send_reminder_email.apply(args=[case_reminder.pk])

    assert failing_smtp.calls == settings.REMINDER_EMAIL_RETRIES + 1
    case_reminder.refresh_from_db()
    assert case_reminder.attempts == settings.REMINDER_EMAIL_RETRIES + 1


def test_it_backs_off_doubling_from_thirty_seconds(case_reminder, failing_smtp, caplog, settings):
    settings.REMINDER_EMAIL_RETRIES, settings.REMINDER_EMAIL_BACKOFF = 5, 30
    caplog.set_level(logging.WARNING, logger="notifications.tasks")

    tasks.send_reminder_email.apply(args=[case_reminder.pk])

    assert retry_delays(caplog) == [30, 60, 120, 240, 480]


def test_it_waits_at_most_fifteen_minutes_between_tries(case_reminder, failing_smtp, caplog, settings):
    settings.REMINDER_EMAIL_RETRIES, settings.REMINDER_EMAIL_BACKOFF = 8, 30
    caplog.set_level(logging.WARNING, logger="notifications.tasks")

    tasks.send_reminder_email.apply(args=[case_reminder.pk])

    assert retry_delays(caplog) == [30, 60, 120, 240, 480, 900, 900, 900]


def test_it_marks_the_reminder_failed_when_the_retries_run_out(case_reminder, failing_smtp):
    result = tasks.send_reminder_email.apply(args=[case_reminder.pk])

    assert result.get() is False
    case_reminder.refresh_from_db()
    assert case_reminder.failed_at is not None
    assert case_reminder.emailed_at is None


def test_it_tells_the_coordinator_in_the_app_when_the_email_failed(case_reminder, failing_smtp, coordinator):
    tasks.send_reminder_email.apply(args=[case_reminder.pk])

    alert = Notification.objects.get(kind=Kind.DELIVERY_FAILED)
    assert alert.recipient == coordinator
    assert (alert.case_id, alert.label, alert.link) == (case_reminder.case_id, case_reminder.label, case_reminder.link)


def test_it_tells_nobody_when_there_is_no_one_to_escalate_to(person, failing_smtp):
    reminder = plan(person, "r")

    tasks.send_reminder_email.apply(args=[reminder.pk])

    reminder.refresh_from_db()
    assert reminder.failed_at is not None
    assert not Notification.objects.filter(kind=Kind.DELIVERY_FAILED).exists()


def test_it_stops_trying_once_the_reminder_failed(case_reminder, failing_smtp):
    tasks.send_reminder_email.apply(args=[case_reminder.pk])
    calls = failing_smtp.calls

    tasks.send_reminder_email.apply(args=[case_reminder.pk])

    assert failing_smtp.calls == calls
    assert Notification.objects.filter(kind=Kind.DELIVERY_FAILED).count() == 1


def test_it_leaves_the_in_app_notification_when_the_email_failed(person, failing_smtp):
    plan(person, "r")
    batch = services.dispatch_due()

    tasks.send_reminder_email.apply(args=batch.to_email)

    assert Notification.objects.get(kind=Kind.CHECK_IN).recipient == person


# --- The notification centre ---------------------------------------------------------------


def notify(user: User, *, link: str = "/my/", at: datetime | None = None) -> Notification:
    return Notification.objects.create(
        recipient=user, kind=Kind.CHECK_IN, label="HV-0007", link=link, created_at=at or timezone.now()
    )


def test_it_lists_my_notifications(login, person):
    notify(person)

    response = login(person).get(reverse("notifications:list"))

    assert response.status_code == 200
    assert b"HV-0007" in response.content
    assert str(message(Kind.CHECK_IN)).encode() in response.content


def test_it_lists_nobody_elses_notifications(login, person, colleague):
    Notification.objects.create(recipient=colleague, kind=Kind.CHECK_IN, label="HV-0999")

    response = login(person).get(reverse("notifications:list"))

    assert b"HV-0999" not in response.content


def test_it_asks_a_visitor_to_log_in_for_the_list(client):
    response = client.get(reverse("notifications:list"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_marks_a_notification_read_when_opened(login, person):
    notification = notify(person)

    login(person).post(reverse("notifications:open", args=[notification.pk]))

    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_goes_to_the_local_link_when_opened(login, person):
    notification = notify(person, link="/cases/7/")

    response = login(person).post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/cases/7/"


@pytest.mark.parametrize("link", ["https://evil.example.org/", "//evil.example.org/x", "javascript:alert(1)"])
def test_it_goes_to_the_list_instead_of_a_link_elsewhere(login, person, link):
    notification = notify(person, link=link)

    response = login(person).post(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == reverse("notifications:list")


def test_it_answers_404_for_someone_elses_notification(login, person, colleague):
    notification = notify(colleague)

    response = login(person).post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_refuses_to_open_a_notification_by_get(login, person):
    notification = notify(person)

    response = login(person).get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_marks_all_my_notifications_read(login, person, colleague):
    notify(person)
    notify(person)
    theirs = notify(colleague)

    response = login(person).post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_refuses_to_mark_all_read_by_get(login, person):
    notify(person)

    response = login(person).get(reverse("notifications:read_all"))

    assert response.status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_it_shows_the_email_preferences(login, person):
    EmailPreference.objects.create(user=person, kind=Kind.MESSAGE, email=False)

    response = login(person).get(reverse("notifications:preferences"))

    assert response.status_code == 200
    assert set(response.context["form"].initial["email"]) == set(Kind.values) - {Kind.MESSAGE}


def test_it_saves_the_email_preferences(login, person):
    response = login(person).post(reverse("notifications:preferences"), {"email": [Kind.CHECK_IN, Kind.TASK_DUE]})

    assert response.status_code == 302
    turned_off = set(EmailPreference.objects.filter(user=person, email=False).values_list("kind", flat=True))
    assert turned_off == set(Kind.values) - {Kind.CHECK_IN, Kind.TASK_DUE}


def test_it_stops_emails_for_kinds_turned_off_on_the_preferences_page(login, person):
    login(person).post(reverse("notifications:preferences"), {"email": [Kind.TASK_DUE]})
    plan(person, "check", kind=Kind.CHECK_IN)
    wanted = plan(person, "task", kind=Kind.TASK_DUE)

    assert services.dispatch_due().to_email == [wanted.pk]


def test_it_keeps_the_email_preferences_of_others(login, person, colleague):
    login(person).post(reverse("notifications:preferences"), {"email": []})

    assert not EmailPreference.objects.filter(user=colleague).exists()


# --- E-mails whose task was lost -------------------------------------------------------


def test_it_marks_the_emails_to_send_in_the_delivering_transaction(person):
    plan(person, "k1")

    batch = services.dispatch_due()

    assert Reminder.objects.get(pk=batch.to_email[0]).email_queued_at is not None


def test_it_requeues_an_email_whose_task_was_lost(person, settings):
    plan(person, "k1")
    batch = services.dispatch_due()

    assert services.emails_lost() == []
    later = timezone.now() + timedelta(seconds=settings.REMINDER_EMAIL_LOST_AFTER + 1)
    assert services.emails_lost(now=later) == batch.to_email
    assert services.emails_lost(now=later) == []


def test_it_does_not_requeue_an_email_that_was_sent_or_failed(person, settings):
    plan(person, "k1")
    plan(person, "k2")
    sent, failed = services.dispatch_due().to_email
    services.reminder_send_email(reminder_id=sent)
    services.reminder_mark_failed(reminder_id=failed)

    later = timezone.now() + timedelta(seconds=settings.REMINDER_EMAIL_LOST_AFTER + 1)
    assert services.emails_lost(now=later) == []


def test_an_attempt_counts_as_a_fresh_queueing(person, settings, failing_smtp):
    plan(person, "k1")
    (reminder_id,) = services.dispatch_due().to_email
    later = timezone.now() + timedelta(seconds=settings.REMINDER_EMAIL_LOST_AFTER + 1)

    with time_machine.travel(later, tick=False), pytest.raises(smtplib.SMTPException):
        services.reminder_send_email(reminder_id=reminder_id)

    assert services.emails_lost(now=later + timedelta(seconds=1)) == []
