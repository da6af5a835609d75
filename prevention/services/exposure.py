"""The exposure audit (recommendation 3): the organisation's own images and
pages that make staff findable, each with an owner, a decision and a next
review; the owner is reminded at 09:00 local time on the review day.

Who: coordinators keep the register (``access.may_manage_exposure``); an
item's owner sees and updates the items they own, but hands an item to
someone else only through a coordinator.

Every item keeps a next review, also one decided "remove": the first review
checks that it is really gone, later ones that it has not come back (images
resurface through web archives, search results and reposts). The review after
a decision suggests how far ahead to look: a month while undecided, a year
once decided.

The reads are here too, beside the rules they share, because this part has no
selector module of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import services as reminders
from notifications import timing
from notifications.models import Kind
from people import access
from people.history import records_actor
from people.models import User
from prevention.models import ExposureItem

Decision = ExposureItem.Decision

FIELDS = ("title", "kind", "location", "owner", "decision", "review_on", "note")

#: How far ahead the next review is suggested, by decision.
REVIEW_AFTER: dict[str, dt.timedelta] = {
    Decision.UNDECIDED: dt.timedelta(days=30),
    Decision.KEEP: dt.timedelta(days=365),
    Decision.BLUR: dt.timedelta(days=365),
    Decision.REMOVE: dt.timedelta(days=365),
}


# --- Reads -------------------------------------------------------------------------------


def may_see(user: User, item: ExposureItem) -> bool:
    return access.exposure_items_visible_to(user).filter(pk=item.pk).exists()


def exposure_items_for(user: User, *, today: dt.date | None = None) -> QuerySet[ExposureItem]:
    """The whole register for a coordinator, the items they own for anyone
    else; overdue reviews first (marked ``overdue``), then by review date."""
    today = today or timezone.localdate()
    items = (
        access.exposure_items_visible_to(user)
        .select_related("owner", "updated_by")
        .annotate(
            overdue=Case(When(review_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    )
    return items.order_by("-overdue", "review_on", "pk")


def exposure_item_for(user: User, item_id: int) -> ExposureItem:
    """The item, if the user may see it; else 404."""
    item = exposure_items_for(user).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def suggested_next_review(item: ExposureItem, *, today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + REVIEW_AFTER[item.decision]


# --- The reminder ------------------------------------------------------------------------


def review_key_prefix(item: ExposureItem) -> str:
    return f"exposure-review:{item.pk}:"


def _morning(day: dt.date) -> dt.datetime:
    return timing.local_moment(day, dt.time.fromisoformat(settings.HANDVAT_REMINDER_TIME))


def review_plan(item: ExposureItem) -> None:
    """One reminder waits, for the owner at 09:00 on the review day. The key
    names the day and the owner, so a new day or owner cancels the old
    reminder and plans a new one, and planning twice leaves one."""
    reminders.reminders_cancel(key_prefix=review_key_prefix(item))
    reminders.reminder_ensure(
        kind=Kind.EXPOSURE_REVIEW,
        recipient=item.owner,
        due_at=_morning(item.review_on),
        key=f"{review_key_prefix(item)}{item.review_on.isoformat()}:{item.owner_id}",
        link=reverse("prevention:exposure_edit", args=[item.pk]),
    )


# --- Changes -----------------------------------------------------------------------------


def _check(item: ExposureItem, changed: set[str]) -> None:
    if "owner" in changed and item.owner_id is not None and not item.owner.is_active:
        raise ValidationError({"owner": _("Choose someone who still works here.")})
    if "review_on" in changed and item.review_on is not None and item.review_on < timezone.localdate():
        raise ValidationError({"review_on": _("This date has passed. Choose today or a later day.")})


@transaction.atomic
@records_actor
def exposure_item_add(
    *,
    actor: User,
    title: str,
    kind: str,
    location: str,
    owner: User,
    review_on: dt.date,
    decision: str = Decision.UNDECIDED,
    note: str = "",
) -> ExposureItem:
    """Put an image or page on the register; its owner is reminded on the review day."""
    if not access.may_manage_exposure(actor):
        raise PermissionDenied
    item = ExposureItem(
        title=title,
        kind=kind,
        location=location,
        owner=owner,
        decision=decision,
        review_on=review_on,
        note=note,
        updated_by=actor,
        updated_at=timezone.now(),
    )
    _check(item, {"owner", "review_on"})
    item.full_clean()
    item.save()
    review_plan(item)
    return item


@transaction.atomic
@records_actor
def exposure_item_update(*, actor: User, item: ExposureItem, **changes: Any) -> ExposureItem:
    """Change an item. A new review day or owner re-plans the reminder; only a
    coordinator hands an item to another owner."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown exposure fields: {sorted(unknown)}")
    item = ExposureItem.objects.select_for_update().select_related("owner").get(pk=item.pk)
    if not may_see(actor, item):
        raise PermissionDenied
    changed = {name for name, value in changes.items() if getattr(item, name) != value}
    if "owner" in changed and not access.may_manage_exposure(actor):
        raise PermissionDenied
    if not changed:
        return item
    for name in changed:
        setattr(item, name, changes[name])
    _check(item, changed)
    item.updated_by, item.updated_at = actor, timezone.now()
    item.full_clean()
    item.save(update_fields=[*sorted(changed), "updated_by", "updated_at"])
    if changed & {"owner", "review_on"}:
        review_plan(item)
    return item


@transaction.atomic
@records_actor
def exposure_item_reviewed(*, actor: User, item: ExposureItem, next_review_on: dt.date) -> ExposureItem:
    """The item was looked at today; the next review is on ``next_review_on``."""
    item = ExposureItem.objects.select_for_update().select_related("owner").get(pk=item.pk)
    if not may_see(actor, item):
        raise PermissionDenied
    if next_review_on is None or next_review_on <= timezone.localdate():
        raise ValidationError({"next_review_on": _("Choose a day after today.")})
    item.review_on = next_review_on
    item.updated_by, item.updated_at = actor, timezone.now()
    item.full_clean()
    item.save(update_fields=["review_on", "updated_by", "updated_at"])
    review_plan(item)
    return item
