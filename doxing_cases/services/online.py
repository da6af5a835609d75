"""The online side of a case (recommendations 6, 10, 20 and 25): the map of
what leaked and where, the evidence, takedown requests with their follow-up,
and the accounts of the suspected doxer that link cases together."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doxing_cases import uploads
from doxing_cases.models import (
    Case,
    CaseEvent,
    DoxerIdentifier,
    Evidence,
    ExposedItem,
    Level,
    Part,
    TakedownRequest,
    Task,
)
from doxing_cases.services.events import locked, record_event
from doxing_cases.services.tasks import task_cancel_by_key, task_create
from people import access
from people.history import records_actor
from people.models import User

logger = logging.getLogger(__name__)

#: How long a host or platform gets to answer, unless the sender says otherwise.
TAKEDOWN_ANSWER_DAYS = 14
#: A screenshot's clock may run a little ahead of the server's.
CLOCK_SLACK = dt.timedelta(minutes=5)
#: Query parameters that only say where a click came from; they never make two links different.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "igsh",
        "mc_cid",
        "mc_eid",
        "si",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
    }
)
#: Item statuses the employee hears about on their own page.
STATUSES_SHOWN_TO_EMPLOYEE = frozenset({ExposedItem.Status.REMOVED, ExposedItem.Status.ARCHIVED})
ANSWER_STATUSES = frozenset(
    {TakedownRequest.Status.REMOVED, TakedownRequest.Status.REFUSED, TakedownRequest.Status.NO_ANSWER}
)


def _require(actor: User, case: Case, ability: str) -> None:
    if not set(access.ability(ability)) & access.case_parts(actor, case):
        raise PermissionDenied


# --- Normalising links and handles -----------------------------------------------------


def normalize_url(url: str) -> str:
    """A link as it is compared between cases: lower case, without scheme,
    "www.", fragment, tracking parameters or trailing slash; path and the
    other parameters kept (``?v=`` tells one video from another)."""
    value = url.strip().lower()
    if not value:
        return ""
    try:
        parts = urlsplit(value if "//" in value else f"//{value}")
        port = parts.port
    except ValueError:  # not a link after all (a bad port, a stray bracket): compare it as written
        return value
    host = (parts.hostname or "").removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted(
        (key, item)
        for key, item in parse_qsl(parts.query, keep_blank_values=True)
        if not key.startswith("utm_") and key not in TRACKING_PARAMETERS
    )
    path = parts.path.rstrip("/")
    normalized = host + path + (f"?{urlencode(query)}" if query else "")
    return normalized.rstrip("/")


def normalize_identifier(kind: str, value: str) -> str:
    """A handle, account or link of the suspected doxer as it is compared
    between cases: "@Foo " and "foo" are the same handle."""
    if kind == DoxerIdentifier.Kind.URL:
        return normalize_url(value)
    cleaned = "".join(value.split()).lower().lstrip("@")
    if cleaned.startswith(("http://", "https://", "www.")):
        return normalize_url(cleaned)
    return cleaned


# --- The exposed-data inventory ------------------------------------------------------------


def _clean_urls(urls: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for url in urls:
        if url.strip() and url.strip() not in cleaned:
            cleaned.append(url.strip())
    return cleaned


def _check_item(case: Case, item: ExposedItem | None) -> None:
    if item is not None and item.case_id != case.pk:
        raise ValidationError({"exposed_item": _("That exposed data belongs to another case.")})


@transaction.atomic
@records_actor
def exposed_item_create(
    *,
    actor: User,
    case: Case,
    kind: str,
    detail: str = "",
    platform: str = "",
    urls: Iterable[str] = (),
    found_at: dt.datetime | None = None,
    risk: int = Level.UNKNOWN,
) -> ExposedItem:
    """Add one piece of personal data found online to the case's map."""
    case = locked(case)
    _require(actor, case, "edit_inventory")
    item = ExposedItem(
        case=case,
        kind=kind,
        detail=detail.strip(),
        platform=platform,
        urls=_clean_urls(urls),
        found_at=found_at or timezone.now(),
        risk=risk,
        created_by=actor,
    )
    item.full_clean()
    item.save()
    record_event(case, actor=actor, kind=CaseEvent.Kind.EXPOSED_ITEM, part=Part.ONLINE, obj=item)
    return item


