"""Pages for the debriefing log (recommendation 4): managers log that their team
talked the work over, coordinators read every team's log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from people import access
from people.forms import add_service_errors
from people.models import Team
from prevention.forms.debriefs import DebriefFilterForm, DebriefForm
from prevention.models import Debrief
from prevention.services import debriefs as services

DEBRIEFS_PER_PAGE = 25


def _teams(request: HttpRequest) -> QuerySet[Team]:
    teams = access.debrief_teams(request.user).order_by("name")
    if not teams.exists():
        raise Http404
    return teams


def _debriefs(teams: QuerySet[Team], team: Team | None) -> QuerySet[Debrief]:
    debriefs = Debrief.objects.filter(team__in=teams).select_related("team", "recorded_by")
    if team is not None:
        debriefs = debriefs.filter(team=team)
    return debriefs.order_by("-held_on", "-pk")


def _with_topic_labels(debriefs: list[Debrief]) -> list[Debrief]:
    labels = dict(Debrief.Topic.choices)
    for debrief in debriefs:
        debrief.topic_labels = [labels[topic] for topic in debrief.topics if topic in labels]
    return debriefs


@login_required
@require_GET
def debrief_list(request: HttpRequest) -> HttpResponse:
    teams = _teams(request)
    form = DebriefFilterForm(request.GET or None, teams=teams)
    team = form.cleaned_data["team"] if form.is_valid() else None
    page = Paginator(_debriefs(teams, team), DEBRIEFS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _with_topic_labels(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "team": team, "query": query.urlencode(), "many_teams": teams.count() > 1}
    return render(request, "prevention/debriefs/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def debrief_new(request: HttpRequest) -> HttpResponse:
    teams = _teams(request)
    initial = {"team": teams.first()} if teams.count() == 1 else {}
    form = DebriefForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.debrief_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The debrief is recorded."))
            return redirect("prevention:debriefs")
    return render(request, "prevention/debriefs/new.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("debriefs/", debrief_list, name="debriefs"),
    path("debriefs/new/", debrief_new, name="debrief_new"),
]
