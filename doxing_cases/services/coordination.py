"""Decisions taken with the employee, and how the organisation deals with the
media (recommendations 12, 13, 14, 16).

Only the coordinator changes these. Decisions and the communication agreement
are the employee's business too, so their timeline lines are shown to the
employee; press enquiries stay with the coordinator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doxing_cases.models import Case, CaseEvent, CommunicationAgreement, Decision, Part, PressEnquiry
from doxing_cases.selectors import coordination as selectors
from doxing_cases.services.events import locked, record_event
from people import access
from people.history import records_actor
from people.models import User

#: The fields each row has that a person fills in: what the ``*_update`` services may change.
DECISION_FIELDS = (
    "question",
    "options",
    "decision",
    "decided_by",
    "decided_on",
    "employee_heard",
    "employee_view",
    "about_perpetrator",
    "criminal_doxing_suspected",
    "police_alignment",
)
AGREEMENT_FIELDS = ("strategy", "spokesperson", "agreed_with_employee", "agreed_with_relatives", "notes", "agreed_on")
PRESS_FIELDS = ("received_at", "outlet", "question", "response", "handled_by")


def _require(actor: User, case: Case, ability: str) -> None:
    if not set(access.ability(ability)) & access.case_parts(actor, case):
        raise PermissionDenied


def _stripped(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}


def _apply(row: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Set the fields on ``row``; the names of those that changed."""
    changed = []
    for name, value in _stripped(fields, allowed).items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


# --- Decisions (recommendations 12, 13, 16) ----------------------------------------


def _check_decision(decision: Decision) -> None:
    errors: dict[str, str] = {}
    if not decision.employee_heard and not decision.employee_view:
        errors["employee_view"] = _(
            "Decisions are taken with the employee. If they were not heard, say why, and when they will be."
        )
    if decision.needs_police_alignment and not decision.police_alignment:
        errors["police_alignment"] = _(
            "Criminal doxing is suspected: align any step toward the perpetrator with the police first, "
            "and record what was agreed."
        )
    if decision.decided_on and decision.decided_on > timezone.localdate():
        errors["decided_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@records_actor
def decision_record(
    *,
    actor: User,
    case: Case,
    question: str,
    decision: str,
    decided_by: str,
    options: str = "",
    decided_on: dt.date | None = None,
    employee_heard: bool = True,
    employee_view: str = "",
    about_perpetrator: bool = False,
    criminal_doxing_suspected: bool = False,
    police_alignment: str = "",
) -> Decision:
    """Record a decision with the employee's view. A step toward a perpetrator
    of suspected criminal doxing needs alignment with the police first."""
    case = locked(case)
    _require(actor, case, "edit_decisions")
    fields = {
        "question": question,
        "options": options,
        "decision": decision,
        "decided_by": decided_by,
        "decided_on": decided_on or timezone.localdate(),
        "employee_heard": employee_heard,
        "employee_view": employee_view,
        "about_perpetrator": about_perpetrator,
        "criminal_doxing_suspected": criminal_doxing_suspected,
        "police_alignment": police_alignment,
    }
    entry = Decision(case=case, recorded_by=actor, **_stripped(fields, DECISION_FIELDS))
    entry.full_clean()
    _check_decision(entry)
    entry.save()
    record_event(
        case, actor=actor, kind=CaseEvent.Kind.DECISION, part=Part.COORDINATION, obj=entry, shown_to_employee=True
    )
    return entry


@transaction.atomic
@records_actor
def decision_update(*, actor: User, entry: Decision, **changes: Any) -> Decision:
    """Correct or complete a decision, for example the employee's view after a
    talk: ``changes`` holds any of ``DECISION_FIELDS``. (The row is ``entry``
    because ``decision`` is one of its fields.)"""
    case = locked(entry.case)
    _require(actor, case, "edit_decisions")
    entry = Decision.objects.select_for_update(of=("self",)).get(pk=entry.pk, case=case)
    changed = _apply(entry, changes, DECISION_FIELDS)
    entry.full_clean()
    _check_decision(entry)
    if not changed:
        return entry
    entry.save(update_fields=changed)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.DECISION,
        action=CaseEvent.Action.CHANGED,
        part=Part.COORDINATION,
        obj=entry,
        shown_to_employee=True,
    )
    return entry