@transaction.atomic
@records_actor
def exposed_item_update(
    *,
    actor: User,
    item: ExposedItem,
    kind: str,
    detail: str = "",
    platform: str = "",
    urls: Iterable[str] = (),
    found_at: dt.datetime | None = None,
    risk: int = Level.UNKNOWN,
    status: str | None = None,
) -> ExposedItem:
    """Change what is known of an item; a new status gets a timeline line of its own."""
    case = locked(item.case)
    _require(actor, case, "edit_inventory")
    item = ExposedItem.objects.select_for_update(of=("self",)).get(pk=item.pk, case=case)
    new_values = {
        "kind": kind,
        "detail": detail.strip(),
        "platform": platform,
        "urls": _clean_urls(urls),
        "found_at": found_at or item.found_at,
        "risk": risk,
    }
    changed = [name for name, value in new_values.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, new_values[name])
    if changed:
        item.full_clean()
        item.save(update_fields=changed)
        record_event(
            case,
            actor=actor,
            kind=CaseEvent.Kind.EXPOSED_ITEM,
            action=CaseEvent.Action.CHANGED,
            part=Part.ONLINE,
            obj=item,
        )
    if status is not None and status != item.status:
        _set_item_status(actor=actor, case=case, item=item, status=status)
    return item


def _set_item_status(*, actor: User | None, case: Case, item: ExposedItem, status: str) -> None:
    old = item.status
    item.status = status
    item.full_clean()
    item.save(update_fields=["status"])
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.EXPOSED_ITEM,
        action=CaseEvent.Action.CHANGED,
        part=Part.ONLINE,
        obj=item,
        old_value=old,
        new_value=status,
        shown_to_employee=status in STATUSES_SHOWN_TO_EMPLOYEE,
    )


# --- Evidence ---------------------------------------------------------------------------------


@transaction.atomic
@records_actor
def evidence_add(
    *,
    actor: User,
    case: Case,
    url: str = "",
    platform: str = "",
    captured_at: dt.datetime | None = None,
    description: str = "",
    exposed_item: ExposedItem | None = None,
    file: uploads.CheckedFile | None = None,
) -> Evidence:
    """Record a capture: where, when it was seen, who collected it, and the
    checked file with its SHA-256 (recommendation 10).

    The employee may add evidence on their own case; it then shows on their
    own timeline. Preferably a specialist collects it (recommendation 20).
    """
    case = locked(case)
    parts = access.case_parts(actor, case)
    if not set(access.ability("add_evidence")) & parts:
        raise PermissionDenied
    if exposed_item is not None and not set(access.ability("view_inventory")) & parts:
        raise PermissionDenied
    _check_item(case, exposed_item)
    if not url.strip() and file is None:
        raise ValidationError(_("Give the web address, or add a file, or both."))
    if captured_at is not None and captured_at > timezone.now() + CLOCK_SLACK:
        raise ValidationError({"captured_at": _("This moment is in the future.")})
    evidence = Evidence(
        case=case,
        exposed_item=exposed_item,
        url=url.strip(),
        url_normalized=normalize_url(url)[:2000],
        platform=platform,
        captured_at=captured_at,
        received_at=timezone.now(),
        description=description.strip(),
        collected_by=actor,
    )
    if file is not None:
        evidence.original_name = file.original_name
        evidence.content_type = file.content_type
        evidence.size = file.size
        evidence.sha256 = file.sha256
        evidence.original_sha256 = file.original_sha256
    evidence.full_clean(exclude=["file"])
    stored = uploads.store(file, folder=f"evidence/{case.pk}", case_id=case.pk) if file is not None else ""
    try:
        evidence.file = stored
        evidence.save()
        record_event(
            case,
            actor=actor,
            kind=CaseEvent.Kind.EVIDENCE,
            part=Part.ONLINE,
            obj=evidence,
            shown_to_employee=actor.pk == case.subject_id,
        )
    except Exception:
        # The transaction rolls back; the file written for it must not linger.
        if stored:
            uploads.private_storage.delete(stored)
        raise
    logger.info("evidence added evidence=%s case=%s file=%s", evidence.pk, case.pk, bool(stored))
    return evidence


