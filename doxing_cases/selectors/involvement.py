from __future__ import annotations

from django.db.models import QuerySet

from doxing_cases.models import Case, Involvement
from people import access
from people.models import RosterEntry, User


def case_involvements(case: Case) -> QuerySet[Involvement]:
    """Everyone involved, now and before, the current ones first."""
    return case.involvements.select_related("user__team", "started_by", "ended_by").order_by("ended_at", "started_at")


def candidates(case: Case, kind: str) -> QuerySet[User]:
    """Who can be involved as ``kind``: the right role, active, not the employee
    themself, not already involved that way."""
    _part, role = access.INVOLVEMENT_PARTS[kind]
    users = User.objects.filter(is_active=True).exclude(pk=case.subject_id).select_related("team")
    if role is not None:
        users = users.filter(groups__name=role.value)
    if kind == Involvement.Kind.PEER and RosterEntry.objects.exists():
        # Once the organisation keeps a roster, peer supporters are asked from it.
        users = users.filter(roster_entry__available=True)
    already = case.involvements.filter(kind=kind, ended_at__isnull=True).values("user_id")
    return users.exclude(pk__in=already).order_by("first_name", "last_name", "username")


def current_involvements(case: Case) -> QuerySet[Involvement]:
    return case.involvements.filter(ended_at__isnull=True).select_related("user").order_by("started_at")
