"""Involving people in a case (recommendation 11): each gets exactly the part
they work on, and loses it the moment the involvement ends."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from doxing_cases.models import Case, CaseEvent, Involvement, Task
from doxing_cases.services import support, tasks
from doxing_cases.services.events import locked, record_event
from people import access
from people.history import records_actor
from people.models import User


@transaction.atomic
@records_actor
def involvement_start(
    *, actor: User, case: Case, user: User, kind: str, department: str = "", note: str = ""
) -> Involvement:
    case = locked(case)
    if access.CHANGE not in access.case_parts(actor, case):
        raise PermissionDenied
    if not access.may_be_involved(user, kind):
        raise ValidationError(
            {
                "user": _("%(name)s cannot be involved as %(kind)s.")
                % {"name": user.display_name, "kind": Involvement.Kind(kind).label.lower()}
            }
        )
    if user.pk == case.subject_id:
        raise ValidationError({"user": _("The employee the case is about cannot work on it.")})
    if case.involvements.filter(user=user, kind=kind, ended_at__isnull=True).exists():
        raise ValidationError({"user": _("%(name)s is already involved.") % {"name": user.display_name}})
    if kind == Involvement.Kind.DEPARTMENT and not department.strip():
        raise ValidationError({"department": _("Name the department.")})
    involvement = Involvement(
        case=case, user=user, kind=kind, department=department.strip(), note=note.strip(), started_by=actor
    )
    involvement.full_clean()
    involvement.save()
    part, _role = access.INVOLVEMENT_PARTS[kind]
    assign_perm(f"doxing_cases.{part}", user, case)
    support.support_follow_case(case=case)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.INVOLVED,
        part=involvement.part,
        obj=involvement,
        target_user=user,
        new_value=kind,
        shown_to_employee=True,
    )
    return involvement


@transaction.atomic
@records_actor
def involvement_end(*, actor: User, involvement: Involvement) -> Involvement:
    """End it, take the grant away, and give the person's open tasks on the
    case back to the coordinator so nothing falls between two chairs."""
    case = locked(involvement.case)
    involvement = Involvement.objects.select_for_update(of=("self",)).get(pk=involvement.pk)
    if access.CHANGE not in access.case_parts(actor, case):
        raise PermissionDenied
    if involvement.ended_at is not None:
        return involvement
    involvement.ended_at = timezone.now()
    involvement.ended_by = actor
    involvement.save(update_fields=["ended_at", "ended_by"])
    part, _role = access.INVOLVEMENT_PARTS[involvement.kind]
    remove_perm(f"doxing_cases.{part}", involvement.user, case)
    for task in case.tasks.filter(owner=involvement.user, status=Task.Status.OPEN):
        tasks.task_reassign(task=task, owner=case.coordinator or actor)
    support.support_follow_case(case=case)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.INVOLVEMENT_ENDED,
        part=involvement.part,
        obj=involvement,
        target_user=involvement.user,
        new_value=involvement.kind,
        shown_to_employee=True,
    )
    return involvement


def involved_user(case: Case, kind: str) -> User | None:
    """The person involved as ``kind`` the longest, or None."""
    involvement = (
        case.involvements.filter(kind=kind, ended_at__isnull=True).select_related("user").order_by("started_at").first()
    )
    return involvement.user if involvement else None
