"""The organisation's readiness (recommendations 5, 6, 7) and the peer-support roster."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people import access
from people.history import records_actor
from people.models import RosterEntry, User
from people.roles import Role
from prevention.models import ReadinessItem


@transaction.atomic
@records_actor
def readiness_item_set(*, actor: User, key: str, done: bool, note: str = "") -> ReadinessItem:
    if not access.may_manage_readiness(actor):
        raise PermissionDenied
    if key not in ReadinessItem.Key.values:
        raise ValidationError(_("Unknown readiness item."))
    if done and not note.strip():
        raise ValidationError({"note": _("Say how it is arranged, so others can find it.")})
    item = ReadinessItem.objects.filter(key=key).first() or ReadinessItem(key=key)
    item.done = done
    item.note = note.strip()
    item.updated_by = actor
    item.updated_at = timezone.now()
    item.full_clean()
    item.save()
    return item


@transaction.atomic
@records_actor
def roster_set(*, actor: User, user: User, available: bool, note: str = "") -> RosterEntry:
    """Put a peer supporter on the roster, or change whether they can be asked.
    Coordinators keep the roster; peer supporters change their own availability."""
    if not (access.may_manage_readiness(actor) or actor.pk == user.pk):
        raise PermissionDenied
    if not user.has_role(Role.PEER_SUPPORTER):
        raise ValidationError({"user": _("%(name)s is not a peer supporter.") % {"name": user.display_name}})
    entry = RosterEntry.objects.filter(user=user).first() or RosterEntry(user=user)
    entry.available = available
    entry.note = note.strip()
    entry.updated_at = timezone.now()
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
@records_actor
def roster_remove(*, actor: User, user: User) -> None:
    if not access.may_manage_readiness(actor):
        raise PermissionDenied
    entry = RosterEntry.objects.filter(user=user).first()
    if entry is not None:
        entry.delete()
