from __future__ import annotations

from django.db.models import Q, QuerySet

from doxing_cases.models import Case, Part, Task
from people import access
from people.models import User


def open_tasks_of(user: User) -> QuerySet[Task]:
    """A person's open tasks on every case they still have access to, soonest first."""
    visible = Q(case__in=access.cases_visible_to(user, perm=access.FULL))
    for part in access.INVOLVED:
        visible |= Q(case__in=access.cases_visible_to(user, perm=part))
    return (
        Task.objects.filter(visible, owner=user, status=Task.Status.OPEN)
        .select_related("case__subject")
        .order_by("due_at", "pk")
    )


def case_tasks(case: Case, user: User) -> QuerySet[Task]:
    """The tasks on ``case`` that ``user`` sees: all for the coordinator, else their own."""
    return (
        case.tasks.filter(access.task_filter(user, case.access_parts))
        .select_related("owner")
        .order_by("status", "due_at", "pk")
    )


def possible_owners(case: Case) -> QuerySet[User]:
    """The coordinator and everyone currently involved."""
    involved = case.involvements.filter(ended_at__isnull=True).values("user_id")
    return User.objects.filter(Q(pk=case.coordinator_id) | Q(pk__in=involved)).order_by("first_name", "last_name")


def part_for_owner(case: Case, owner: User) -> str:
    """A task for an involved person belongs to the part they work on."""
    if owner.pk == case.coordinator_id:
        return Part.COORDINATION
    involvement = case.involvements.filter(user=owner, ended_at__isnull=True).order_by("started_at").first()
    return involvement.part if involvement else Part.COORDINATION
