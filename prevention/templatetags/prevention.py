"""The readiness score on the coordinator's dashboard. ``doxing_cases`` may not
import this app; its dashboard template loads this tag instead."""

from __future__ import annotations

from typing import Any

from django import template

from people import access
from prevention.selectors.readiness import readiness

register = template.Library()


@register.inclusion_tag("prevention/readiness/_summary.html", takes_context=True)
def readiness_summary(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not access.may_manage_readiness(user):
        return {"readiness": None}
    return {"readiness": readiness()}
