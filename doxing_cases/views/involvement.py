"""Involving a specialist, a security officer, a peer supporter or a
department contact in a case, and ending it (recommendation 11)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doxing_cases.forms import add_service_errors
from doxing_cases.forms.involvement import InvolvementForm
from doxing_cases.models import Involvement
from doxing_cases.selectors import involvement as selectors
from doxing_cases.services import involvement as services
from people import access
from people.models import AccessLog
from people.services import access_log_record


@login_required
@require_GET
def involvement_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_involvements"))
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="involvements")
    context = {"case": case, "involvements": selectors.case_involvements(case), "kinds": Involvement.Kind}
    return render(request, "doxing_cases/involvement/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def involvement_new(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("involve"))
    if kind not in Involvement.Kind.values:
        raise Http404
    form = InvolvementForm(request.POST or None, kind=kind, candidates=selectors.candidates(case, kind))
    if request.method == "POST" and form.is_valid():
        try:
            involvement = services.involvement_start(actor=request.user, case=case, kind=kind, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is now involved.") % {"name": involvement.user.display_name})
            return redirect("cases:involvements", case_id=case.pk)
    context = {"case": case, "form": form, "kind": Involvement.Kind(kind)}
    return render(request, "doxing_cases/involvement/new.html", context)


@login_required
@require_POST
def involvement_end(request: HttpRequest, case_id: int, involvement_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("involve"))
    involvement = case.involvements.filter(pk=involvement_id).select_related("user").first()
    if involvement is None:
        raise Http404
    services.involvement_end(actor=request.user, involvement=involvement)
    messages.success(request, _("%(name)s is no longer involved.") % {"name": involvement.user.display_name})
    return redirect("cases:involvements", case_id=case.pk)


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/people/", involvement_list, name="involvements"),
    path("cases/<int:case_id>/people/new/<str:kind>/", involvement_new, name="involvement_new"),
    path("cases/<int:case_id>/people/<int:involvement_id>/end/", involvement_end, name="involvement_end"),
]
