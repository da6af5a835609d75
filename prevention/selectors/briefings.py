"""Reads of briefing risk checks, limited to the teams a user prepares briefings for."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from people import access
from people.models import User
from prevention.models import Deployment

#: How many past deployments the list shows; older ones stay in the history.
PAST_SHOWN = 50


def deployments_for(user: User) -> QuerySet[Deployment]:
    return Deployment.objects.filter(team__in=access.briefing_teams(user)).select_related("team", "created_by")


def upcoming_deployments(user: User, *, today: dt.date | None = None) -> QuerySet[Deployment]:
    """Today's and later deployments, the highest risk first, then the soonest."""
    today = today or timezone.localdate()
    return deployments_for(user).filter(held_on__gte=today).order_by("-risk", "held_on", "pk")


def past_deployments(user: User, *, today: dt.date | None = None) -> QuerySet[Deployment]:
    """Deployments that have been, the most recent first."""
    today = today or timezone.localdate()
    return deployments_for(user).filter(held_on__lt=today).order_by("-held_on", "-pk")[:PAST_SHOWN]


def deployment_for_user(user: User, deployment_id: int) -> Deployment:
    """The deployment, if it belongs to a team the user prepares briefings for; else 404."""
    deployment = deployments_for(user).filter(pk=deployment_id).first()
    if deployment is None:
        raise Http404
    return deployment