# --- Communication (recommendation 14) -----------------------------------------------


@transaction.atomic
@records_actor
def communication_agreement_save(
    *,
    actor: User,
    case: Case,
    strategy: str,
    spokesperson: str = "",
    agreed_with_employee: bool = False,
    agreed_with_relatives: bool = False,
    notes: str = "",
    agreed_on: dt.date | None = None,
) -> CommunicationAgreement:
    """Record the agreement on media and the public, or change it: one per case."""
    case = locked(case)
    _require(actor, case, "edit_communication")
    fields = {
        "strategy": strategy,
        "spokesperson": spokesperson,
        "agreed_with_employee": agreed_with_employee,
        "agreed_with_relatives": agreed_with_relatives,
        "notes": notes,
        "agreed_on": agreed_on or timezone.localdate(),
    }
    agreement = CommunicationAgreement.objects.select_for_update(of=("self",)).filter(case=case).first()
    if agreement is None:
        agreement = CommunicationAgreement(case=case, updated_by=actor, **_stripped(fields, AGREEMENT_FIELDS))
        agreement.full_clean()
        agreement.save()
        action = CaseEvent.Action.ADDED
    else:
        changed = _apply(agreement, fields, AGREEMENT_FIELDS)
        agreement.full_clean()
        if not changed:
            return agreement
        agreement.updated_by = actor
        agreement.save(update_fields=[*changed, "updated_by"])
        action = CaseEvent.Action.CHANGED
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.COMMUNICATION,
        action=action,
        part=Part.COORDINATION,
        obj=agreement,
        new_value=agreement.strategy,
        shown_to_employee=True,
    )
    return agreement


def _check_press(*, actor: User, case: Case, enquiry: PressEnquiry, check_handler: bool = True) -> None:
    if (
        check_handler
        and enquiry.handled_by_id != actor.pk
        and enquiry.handled_by_id not in {user.pk for user in selectors.press_handlers(case)}
    ):
        raise ValidationError({"handled_by": _("Choose the coordinator or an involved department contact.")})
    if enquiry.received_at and enquiry.received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("This moment is in the future.")})


@transaction.atomic
@records_actor
def press_enquiry_log(
    *,
    actor: User,
    case: Case,
    outlet: str,
    question: str,
    response: str = "",
    received_at: dt.datetime | None = None,
    handled_by: User | None = None,
) -> PressEnquiry:
    """Log a question from the press; who handled it is the coordinator or a department contact."""
    case = locked(case)
    _require(actor, case, "edit_communication")
    fields = {
        "outlet": outlet,
        "question": question,
        "response": response,
        "received_at": received_at or timezone.now(),
        "handled_by": handled_by or actor,
    }
    enquiry = PressEnquiry(case=case, **_stripped(fields, PRESS_FIELDS))
    enquiry.full_clean()
    _check_press(actor=actor, case=case, enquiry=enquiry)
    enquiry.save()
    record_event(case, actor=actor, kind=CaseEvent.Kind.PRESS_ENQUIRY, part=Part.COORDINATION, obj=enquiry)
    return enquiry


@transaction.atomic
@records_actor
def press_enquiry_update(*, actor: User, enquiry: PressEnquiry, **changes: Any) -> PressEnquiry:
    """Add the answer given, or correct the enquiry: ``changes`` holds any of ``PRESS_FIELDS``."""
    case = locked(enquiry.case)
    _require(actor, case, "edit_communication")
    enquiry = PressEnquiry.objects.select_for_update(of=("self",)).get(pk=enquiry.pk, case=case)
    changed = _apply(enquiry, changes, PRESS_FIELDS)
    enquiry.full_clean()
    # Who handled it is checked when it changes: a contact whose involvement
    # ended since then still handled it.
    _check_press(actor=actor, case=case, enquiry=enquiry, check_handler="handled_by" in changed)
    if not changed:
        return enquiry
    enquiry.save(update_fields=changed)
    record_event(
        case,
        actor=actor,
        kind=CaseEvent.Kind.PRESS_ENQUIRY,
        action=CaseEvent.Action.CHANGED,
        part=Part.COORDINATION,
        obj=enquiry,
    )
    return enquiry
