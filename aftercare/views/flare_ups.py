"""Pages for moments the threat may flare up (recommendations 23, 25)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftercare.forms.flare_ups import FlareUpForm, OutcomeForm
from aftercare.models import FlareUpMoment
from aftercare.selectors import aftercare as selectors
from aftercare.services import flare_ups as services
from doxing_cases.forms import add_service_errors
from doxing_cases.models import Case
from people import access
from people.models import AccessLog
from people.services import access_log_record

GET_POST = require_http_methods(["GET", "POST"])


def _moment(case: Case, moment_id: int) -> FlareUpMoment:
    moment = case.flare_up_moments.filter(pk=moment_id).first()
    if moment is None:
        raise Http404
    return moment


@login_required
@require_GET
def flare_up_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_flare_ups"))
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="flare_ups")
    context = {
        "case": case,
        "moments": selectors.flare_ups(case),
        "proposal": services.proposed_anniversary(case) if case.can["edit_flare_ups"] else None,
        "today": timezone.localdate(),
    }
    return render(request, "aftercare/flare_ups/list.html", context)


@login_required
@GET_POST
def flare_up_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_flare_ups"))
    initial = {"offsets": FlareUpMoment._meta.get_field("offsets").get_default()}
    if request.GET.get("anniversary"):
        initial |= {"kind": FlareUpMoment.Kind.ANNIVERSARY, "on": services.anniversary_of(case)}
    form = FlareUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.flare_up_plan(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The moment is entered. The people alerted hear of it ahead of time."))
            return redirect("aftercare:flare_ups", case_id=case.pk)
    return render(request, "aftercare/flare_ups/form.html", {"case": case, "form": form, "new": True})


@login_required
@GET_POST
def flare_up_edit(request: HttpRequest, case_id: int, moment_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_flare_ups"))
    moment = _moment(case, moment_id)
    form = FlareUpForm(request.POST or None, instance=moment)
    if request.method == "POST" and form.is_valid():
        try:
            services.flare_up_update(actor=request.user, moment=moment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The moment is changed; its alerts follow."))
            return redirect("aftercare:flare_ups", case_id=case.pk)
    return render(request, "aftercare/flare_ups/form.html", {"case": case, "form": form, "new": False})


@login_required
@require_POST
def flare_up_cancel(request: HttpRequest, case_id: int, moment_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_flare_ups"))
    services.flare_up_cancel(actor=request.user, moment=_moment(case, moment_id))
    messages.success(request, _("The moment is cancelled, with its alerts."))
    return redirect("aftercare:flare_ups", case_id=case.pk)


@login_required
@require_POST
def anniversary_decline(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_flare_ups"))
    if services.proposed_anniversary(case) is not None:
        services.flare_up_decline_anniversary(actor=request.user, case=case)
    messages.success(request, _("The anniversary is not planned."))
    return redirect("aftercare:flare_ups", case_id=case.pk)


@login_required
@GET_POST
def flare_up_outcome(request: HttpRequest, case_id: int, moment_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_flare_ups"))
    moment = _moment(case, moment_id)
    form = OutcomeForm(request.POST or None, initial={"outcome": moment.outcome})
    if request.method == "POST" and form.is_valid():
        try:
            services.flare_up_record_outcome(actor=request.user, moment=moment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Recorded how it went."))
            return redirect("aftercare:flare_ups", case_id=case.pk)
    return render(request, "aftercare/flare_ups/outcome.html", {"case": case, "form": form, "moment": moment})


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/flare-ups/", flare_up_list, name="flare_ups"),
    path("cases/<int:case_id>/flare-ups/new/", flare_up_new, name="flare_up_new"),
    path("cases/<int:case_id>/flare-ups/anniversary/decline/", anniversary_decline, name="anniversary_decline"),
    path("cases/<int:case_id>/flare-ups/<int:moment_id>/edit/", flare_up_edit, name="flare_up_edit"),
    path("cases/<int:case_id>/flare-ups/<int:moment_id>/cancel/", flare_up_cancel, name="flare_up_cancel"),
    path("cases/<int:case_id>/flare-ups/<int:moment_id>/outcome/", flare_up_outcome, name="flare_up_outcome"),
]
