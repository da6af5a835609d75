"""Reads of the coordination side: decisions, the communication agreement and press enquiries."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from doxing_cases.models import Case, CommunicationAgreement, Decision, Involvement, PressEnquiry
from people.models import User


def decisions(case: Case) -> QuerySet[Decision]:
    return case.decisions.select_related("recorded_by").order_by("-decided_on", "-pk")


def own_decisions(case: Case) -> QuerySet[Decision]:
    """What the employee sees of the decisions: not the options weighed, nor the
    alignment with the police about the perpetrator."""
    return case.decisions.defer("options", "police_alignment").order_by("-decided_on", "-pk")


def communication_agreement(case: Case) -> CommunicationAgreement | None:
    return CommunicationAgreement.objects.select_related("updated_by").filter(case=case).first()


def press_enquiries(case: Case) -> QuerySet[PressEnquiry]:
    return case.press_enquiries.select_related("handled_by").order_by("-received_at", "-pk")


def press_handlers(case: Case) -> list[User]:
    """Who can have handled a press enquiry: the coordinator and the involved department contacts."""
    involved = case.involvements.filter(kind=Involvement.Kind.DEPARTMENT, ended_at__isnull=True).values("user_id")
    users = User.objects.filter(Q(pk__in=involved) | Q(pk=case.coordinator_id))
    return list(users.order_by("first_name", "last_name", "username"))
