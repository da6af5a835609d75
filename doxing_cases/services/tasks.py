"""Tasks on a case: by hand, and by the parts that need something done by a date."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doxing_cases.models import Case, CaseEvent, Part, Task
from doxing_cases.services.events import record_event
from notifications import services as reminders
from notifications.models import Kind
from people import access
from people.history import records_actor
from people.models import User


def _may_own(user: User, case: Case, part: str) -> bool:
    """A task goes to someone who can see the part of the case it is about."""
    parts = access.case_parts(user, case)
    if access.FULL in parts:
        return True
    return part in {p for granted in parts for p in access.TIMELINE_PARTS.get(granted, ())}


@transaction.atomic
@records_actor
def task_create(
    *,
    actor: User | None,
    case: Case,
    title: str,
    owner: User,
    due_at: datetime,
    part: str = Part.COORDINATION,
    kind: str = Task.Kind.MANUAL,
    key: str | None = None,
) -> Task | None:
    """Make a task. With a ``key`` it is made once: a second call returns None."""
    if actor is not None and access.CHANGE not in access.case_parts(actor, case):
        raise PermissionDenied
    if not _may_own(owner, case, part):
        raise ValidationError({"owner": _("%(name)s cannot see this part of the case.") % {"name": owner.display_name}})
    task = Task(
        case=case, title=title.strip(), owner=owner, due_at=due_at, part=part, kind=kind, key=key, created_by=actor
    )
    task.full_clean(exclude=["key"])
    if key is not None and Task.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:
        if key is None:
            raise
        return None  # made by a concurrent run a moment ago
    record_event(case, actor=actor, kind=CaseEvent.Kind.TASK, part=part, obj=task, target_user=owner)
    reminders.reminder_schedule(
        kind=Kind.TASK_DUE,
        recipient=owner,
        due_at=task.due_at,
        key=_reminder_key(task),
        case_id=case.pk,
        label=case.reference,
        link=reverse("cases:my_tasks"),
        escalate_to=case.coordinator,
    )
    return task


def _reminder_key(task: Task) -> str:
    return f"task:{task.pk}"


def task_reopen(*, task: Task, owner: User) -> Task:
    """Open a cancelled system task again (its reason came back), with its reminder."""
    task.status = Task.Status.OPEN
    task.owner = owner
    task.save(update_fields=["status", "owner"])
    reminders.reminder_ensure(
        kind=Kind.TASK_DUE,
        recipient=owner,
        due_at=task.due_at,
        key=_reminder_key(task),
        case_id=task.case_id,
        label=task.case.reference,
        link=reverse("cases:my_tasks"),
        escalate_to=task.case.coordinator,
    )
    return task


def task_reassign(*, task: Task, owner: User) -> Task:
    """Give an open task to someone else; its reminder follows."""
    task.owner = owner
    task.save(update_fields=["owner"])
    reminders.reminder_move(key=_reminder_key(task), recipient=owner)
    return task


@transaction.atomic
@records_actor
def task_complete(*, actor: User, task: Task) -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related("case").get(pk=task.pk)
    parts = access.case_parts(actor, task.case)
    if task.owner_id != actor.pk and access.FULL not in parts:
        raise PermissionDenied
    if not task.is_open:
        return task
    task.status = Task.Status.DONE
    task.done_at = timezone.now()
    task.done_by = actor
    task.save(update_fields=["status", "done_at", "done_by"])
    reminders.reminders_cancel(keys=[_reminder_key(task)])
    record_event(
        task.case, actor=actor, kind=CaseEvent.Kind.TASK, action=CaseEvent.Action.DONE, part=task.part, obj=task
    )
    return task


@transaction.atomic
@records_actor
def task_cancel_by_key(*, actor: User | None, key: str) -> bool:
    """Cancel the open system task with exactly this key (its reason went away)."""
    task = Task.objects.filter(key=key, status=Task.Status.OPEN).first()
    if task is None:
        return False
    _cancel(task)
    return True


def task_cancel(*, task: Task) -> None:
    """Cancel an open task, and its reminder (the case closed, its reason went away)."""
    _cancel(task)


def _cancel(task: Task) -> None:
    task.status = Task.Status.CANCELLED
    task.save(update_fields=["status"])
    reminders.reminders_cancel(keys=[_reminder_key(task)])


@transaction.atomic
@records_actor
def tasks_cancel_by_key_prefix(*, actor: User | None, case: Case, prefix: str) -> int:
    """Cancel the open system tasks whose key starts with ``prefix`` (their reason went away)."""
    count = 0
    for task in case.tasks.filter(key__startswith=prefix, status=Task.Status.OPEN):
        _cancel(task)
        count += 1
    return count
