"""The aftercare parts of the case page and of the employee's own page.

``doxing_cases`` may not import this app; its templates load this tag instead,
so the case page composes aftercare through the template, with the queries
made here, joined up front, and only for what ``case.can`` allows."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from aftercare.selectors import aftercare as selectors
from aftercare.services.flare_ups import proposed_anniversary
from doxing_cases.models import Case

register = template.Library()


@register.inclusion_tag("aftercare/_section.html", takes_context=True)
def aftercare_section(context: dict[str, Any], case: Case) -> dict[str, Any]:
    can = case.can
    data: dict[str, Any] = {"case": case, "request": context.get("request"), "today": timezone.localdate()}
    if can["view_flare_ups"]:
        data["moments"] = list(selectors.upcoming_flare_ups(case)[:5])
        data["proposal"] = proposed_anniversary(case) if can["edit_flare_ups"] else None
    if can["view_follow_ups"]:
        data["follow_ups"] = list(selectors.planned_follow_ups(case)[:5])
    if can["view_evaluations"]:
        data["evaluations"] = list(case.evaluations.select_related("recorded_by").order_by("-held_on", "-pk"))
    return data


@register.inclusion_tag("aftercare/_own.html", takes_context=True)
def aftercare_own(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """What the employee sees: moments to be ready for, evaluations, the way back in, feedback."""
    return {
        "case": case,
        "request": context.get("request"),
        "user": context.get("user"),
        "moments": list(selectors.upcoming_flare_ups(case)[:5]),
        "evaluations": list(case.evaluations.select_related("recorded_by").order_by("-held_on", "-pk")),
        "feedback_open": case.status == Case.Status.CLOSED and not hasattr(case, "feedback"),
    }
