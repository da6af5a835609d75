"""Shared by every service module: the row lock and the timeline line."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from doxing_cases.models import Case, CaseEvent, Part
from people.models import User


def locked(case: Case) -> Case:
    """The case re-read under a row lock (PostgreSQL), so two changes cannot both win."""
    return Case.objects.select_for_update(of=("self",)).select_related("subject__team", "coordinator").get(pk=case.pk)


def record_event(
    case: Case,
    *,
    actor: User | None,
    kind: str,
    part: str = Part.CASE,
    obj: models.Model | None = None,
    **fields: Any,
) -> CaseEvent:
    """Write one timeline line. ``part`` decides which involved people see it;
    ``shown_to_employee`` / ``shown_to_manager`` open it to those two."""
    if obj is not None:
        fields["content_type"] = ContentType.objects.get_for_model(obj)
        fields["object_id"] = obj.pk
    event = CaseEvent(case=case, actor=actor, kind=kind, part=part, **fields)
    clean(event)
    event.save()
    return event


def clean(instance: models.Model) -> None:
    """``full_clean`` without one query per foreign key: the related rows were
    handed in as loaded objects, and the database's foreign keys hold anyway.
    (No model of ours limits a relation's choices, which that check would enforce.)"""
    instance.full_clean(exclude=[field.name for field in instance._meta.concrete_fields if field.is_relation])
