from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from people import access
from people.models import RosterEntry, User
from people.roles import Role
from prevention.models import ReadinessItem


@dataclass(frozen=True)
class Item:
    key: str
    label: Promise
    done: bool
    note: str = ""
    automatic: bool = False


@dataclass(frozen=True)
class Readiness:
    items: list[Item]
    missing: list[Item] = field(default_factory=list)

    @property
    def score(self) -> int:
        """Percentage of the checklist that is arranged."""
        return round(100 * sum(item.done for item in self.items) / len(self.items))


def readiness() -> Readiness:
    """The checklist: two points Handvat sees for itself, the rest confirmed by a coordinator.
    Four queries, whatever is stored."""
    coordinators = access.role_members(Role.COORDINATOR).count()
    available = RosterEntry.objects.filter(available=True, user__is_active=True).count()
    stored = {item.key: item for item in ReadinessItem.objects.all()}
    items = [
        Item(
            "coordinator",
            _("One person or party is responsible: a coordinator is named"),
            coordinators > 0,
            _("%(count)s coordinator(s) in Handvat") % {"count": coordinators} if coordinators else "",
            automatic=True,
        ),
        Item(
            "roster",
            _("Peer support is arranged in advance: a roster of peer supporters"),
            available > 0,
            _("%(count)s peer supporter(s) can be asked") % {"count": available} if available else "",
            automatic=True,
        ),
    ]
    for key, label in ReadinessItem.Key.choices:
        item = stored.get(key)
        items.append(Item(key, label, bool(item and item.done), item.note if item else ""))
    return Readiness(items=items, missing=[item for item in items if not item.done])


def roster() -> QuerySet[RosterEntry]:
    return RosterEntry.objects.select_related("user__team").order_by("-available", "user__first_name")


def peer_supporters_not_on_roster() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.PEER_SUPPORTER, is_active=True, roster_entry__isnull=True).order_by(
        "first_name", "last_name"
    )
