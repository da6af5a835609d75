from __future__ import annotations

from django.db.models import QuerySet

from doxing_cases.models import Case, CheckIn, Message, PeerSupportContact, Referral, SupportActivity
from notifications.models import Kind, Reminder


def peer_contacts(case: Case) -> QuerySet[PeerSupportContact]:
    return case.peer_contacts.select_related("offered_by").order_by("-offered_at", "-pk")


def check_ins(case: Case) -> QuerySet[CheckIn]:
    return case.check_ins.select_related("by").order_by("-at", "-pk")


def support_activities(case: Case) -> QuerySet[SupportActivity]:
    return case.support_activities.select_related("by").order_by("-held_on", "-pk")


def referrals(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("by").order_by("-referred_on", "-pk")


def peer_offer_due(case: Case) -> Reminder | None:
    """The planned peer-support offer, while no contact is logged."""
    return (
        Reminder.objects.filter(key=f"peer-offer:{case.pk}", kind=Kind.PEER_SUPPORT, cancelled_at__isnull=True)
        .select_related("recipient")
        .first()
    )


def conversation(case: Case) -> QuerySet[Message]:
    return case.messages.select_related("sender").order_by("sent_at", "pk")


def unread_messages(case: Case, reader_id: int) -> int:
    return case.messages.filter(read_at__isnull=True).exclude(sender_id=reader_id).count()