# --- Takedown requests ------------------------------------------------------------------------


def follow_up_key(takedown: TakedownRequest) -> str:
    return f"takedown-follow-up:{takedown.pk}"


@transaction.atomic
@records_actor
def takedown_create(
    *,
    actor: User,
    case: Case,
    url: str,
    route: str,
    recipient: str = "",
    exposed_item: ExposedItem | None = None,
) -> TakedownRequest:
    """A draft request to take one URL down; sending it is recorded later."""
    case = locked(case)
    _require(actor, case, "edit_takedowns")
    _check_item(case, exposed_item)
    takedown = TakedownRequest(
        case=case,
        exposed_item=exposed_item,
        url=url.strip(),
        url_normalized=normalize_url(url)[:2000],
        route=route,
        recipient=recipient.strip(),
        status=TakedownRequest.Status.DRAFT,
        created_by=actor,
    )
    takedown.full_clean()
    takedown.save()
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.TAKEDOWN,
        part=Part.ONLINE,
        obj=takedown,
        new_value=takedown.status,
    )
    return takedown


@transaction.atomic
@records_actor
def takedown_record_sending(
    *,
    actor: User,
    takedown: TakedownRequest,
    sent_on: dt.date,
    sent_by: User,
    recipient: str = "",
    answer_due: dt.date | None = None,
) -> TakedownRequest:
    """The request went out: from now on an answer is expected by ``answer_due``
    (14 days unless given), and the exposed data it is about is marked as
    "removal requested"."""
    case = locked(takedown.case)
    _require(actor, case, "edit_takedowns")
    takedown = TakedownRequest.objects.select_for_update(of=("self",)).get(pk=takedown.pk, case=case)
    if takedown.status != TakedownRequest.Status.DRAFT:
        raise ValidationError(_("The sending of this request is already recorded."))
    if not set(access.ability("edit_takedowns")) & access.case_parts(sent_by, case):
        raise ValidationError({"sent_by": _("%(name)s does not work on this case.") % {"name": sent_by.display_name}})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("This date is in the future.")})
    answer_due = answer_due or sent_on + dt.timedelta(days=TAKEDOWN_ANSWER_DAYS)
    if answer_due < sent_on:
        raise ValidationError({"answer_due": _("The answer cannot be due before the request was sent.")})
    takedown.sent_on = sent_on
    takedown.sent_by = sent_by
    takedown.recipient = recipient.strip() or takedown.recipient
    takedown.answer_due = answer_due
    takedown.status = TakedownRequest.Status.PENDING
    takedown.full_clean()
    takedown.save(update_fields=["sent_on", "sent_by", "recipient", "answer_due", "status"])
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.TAKEDOWN,
        action=CaseEvent.Action.CHANGED,
        part=Part.ONLINE,
        obj=takedown,
        target_user=sent_by,
        new_value=takedown.status,
    )
    item = takedown.exposed_item
    if item is not None and item.status == ExposedItem.Status.ONLINE:
        _set_item_status(actor=actor, case=case, item=item, status=ExposedItem.Status.REMOVAL_REQUESTED)
    return takedown


@transaction.atomic
@records_actor
def takedown_record_answer(
    *,
    actor: User,
    takedown: TakedownRequest,
    status: str,
    answer: str = "",
    answered_on: dt.date | None = None,
) -> TakedownRequest:
    """What came of it. "Removed" marks the exposed data as removed; any
    answer ends the follow-up task."""
    case = locked(takedown.case)
    _require(actor, case, "edit_takedowns")
    takedown = TakedownRequest.objects.select_for_update(of=("self",)).get(pk=takedown.pk, case=case)
    if takedown.status != TakedownRequest.Status.PENDING:
        raise ValidationError(
            _("Record the sending first.")
            if takedown.status == TakedownRequest.Status.DRAFT
            else _("The answer to this request is already recorded.")
        )
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("Choose what came of the request.")})
    answered_on = answered_on or timezone.localdate()
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("This date is in the future.")})
    if takedown.sent_on and answered_on < takedown.sent_on:
        raise ValidationError({"answered_on": _("The answer cannot come before the request was sent.")})
    takedown.status = status
    takedown.answer = answer.strip()
    takedown.answered_on = answered_on
    takedown.full_clean()
    takedown.save(update_fields=["status", "answer", "answered_on"])
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.TAKEDOWN,
        action=CaseEvent.Action.CHANGED,
        part=Part.ONLINE,
        obj=takedown,
        new_value=status,
    )
    _cancel_follow_up(case=case, takedown=takedown)
    item = takedown.exposed_item
    if status == TakedownRequest.Status.REMOVED and item is not None and item.status != ExposedItem.Status.REMOVED:
        _set_item_status(actor=actor, case=case, item=item, status=ExposedItem.Status.REMOVED)
    return takedown


