"""Training records (recommendations 1, 5): modules, sessions, who attended,
and the refresher reminder that follows from a person's latest session.

Only coordinators and HR keep these records (``access.may_manage_training``);
the views check that first, and the services check it again so no other
caller can write them either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import services as reminders
from notifications import timing
from notifications.models import Kind
from people import access
from people.history import records_actor
from people.models import User
from prevention.models import TrainingAttendance, TrainingModule, TrainingSession
from prevention.selectors.training import latest_attendance, refresher_day


def _require(actor: User) -> None:
    if not access.may_manage_training(actor):
        raise PermissionDenied


# --- Modules ---------------------------------------------------------------------------


@transaction.atomic
@records_actor
def training_module_create(
    *, actor: User, title: str, kind: str, description: str = "", active: bool = True
) -> TrainingModule:
    _require(actor)
    module = TrainingModule(title=title, kind=kind, description=description, active=active)
    module.full_clean()
    module.save()
    return module


@transaction.atomic
@records_actor
def training_module_update(
    *, actor: User, module: TrainingModule, title: str, kind: str, description: str, active: bool
) -> TrainingModule:
    _require(actor)
    changes = {"title": title, "kind": kind, "description": description, "active": active}
    changed = [name for name, value in changes.items() if getattr(module, name) != value]
    if not changed:
        return module
    for name in changed:
        setattr(module, name, changes[name])
    module.full_clean()
    module.save(update_fields=changed)
    return module


# --- Sessions --------------------------------------------------------------------------


@transaction.atomic
@records_actor
def training_session_create(
    *, actor: User, module: TrainingModule, held_on: dt.date, trainer: str, location: str = ""
) -> TrainingSession:
    _require(actor)
    if not module.active:
        raise ValidationError({"module": _("This training is no longer offered.")})
    session = TrainingSession(module=module, held_on=held_on, trainer=trainer, location=location, created_by=actor)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
@records_actor
def training_session_update(
    *, actor: User, session: TrainingSession, module: TrainingModule, held_on: dt.date, trainer: str, location: str
) -> TrainingSession:
    """Change a session. A new date moves the refresher of everyone who attended."""
    _require(actor)
    attendees = list(User.objects.filter(training_attendances__session=session))
    if attendees and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Attendance is recorded, so the session cannot move into the future.")})
    if module.pk != session.module_id and not module.active:
        raise ValidationError({"module": _("This training is no longer offered.")})
    changes = {"module": module, "held_on": held_on, "trainer": trainer, "location": location}
    changed = [name for name, value in changes.items() if getattr(session, name) != value]
    if not changed:
        return session
    for name in changed:
        setattr(session, name, changes[name])
    session.full_clean()
    session.save(update_fields=changed)
    if "held_on" in changed:
        for person in attendees:
            _plan_refresher(person)
    return session


# --- Attendance ------------------------------------------------------------------------


@transaction.atomic
@records_actor
def training_attendance_record(
    *, actor: User, session: TrainingSession, people: Iterable[User]
) -> list[TrainingAttendance]:
    """Record that ``people`` attended ``session``; people already recorded are
    left as they are. Each person's refresher follows their latest session."""
    _require(actor)
    if session.held_on > timezone.localdate():
        raise ValidationError(_("Attendance can be recorded once the session has been held."))
    people = list({person.pk: person for person in people}.values())
    if not people:
        raise ValidationError({"people": _("Choose who attended.")})
    if any(not person.is_active for person in people):
        raise ValidationError({"people": _("Only active users can be recorded.")})
    already = set(TrainingAttendance.objects.filter(session=session, user__in=people).values_list("user_id", flat=True))
    recorded = []
    for person in people:
        if person.pk in already:
            continue
        attendance = TrainingAttendance(session=session, user=person, recorded_by=actor)
        attendance.full_clean()
        attendance.save()
        _plan_refresher(person)
        recorded.append(attendance)
    return recorded


@transaction.atomic
@records_actor
def training_attendance_remove(*, actor: User, attendance: TrainingAttendance) -> None:
    """Remove a mistaken attendance; the refresher follows the person's latest remaining session."""
    _require(actor)
    person = attendance.user
    attendance.delete()
    _plan_refresher(person)


# --- The refresher reminder -----------------------------------------------------------


def refresher_key_prefix(user: User) -> str:
    return f"training-refresher:{user.pk}:"


def refresher_due_at(held_on: dt.date) -> dt.datetime:
    """09:00 local time (``HANDVAT_REMINDER_TIME``) on the refresher day of a
    session; when that moment is past already, the next such morning."""
    at = dt.time.fromisoformat(settings.HANDVAT_REMINDER_TIME)
    due_at = timing.local_moment(refresher_day(held_on), at)
    now = timezone.now()
    if due_at > now:
        return due_at
    today = timezone.localdate(now)
    this_morning = timing.local_moment(today, at)
    return this_morning if this_morning > now else timing.local_moment(today + dt.timedelta(days=1), at)


def _plan_refresher(user: User) -> None:
    """One pending refresher per person, from their latest session; none without
    one, and none for someone who left."""
    reminders.reminders_cancel(key_prefix=refresher_key_prefix(user))
    latest = latest_attendance(user) if user.is_active else None
    if latest is None:
        return
    held_on = latest.session.held_on
    reminders.reminder_ensure(
        kind=Kind.TRAINING_REFRESHER,
        recipient=user,
        due_at=refresher_due_at(held_on),
        key=f"{refresher_key_prefix(user)}{held_on.isoformat()}",
        link=reverse("prevention:training_mine"),
    )
