"""The prevention overview: the parts a person can use, on one page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from people import access
from prevention.selectors.readiness import readiness


@login_required
@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "can_training": access.training_teams(user).exists(),
        "can_manage_training": access.may_manage_training(user),
        "can_briefings": access.briefing_teams(user).exists(),
        "can_exposure": access.may_manage_exposure(user) or user.exposure_items.exists(),
        "can_readiness": access.may_manage_readiness(user),
        "readiness": readiness() if access.may_manage_readiness(user) else None,
    }
    return render(request, "prevention/hub.html", context)


urlpatterns: list[URLPattern] = [path("prevention/", hub, name="hub")]