def _cancel_follow_up(*, case: Case, takedown: TakedownRequest) -> None:
    # By the exact key: a prefix would also catch request 10 when request 1 is answered.
    task_cancel_by_key(actor=None, key=follow_up_key(takedown))


def _follow_up_owner(takedown: TakedownRequest) -> User | None:
    """Who sent it, while they still work on the case; else the coordinator."""
    case = takedown.case
    sender = takedown.sent_by
    if sender is not None and set(access.ability("edit_takedowns")) & access.case_parts(sender, case):
        return sender
    return case.coordinator


def takedowns_create_follow_ups(*, now: dt.datetime | None = None) -> int:
    """A task for every pending request whose answer is overdue (the answer
    day has passed). Each task has its request's key, so running this again,
    or in two workers at once, makes nothing twice. Returns how many were made.

    Not one transaction: each task is made in its own (``task_create``), so one
    request that cannot get a task does not hold back the others."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = list(
        TakedownRequest.objects.filter(status=TakedownRequest.Status.PENDING, answer_due__lt=today)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case__coordinator", "case__subject", "sent_by")
        .order_by("answer_due", "pk")
    )
    existing = set(
        Task.objects.filter(key__in=[follow_up_key(takedown) for takedown in overdue]).values_list("key", flat=True)
    )
    due_at = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(17, 0)))
    made = 0
    for takedown in overdue:
        if follow_up_key(takedown) in existing:
            continue
        owner = _follow_up_owner(takedown)
        if owner is None:
            logger.warning("no owner for a takedown follow-up takedown=%s case=%s", takedown.pk, takedown.case_id)
            continue
        with translation.override(settings.LANGUAGE_CODE):
            title = _("No answer yet to the takedown request to %(recipient)s: follow it up") % {
                "recipient": takedown.recipient or _("the host or platform")
            }
        try:
            task = task_create(
                actor=None,
                case=takedown.case,
                title=title[:200],
                owner=owner,
                due_at=due_at,
                part=Part.ONLINE,
                kind=Task.Kind.TAKEDOWN_FOLLOW_UP,
                key=follow_up_key(takedown),
            )
        except ValidationError:
            logger.exception("takedown follow-up refused takedown=%s case=%s", takedown.pk, takedown.case_id)
            continue
        if task is not None:
            made += 1
            logger.info("takedown follow-up made takedown=%s task=%s", takedown.pk, task.pk)
    return made


# --- The suspected doxer ------------------------------------------------------------------------


@transaction.atomic
@records_actor
def identifier_add(*, actor: User, case: Case, kind: str, value: str, platform: str = "") -> DoxerIdentifier:
    """Record a handle, account or link of the suspected doxer. Cases that
    share one are shown to their coordinators as related."""
    case = locked(case)
    _require(actor, case, "edit_identifiers")
    normalized = normalize_identifier(kind, value)[:500]
    if not normalized:
        raise ValidationError({"value": _("Write the handle, account or web address.")})
    if case.doxer_identifiers.filter(kind=kind, platform=platform, normalized=normalized).exists():
        raise ValidationError({"value": _("This is already recorded on this case.")})
    identifier = DoxerIdentifier(
        case=case, kind=kind, platform=platform, value=value.strip(), normalized=normalized, added_by=actor
    )
    identifier.full_clean()
    identifier.save()
    record_event(case, actor=actor, kind=CaseEvent.Kind.IDENTIFIER, part=Part.ONLINE, obj=identifier)
    return identifier
