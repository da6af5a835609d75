"""Psychosocial support (recommendations 15–18) and the reminders that keep it
going: peer support offered 24–48 hours after the incident, the manager's
regular check-ins, support for the team and the manager, referrals, and
messages between the coordinator and the employee.

The plans (``peer_support_plan``, ``check_ins_plan``) are worked out again
whenever something they depend on changes (a coordinator, a peer supporter,
the status, the employee's choice about their manager, a logged contact);
they are safe to run any number of times.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doxing_cases.models import (
    Case,
    CaseEvent,
    CheckIn,
    Involvement,
    Message,
    Part,
    PeerSupportContact,
    Referral,
    SupportActivity,
)
from doxing_cases.services.events import locked, record_event
from doxing_cases.signals import case_plans_changed
from notifications import services as reminders
from notifications import timing
from notifications.models import Kind, Reminder
from people import access
from people.history import records_actor
from people.models import User

logger = logging.getLogger(__name__)

#: Peer support is offered proactively 24 to 48 hours after the incident (rec. 17).
PEER_OFFER_HOURS = 24
PEER_ESCALATION_HOURS = 48


def _require(actor: User, case: Case, ability: str) -> None:
    if not set(access.ability(ability)) & access.case_parts(actor, case):
        raise PermissionDenied


def _case_link(case: Case, name: str = "cases:support") -> str:
    return reverse(name, args=[case.pk])


def _reminder_time() -> dt.time:
    return dt.time.fromisoformat(settings.HANDVAT_REMINDER_TIME)


# --- Peer support (recommendation 17) -----------------------------------------------


def peer_support_person(case: Case) -> User | None:
    """Who offers peer support: the involved peer supporter, else the coordinator."""
    involvement = (
        case.involvements.filter(kind=Involvement.Kind.PEER, ended_at__isnull=True)
        .select_related("user")
        .order_by("started_at")
        .first()
    )
    return involvement.user if involvement else case.coordinator


def peer_support_plan(*, case: Case) -> None:
    """The offer at ``incident_at`` + 24 h (at once if that has passed) and the
    escalation to the coordinator at + 48 h, until a contact is logged.

    A report that comes in late still gets its escalation a day after the
    offer, so the offer has a chance before anyone is chased.
    """
    if case.status == Case.Status.CLOSED or case.peer_contacts.exists():
        return
    person = peer_support_person(case)
    if person is None:  # still in the triage queue: planned when someone takes the case
        return
    now = timezone.now()
    offer_at = max(timing.hours_after(case.incident_at, PEER_OFFER_HOURS), now)
    common = {"case_id": case.pk, "label": case.reference, "link": _case_link(case)}
    reminders.reminder_ensure(
        kind=Kind.PEER_SUPPORT,
        recipient=person,
        due_at=offer_at,
        key=f"peer-offer:{case.pk}",
        escalate_to=case.coordinator,
        **common,
    )
    if case.coordinator is not None:
        escalate_at = max(
            timing.hours_after(case.incident_at, PEER_ESCALATION_HOURS),
            timing.hours_after(offer_at, PEER_ESCALATION_HOURS - PEER_OFFER_HOURS),
        )
        reminders.reminder_ensure(
            kind=Kind.PEER_SUPPORT_ESCALATION,
            recipient=case.coordinator,
            due_at=escalate_at,
            key=f"peer-escalation:{case.pk}",
            **common,
        )


@transaction.atomic
@records_actor
def peer_contact_log(
    *,
    actor: User,
    case: Case,
    offered_at: dt.datetime,
    response: str,
    next_contact_on: dt.date | None = None,
) -> PeerSupportContact:
    """Peer support was offered. Only that, and the answer: never what was said.
    Cancels the pending offer and escalation; a next contact date gets its own reminder."""
    case = locked(case)
    _require(actor, case, "log_peer_contact")
    if offered_at > timezone.now():
        raise ValidationError({"offered_at": _("This moment is in the future.")})
    if next_contact_on is not None and next_contact_on < timezone.localdate():
        raise ValidationError({"next_contact_on": _("This date is in the past.")})
    contact = PeerSupportContact(
        case=case, offered_at=offered_at, offered_by=actor, response=response, next_contact_on=next_contact_on
    )
    contact.full_clean()
    contact.save()
    reminders.reminders_cancel(keys=[f"peer-offer:{case.pk}", f"peer-escalation:{case.pk}"])
    if next_contact_on is not None:
        reminders.reminder_ensure(
            kind=Kind.PEER_SUPPORT,
            recipient=actor,
            due_at=timing.local_moment(next_contact_on, _reminder_time()),
            key=f"peer-next:{contact.pk}",
            case_id=case.pk,
            label=case.reference,
            link=_case_link(case),
            escalate_to=case.coordinator,
        )
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.PEER_CONTACT,
        part=Part.SUPPORT,
        obj=contact,
        new_value=response,
        shown_to_employee=True,
        shown_to_manager=True,
    )
    return contact


# --- The manager's check-ins (recommendations 15, 18) -------------------------------


def check_in_people(case: Case) -> list[User]:
    """The employee's managers, or the coordinator when the employee chose not
    to involve their manager (or has none)."""
    if case.manager_may_know and case.subject.team_id is not None:
        managers = [
            manager
            for manager in case.subject.team.managers.filter(is_active=True).order_by("pk")
            if manager.pk != case.subject_id
        ]
        if managers:
            return managers
    return [case.coordinator] if case.coordinator is not None else []


def check_ins_plan(*, case: Case, since: dt.datetime | None = None) -> dt.datetime | None:
    """While the case is active, one waiting check-in reminder per person, at
    09:00 local time (``HANDVAT_REMINDER_TIME``) on the day after the agreed
    number of days: counted from the last logged check-in, else from ``since``
    (when the case became active), else from now. Returns the next due moment."""
    due: dt.datetime | None = None
    people: list[User] = []
    if case.status == Case.Status.ACTIVE:
        last = case.check_ins.order_by("-at", "-pk").first()
        if last is not None and last.next_check_in_on is not None:
            due = timing.local_moment(last.next_check_in_on, _reminder_time())
        elif last is not None or since is not None or case.next_check_in_at is None:
            start = last.at if last is not None else since or timezone.now()
            due = timing.days_later_at(start, case.check_in_every_days, _reminder_time())
        else:  # nothing new to count from: keep the moment already planned
            due = case.next_check_in_at
        people = check_in_people(case)
    keys = [f"check-in:{case.pk}:{person.pk}:{due.isoformat()}" for person in people] if due else []
    pending_other = Reminder.objects.pending().filter(case_id=case.pk, kind=Kind.CHECK_IN).exclude(key__in=keys)
    reminders.reminders_cancel(keys=list(pending_other.values_list("key", flat=True)))
    for person, key in zip(people, keys, strict=True):
        reminders.reminder_ensure(
            kind=Kind.CHECK_IN,
            recipient=person,
            due_at=due,
            key=key,
            case_id=case.pk,
            label=case.reference,
            link=_case_link(case),
            escalate_to=case.coordinator,
        )
    if case.next_check_in_at != due:
        case.next_check_in_at = due
        case.save(update_fields=["next_check_in_at"])
    return due


@transaction.atomic
@records_actor
def check_in_log(
    *,
    actor: User,
    case: Case,
    wellbeing: str,
    at: dt.datetime | None = None,
    relatives: str = "",
    needs: str = "",
    team_talked: bool = False,
    next_check_in_on: dt.date | None = None,
) -> CheckIn:
    """The manager (or coordinator) asked how it goes. The next reminder counts from here."""
    case = locked(case)
    _require(actor, case, "log_check_in")
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError({"at": _("This moment is in the future.")})
    if next_check_in_on is not None and next_check_in_on <= timezone.localdate():
        raise ValidationError({"next_check_in_on": _("Choose a date after today.")})
    check_in = CheckIn(
        case=case,
        at=at,
        by=actor,
        wellbeing=wellbeing,
        relatives=relatives,
        needs=needs.strip(),
        team_talked=team_talked,
        next_check_in_on=next_check_in_on,
    )
    check_in.full_clean()
    check_in.save()
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.CHECK_IN,
        part=Part.SUPPORT,
        obj=check_in,
        shown_to_manager=True,
    )
    check_ins_plan(case=case)
    return check_in


@transaction.atomic
@records_actor
def check_in_rhythm_set(*, actor: User, case: Case, every_days: int) -> Case:
    case = locked(case)
    _require(actor, case, "set_check_in_rhythm")
    if case.check_in_every_days != every_days:
        # Without a check-in yet, count the new rhythm from where the old one started.
        since = None
        if case.next_check_in_at is not None and not case.check_ins.exists():
            since = timing.days_later_at(case.next_check_in_at, -case.check_in_every_days, _reminder_time())
        case.check_in_every_days = every_days
        case.full_clean()
        case.save(update_fields=["check_in_every_days"])
        check_ins_plan(case=case, since=since)
    return case


@transaction.atomic
@records_actor
def support_activity_log(
    *, actor: User, case: Case, kind: str, held_on: dt.date | None = None, note: str = ""
) -> SupportActivity:
    """Support for colleagues or for the manager themself: that it happened, not what was said."""
    case = locked(case)
    _require(actor, case, "log_support_activity")
    held_on = held_on or timezone.localdate()
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("This date is in the future.")})
    activity = SupportActivity(case=case, kind=kind, held_on=held_on, by=actor, note=note.strip())
    activity.full_clean()
    activity.save()
    record_event(
        case, actor=actor, kind=CaseEvent.Kind.SUPPORT_ACTIVITY, part=Part.SUPPORT, obj=activity, shown_to_manager=True
    )
    return activity


# --- Referral (recommendation 17) ------------------------------------------------------


@transaction.atomic
@records_actor
def referral_record(
    *, actor: User, case: Case, to: str, consent: bool, to_detail: str = "", referred_on: dt.date | None = None
) -> Referral:
    """A referral to professional care, made with the employee's consent.
    The record says that it happened and to whom; never a diagnosis."""
    case = locked(case)
    _require(actor, case, "edit_referrals")
    if not consent:
        raise ValidationError({"consent": _("Refer only when the employee agrees.")})
    referred_on = referred_on or timezone.localdate()
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": _("This date is in the future.")})
    referral = Referral(case=case, to=to, to_detail=to_detail.strip(), referred_on=referred_on, consent=True, by=actor)
    referral.full_clean()
    referral.save()
    record_event(
        case, actor=actor, kind=CaseEvent.Kind.REFERRAL, part=Part.SUPPORT, obj=referral, shown_to_employee=True
    )
    return referral


# --- Messages between the coordinator and the employee (recommendation 16) -----------


@transaction.atomic
@records_actor
def message_send(*, actor: User, case: Case, body: str) -> Message:
    """A message inside Handvat. The other side gets a notification that says
    only that there is a message; its text never leaves Handvat."""
    case = locked(case)
    _require(actor, case, "messages")
    if not body.strip():
        raise ValidationError({"body": _("Write your message first.")})
    message = Message(case=case, sender=actor, body=body.strip())
    message.full_clean()
    message.save()
    to_employee = actor.pk != case.subject_id
    recipient = case.subject if to_employee else case.coordinator
    if recipient is not None:
        reminders.notify_now(
            kind=Kind.MESSAGE,
            recipient=recipient,
            key=f"message:{message.pk}",
            case_id=case.pk,
            label=case.reference,
            link=reverse("cases:my_messages" if to_employee else "cases:messages", args=[case.pk]),
        )
        transaction.on_commit(deliver_soon, robust=True)
    return message


@transaction.atomic
@records_actor
def messages_mark_read(*, actor: User, case: Case) -> int:
    """``actor`` opened the conversation: what the other side sent is read."""
    unread = case.messages.filter(read_at__isnull=True).exclude(sender=actor)
    count = 0
    for message in unread:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
        count += 1
    return count


def deliver_soon() -> None:
    """Run the dispatcher now rather than at the next minute; beat catches up if the broker is away."""
    from notifications.tasks import dispatch_reminders

    dispatch_reminders.delay()


# --- Following the case --------------------------------------------------------------


def support_follow_case(*, case: Case, became_active: bool = False) -> None:
    """Re-plan the reminders after something they depend on changed. Called by
    the case services (coordinator, status, manager's access, people
    involved); the apps above re-plan theirs on ``case_plans_changed``."""
    if case.status == Case.Status.CLOSED:
        reminders.reminders_cancel(case_id=case.pk)
        if case.next_check_in_at is not None:
            case.next_check_in_at = None
            case.save(update_fields=["next_check_in_at"])
        return
    peer_support_plan(case=case)
    check_ins_plan(case=case, since=timezone.now() if became_active else None)
    case_plans_changed.send(sender=Case, case=case)
