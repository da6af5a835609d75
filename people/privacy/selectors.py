from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from people.models import AccessLog


def access_log_filtered(filters: dict[str, Any]) -> QuerySet[AccessLog]:
    """The log rows matching the privacy officer's filters, newest first.
    No joins: the row carries the username, and the case may be erased."""
    rows = AccessLog.objects.order_by("-at", "-pk")
    if filters.get("case") is not None:
        rows = rows.filter(case_id=filters["case"])
    if filters.get("user") is not None:
        rows = rows.filter(user=filters["user"])
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if filters.get("since"):
        rows = rows.filter(at__gte=filters["since"])
    if filters.get("until"):
        rows = rows.filter(at__lte=filters["until"])
    return rows


def case_reference(case_id: int | None) -> str:
    """The reference the case had (``doxing_cases.Case.reference``), also after erasure."""
    return f"HV-{case_id:04d}" if case_id is not None else ""
