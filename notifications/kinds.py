"""What each kind of reminder says. Neutral on purpose: it names the thing to
do, never what is in the case, so an e-mail made from it leaks nothing."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind

MESSAGES: dict[str, Promise] = {
    Kind.NEW_CASE: _("A new report waits in the triage queue."),
    Kind.NEW_URGENT_CASE: _("An urgent report waits in the triage queue: someone may be in danger. Please look now."),
    Kind.PEER_SUPPORT: _("Offer peer support now: the best moment is 24 to 48 hours after the incident."),
    Kind.PEER_SUPPORT_ESCALATION: _(
        "48 hours have passed and no peer-support contact is recorded. Please make sure support is offered."
    ),
    Kind.CHECK_IN: _("Time to check in with the employee: how are they doing, and their family?"),
    Kind.TASK_DUE: _("A task is due."),
    Kind.MESSAGE: _("You have a new message in Handvat."),
    Kind.FLARE_UP: _("A moment is coming up when the threat may flare up again. Check what was agreed for it."),
    Kind.FLARE_UP_OUTCOME: _("A moment of attention has passed. Please record how it went."),
    Kind.FOLLOW_UP: _("Time for a follow-up conversation: how does it affect the work, and what is needed?"),
    Kind.GETTING_TO_ME: _("An employee let you know it is getting to them again. Please get in touch soon."),
    Kind.FEEDBACK_REQUEST: _("Your case is closed. Would you tell us how the support worked for you?"),
    Kind.TRAINING_REFRESHER: _("Your doxing training is almost two years old. Time for a refresher."),
    Kind.EXPOSURE_REVIEW: _("An image or page on the exposure list is due for review: keep, blur or remove?"),
    Kind.SELF_SCAN: _("Six months have passed: a good moment to check again how findable you are online."),
    Kind.RETENTION_NOTICE: _(
        "A closed case reaches the end of its retention period in 30 days and will then be erased. "
        "Place a legal hold if it must be kept."
    ),
    Kind.ACCESS_ALERT: _(
        "One user opened more cases they are not involved in than usual within an hour. Please check the access log."
    ),
    Kind.DELIVERY_FAILED: _(
        "An e-mail reminder could not be delivered. Please make sure the person was reached another way."
    ),
}


def message(kind: str) -> Promise:
    return MESSAGES.get(kind, Kind(kind).label if kind in Kind.values else _("Something needs your attention."))
