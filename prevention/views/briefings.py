"""Pages for the briefing risk check (recommendation 2): managers check their
own teams' deployments, coordinators every team's; nobody else sees them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people import access
from people.forms import add_service_errors
from people.models import Team
from prevention.forms.briefings import DeploymentForm
from prevention.models import Deployment
from prevention.selectors import briefings as selectors
from prevention.services import briefings as services

GET_POST = require_http_methods(["GET", "POST"])


def _teams_or_404(request: HttpRequest) -> QuerySet[Team]:
    teams = access.briefing_teams(request.user)
    if not teams.exists():
        raise Http404
    return teams


@login_required
@require_GET
def briefing_list(request: HttpRequest) -> HttpResponse:
    _teams_or_404(request)
    today = timezone.localdate()
    context = {
        "upcoming": selectors.upcoming_deployments(request.user, today=today),
        "past": selectors.past_deployments(request.user, today=today),
        "past_shown": selectors.PAST_SHOWN,
    }
    return render(request, "prevention/briefings/list.html", context)


@login_required
@GET_POST
def briefing_new(request: HttpRequest) -> HttpResponse:
    teams = _teams_or_404(request)
    form = DeploymentForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            deployment = services.deployment_check(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The risk check is saved. Discuss the advice below in the briefing."))
            return redirect("prevention:briefing", deployment_id=deployment.pk)
    return render(request, "prevention/briefings/new.html", {"form": form})


def _answered(deployment: Deployment) -> list[tuple[str, str]]:
    """Each question with its answer, in the order asked."""
    return [
        (Deployment._meta.get_field(question).verbose_name, getattr(deployment, f"get_{question}_display")())
        for question in services.QUESTIONS
    ]


@login_required
@require_GET
def briefing_detail(request: HttpRequest, deployment_id: int) -> HttpResponse:
    deployment = selectors.deployment_for_user(request.user, deployment_id)
    answers = services.answers_of(deployment)
    _risk, advice = services.assess(answers)
    context = {
        "deployment": deployment,
        "answers": _answered(deployment),
        "reasons": services.explain(answers),
        "advice": advice,
    }
    return render(request, "prevention/briefings/detail.html", context)


@login_required
@require_POST
def briefing_discussed(request: HttpRequest, deployment_id: int) -> HttpResponse:
    deployment = selectors.deployment_for_user(request.user, deployment_id)
    services.deployment_mark_discussed(actor=request.user, deployment=deployment)
    messages.success(request, _("Marked as discussed in the briefing."))
    return redirect("prevention:briefing", deployment_id=deployment.pk)


urlpatterns: list[URLPattern] = [
    path("briefings/", briefing_list, name="briefings"),
    path("briefings/new/", briefing_new, name="briefing_new"),
    path("briefings/<int:deployment_id>/", briefing_detail, name="briefing"),
    path("briefings/<int:deployment_id>/discussed/", briefing_discussed, name="briefing_discussed"),
]
