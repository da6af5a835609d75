"""The readiness checklist and the peer-support roster (recommendations 5, 6, 7)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people import access
from people.forms import add_service_errors
from people.models import RosterEntry, User
from people.roles import Role
from prevention.forms.readiness import AvailabilityForm, ReadinessItemForm, RosterAddForm
from prevention.models import ReadinessItem
from prevention.selectors import readiness as selectors
from prevention.services import readiness as services

GET_POST = require_http_methods(["GET", "POST"])


def _coordinator(request: HttpRequest) -> None:
    if not access.may_manage_readiness(request.user):
        raise Http404


@login_required
@require_GET
def readiness_page(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    context = {
        "readiness": selectors.readiness(),
        "roster": selectors.roster(),
        "add_form": RosterAddForm(candidates=selectors.peer_supporters_not_on_roster()),
    }
    return render(request, "prevention/readiness/page.html", context)


@login_required
@GET_POST
def readiness_item(request: HttpRequest, key: str) -> HttpResponse:
    _coordinator(request)
    if key not in ReadinessItem.Key.values:
        raise Http404
    item = ReadinessItem.objects.filter(key=key).first()
    form = ReadinessItemForm(request.POST or None, initial={"done": item.done, "note": item.note} if item else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.readiness_item_set(actor=request.user, key=key, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("prevention:readiness")
    context = {"form": form, "label": ReadinessItem.Key(key).label}
    return render(request, "prevention/readiness/item.html", context)


@login_required
@require_POST
def roster_add(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    form = RosterAddForm(request.POST, candidates=selectors.peer_supporters_not_on_roster())
    if form.is_valid():
        services.roster_set(
            actor=request.user, user=form.cleaned_data["user"], available=True, note=form.cleaned_data["note"]
        )
        messages.success(request, _("%(name)s is on the roster.") % {"name": form.cleaned_data["user"].display_name})
    else:
        messages.error(request, _("Choose a peer supporter."))
    return redirect("prevention:readiness")


@login_required
@require_POST
def roster_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    _coordinator(request)
    entry = RosterEntry.objects.filter(user_id=user_id).select_related("user").first()
    if entry is None:
        raise Http404
    services.roster_remove(actor=request.user, user=entry.user)
    messages.success(request, _("%(name)s is off the roster.") % {"name": entry.user.display_name})
    return redirect("prevention:readiness")


@login_required
@GET_POST
def my_availability(request: HttpRequest) -> HttpResponse:
    """A peer supporter says whether they can be asked now."""
    user: User = request.user
    if not user.has_role(Role.PEER_SUPPORTER):
        raise Http404
    entry = RosterEntry.objects.filter(user=user).first()
    form = AvailabilityForm(
        request.POST or None,
        initial={"available": entry.available if entry else True, "note": entry.note if entry else ""},
    )
    if request.method == "POST" and form.is_valid():
        services.roster_set(actor=user, user=user, **form.cleaned_data)
        messages.success(request, _("Your availability is saved."))
        return redirect("prevention:my_availability")
    return render(request, "prevention/readiness/availability.html", {"form": form, "entry": entry})


urlpatterns: list[URLPattern] = [
    path("readiness/", readiness_page, name="readiness"),
    path("readiness/<str:key>/", readiness_item, name="readiness_item"),
    path("roster/add/", roster_add, name="roster_add"),
    path("roster/<int:user_id>/remove/", roster_remove, name="roster_remove"),
    path("roster/me/", my_availability, name="my_availability"),
]
