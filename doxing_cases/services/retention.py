"""Retention and erasure of closed cases (GDPR art. 5(1)(e): kept no longer than needed).

A closed case is kept for ``HANDVAT_RETENTION["case"]`` days after closing.
A legal hold stops the clock: while one is in force nothing is erased, and
the period ends no earlier than the moment the last hold ended. The case's
coordinator is told 30 days (``HANDVAT_RETENTION_NOTICE_DAYS``) before, once;
nothing is erased until that many days after the notice was delivered in the
app, so a case is never erased without warning (not even right after a hold
is lifted, the period is shortened or the dispatcher was down).

Erasing a case removes, in one transaction, the case and every row that
hangs off it in any app (found through the foreign keys, so a model added
later is included without a change here), all their django-simple-history
rows, the case's reminders and notifications; the files on disk go after
commit. The access log keeps its own period and is not touched here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doxing_cases.models import Case, CaseEvent, LegalHold
from notifications.models import Kind, Notification, Reminder
from notifications.services import reminder_ensure, reminder_schedule
from people.models import User
from people.roles import Role

logger = logging.getLogger(__name__)

#: Foreign keys to a case that only refer to it; the row belongs to another case.
REFERENCE_FIELDS = frozenset({("doxing_cases.Case", "merged_into"), ("doxing_cases.CaseEvent", "other_case")})
#: How a foreign key makes a row part of its parent: the row cannot outlive it.
OWNING = (models.CASCADE, models.PROTECT)
CHUNK = 500


# --- Periods --------------------------------------------------------------------------


def retention_days(kind: str = "case") -> int:
    return int(settings.HANDVAT_RETENTION[kind])


def notice_days() -> int:
    return int(settings.HANDVAT_RETENTION_NOTICE_DAYS)


@dataclass(frozen=True)
class RetentionState:
    """Where a case stands: kept open, held, or counting down to ``erase_from``."""

    is_closed: bool
    held: bool
    erase_from: dt.datetime | None  # the earliest moment it may be erased (before the notice rule)
    notice_key: str

    @property
    def notice_from(self) -> dt.datetime | None:
        return self.erase_from - dt.timedelta(days=notice_days()) if self.erase_from else None


def retention_state(case: Case, *, now: dt.datetime | None = None) -> RetentionState:
    """The case's retention: never for an open case; held while a hold is in
    force; else the closing plus the period, or the end of the last hold if later."""
    now = now or timezone.now()
    holds = list(case.legal_holds.all())
    today = timezone.localdate(now)
    if case.status != Case.Status.CLOSED or case.closed_at is None:
        return RetentionState(is_closed=False, held=False, erase_from=None, notice_key="")
    if any(hold.in_force(today) for hold in holds):
        return RetentionState(is_closed=True, held=True, erase_from=None, notice_key="")
    erase_from = case.closed_at + dt.timedelta(days=retention_days("case"))
    ends = [end for end in (hold.ended_at() for hold in holds) if end is not None]
    if ends:
        erase_from = max(erase_from, max(ends))
    key = f"retention-notice:{case.pk}:{erase_from:%Y%m%d%H%M%S}"
    return RetentionState(is_closed=True, held=False, erase_from=erase_from, notice_key=key)


# --- The nightly run ----------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    notified: list[int]
    erased: list[int]


def retention_run(*, now: dt.datetime | None = None) -> RunResult:
    """Notify ahead and erase what is due. Each case in its own transaction, so
    one failure does not hold back the rest; a second run the same night
    changes nothing."""
    now = now or timezone.now()
    earliest_close = now - dt.timedelta(days=retention_days("case") - notice_days())
    candidates = (
        Case.objects.filter(status=Case.Status.CLOSED, closed_at__isnull=False)
        .filter(Q(closed_at__lte=earliest_close) | Q(legal_holds__isnull=False))
        .distinct()
        .select_related("coordinator")
        .prefetch_related("legal_holds")
        .order_by("pk")
    )
    notified: list[int] = []
    erased: list[int] = []
    for case in candidates:
        state = retention_state(case, now=now)
        if state.erase_from is None or now < state.notice_from:
            continue
        notice = Reminder.objects.filter(key=state.notice_key).first()
        if notice is None:
            if _notify(case, state, now=now):
                notified.append(case.pk)
            continue
        if notice.sent_at is None:
            if notice.cancelled_at is not None:  # cancelled with the case's other reminders: plan it again
                _notify(case, state, now=now, again=True)
            continue
        # The period counts from the notice's delivery in the app, not from planning it.
        if now >= state.erase_from and now >= notice.sent_at + dt.timedelta(days=notice_days()):
            try:
                case_erase(case_id=case.pk)
            except Exception:
                logger.exception("retention: erasing failed case=%s", case.pk)
            else:
                erased.append(case.pk)
    return RunResult(notified=notified, erased=erased)


def _notify(case: Case, state: RetentionState, *, now: dt.datetime, again: bool = False) -> bool:
    """Tell the coordinator (or, with none, the privacy officers) in the app, once per erase date;
    ``again`` brings back a notice that was cancelled before it went out."""
    recipients: Iterable[User]
    if case.coordinator is not None and case.coordinator.is_active:
        recipients = [case.coordinator]
    else:
        recipients = User.objects.filter(groups__name=Role.PRIVACY_OFFICER.value, is_active=True)
    sent = False
    with transaction.atomic():
        for index, recipient in enumerate(recipients):
            key = state.notice_key if index == 0 else f"{state.notice_key}:{recipient.pk}"
            plan = reminder_ensure if again else reminder_schedule
            plan(
                kind=Kind.RETENTION_NOTICE,
                recipient=recipient,
                due_at=now,
                key=key,
                case_id=case.pk,
                label=case.reference,
                link=reverse("cases:retention", args=[case.pk]),
            )
            sent = True
    if sent:
        logger.info("retention: notice case=%s erase_from=%s", case.pk, state.erase_from.date())
    else:
        logger.warning("retention: nobody to notify case=%s", case.pk)
    return sent


# --- Legal holds ---------------------------------------------------------------------------


@transaction.atomic
def legal_hold_place(*, actor: User, case: Case, reason: str, until: dt.date | None = None) -> LegalHold:
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("The end date cannot be in the past.")})
    hold = LegalHold(case=case, reason=reason, until=until, placed_by=actor)
    hold.full_clean()
    hold.save()
    logger.info("retention: legal hold placed case=%s hold=%s", case.pk, hold.pk)
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is None:
        hold.lifted_at = timezone.now()
        hold.lifted_by = actor
        hold.save(update_fields=["lifted_at", "lifted_by"])
        logger.info("retention: legal hold lifted case=%s hold=%s", hold.case_id, hold.pk)
    return hold


# --- Erasure -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owned:
    """A model whose rows belong to a case, and the foreign keys that make them so."""

    model: type[models.Model]
    parents: tuple[tuple[models.ForeignKey, type[models.Model]], ...]


def owned_models() -> list[Owned]:
    """Every model with a foreign-key path to Case, parents before children."""
    found: dict[type[models.Model], list[tuple[models.ForeignKey, type[models.Model]]]] = {}
    frontier: list[type[models.Model]] = [Case]
    order: list[type[models.Model]] = []
    candidates = [m for m in apps.get_models() if not _is_history(m)]
    seen = {Case}
    while frontier:
        parent = frontier.pop(0)
        for model in candidates:
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model is not parent:
                    continue
                if (model._meta.label, field.name) in REFERENCE_FIELDS:
                    continue
                if field.remote_field.on_delete not in OWNING:
                    continue
                found.setdefault(model, []).append((field, parent))
                if model not in seen:
                    seen.add(model)
                    frontier.append(model)
                    order.append(model)
    return [Owned(model, tuple(found[model])) for model in _parents_first(order, found)]


def _parents_first(
    order: list[type[models.Model]], found: dict[type[models.Model], list[tuple[models.ForeignKey, Any]]]
) -> list[type[models.Model]]:
    placed: list[type[models.Model]] = []
    pending = list(order)
    while pending:
        for model in pending:
            if all(parent is Case or parent in placed for _field, parent in found[model]):
                placed.append(model)
                pending.remove(model)
                break
        else:  # a cycle: keep the discovery order for the rest
            placed.extend(pending)
            break
    return placed


def _is_history(model: type[models.Model]) -> bool:
    return getattr(model, "_meta", None) is not None and hasattr(model, "instance_type")


def _history(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _ids_where(queryset: models.QuerySet[Any], attname: str, values: set[Any], column: str) -> set[Any]:
    ids: set[Any] = set()
    for chunk in _chunks(values):
        ids.update(queryset.filter(**{f"{attname}__in": chunk}).values_list(column, flat=True))
    return ids


def case_erase(*, case_id: int) -> Counter[str]:
    """Erase one case and everything of it. Returns the counts per model (no content)."""
    files: list[tuple[Any, str]] = []
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None:
            return Counter()
        counts = _erase_rows(case_id, files)
        transaction.on_commit(lambda: _delete_files(case_id, files))
    logger.info(
        "retention: case erased case=%s %s",
        case_id,
        " ".join(f"{label}={count}" for label, count in sorted(counts.items()) if count),
    )
    return counts


def _erase_rows(case_id: int, files: list[tuple[Any, str]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    owned = owned_models()
    ids: dict[type[models.Model], set[Any]] = {Case: {case_id}}
    # 1. Which rows are the case's: alive now, or only left in the history.
    for item in owned:
        history = _history(item.model)
        live: set[Any] = set()
        past: set[Any] = set()
        for field, parent in item.parents:
            live |= _ids_where(item.model._default_manager.all(), field.attname, ids[parent], "pk")
            if history is not None:
                past |= _ids_where(history.objects.all(), field.attname, ids[parent], item.model._meta.pk.attname)
        # A row that moved to another case since (a report moved on) stays with that case.
        moved = _ids_where(item.model._default_manager.all(), "pk", past - live, "pk")
        ids[item.model] = live | (past - moved)
    # 2. Rows of other cases that only refer to this one lose the reference.
    _drop_references(case_id, counts)
    # 3. The files, from the live rows and every earlier version.
    for item in [*owned, Owned(Case, ())]:
        file_fields = [f for f in item.model._meta.concrete_fields if isinstance(f, models.FileField)]
        history = _history(item.model)
        for field in file_fields:
            for source in filter(None, [item.model._default_manager.all(), history and history.objects.all()]):
                names = _ids_where(source, item.model._meta.pk.attname, ids[item.model], field.attname)
                files.extend((field.storage, name) for name in names if name)
    # 4. The rows, children first; then every history row of them.
    for item in reversed([Owned(Case, ()), *owned]):
        for chunk in _chunks(ids[item.model]):
            _deleted, per_model = item.model._default_manager.filter(pk__in=chunk).delete()
            counts.update(per_model)
    for item in [Owned(Case, ()), *owned]:
        history = _history(item.model)
        if history is None:
            continue
        condition = Q()
        for field, parent in item.parents:
            if parent is Case:
                condition |= Q(**{field.attname: case_id})
        pk_name = item.model._meta.pk.attname
        deleted = 0
        for chunk in _chunks(ids[item.model]):
            deleted += history.objects.filter(**{f"{pk_name}__in": chunk}).delete()[0]
        if condition:
            deleted += history.objects.filter(condition).delete()[0]
        counts[history._meta.label] += deleted
    # 5. What the reminder engine holds for the case (planned, sent or cancelled).
    counts[Reminder._meta.label] += Reminder.objects.filter(case_id=case_id).delete()[0]
    counts[Notification._meta.label] += Notification.objects.filter(case_id=case_id).delete()[0]
    return counts


def _drop_references(case_id: int, counts: Counter[str]) -> None:
    """A case merged into this one, or a timeline line of another case that
    names it, keeps its own row without the link (a history row says so)."""
    for merged in Case.objects.filter(merged_into_id=case_id).exclude(pk=case_id):
        merged.merged_into = None
        merged.save(update_fields=["merged_into"])
        counts["references dropped"] += 1
    for event in CaseEvent.objects.filter(other_case_id=case_id).exclude(case_id=case_id):
        event.other_case = None
        event.save(update_fields=["other_case"])
        counts["references dropped"] += 1
    # Earlier versions of those rows would still name the erased case.
    Case.history.filter(merged_into_id=case_id).exclude(id=case_id).update(merged_into_id=None)
    CaseEvent.history.filter(other_case_id=case_id).exclude(case_id=case_id).update(other_case_id=None)


def _delete_files(case_id: int, files: list[tuple[Any, str]]) -> None:
    removed = 0
    for storage, name in dict.fromkeys(files):
        try:
            if storage.exists(name):
                storage.delete(name)
                removed += 1
        except OSError:
            logger.exception("retention: a file could not be deleted case=%s", case_id)
    logger.info("retention: files deleted case=%s count=%s", case_id, removed)
