"""Pages for long-term follow-up (recommendation 24), and the employee's
"it is getting to me again"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftercare.forms.follow_ups import FollowUpForm, FollowUpRecordForm
from aftercare.models import FollowUp
from aftercare.selectors import aftercare as selectors
from aftercare.services import follow_ups as services
from doxing_cases.forms import add_service_errors
from doxing_cases.models import Case
from doxing_cases.services.support import check_in_people
from people import access
from people.models import AccessLog, User
from people.services import access_log_record

GET_POST = require_http_methods(["GET", "POST"])


def _follow_up(case: Case, follow_up_id: int) -> FollowUp:
    follow_up = case.follow_ups.filter(pk=follow_up_id).select_related("owner").first()
    if follow_up is None:
        raise Http404
    return follow_up


@login_required
@require_GET
def follow_up_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_follow_ups"))
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="follow_ups")
    return render(request, "aftercare/follow_ups/list.html", {"case": case, "follow_ups": selectors.follow_ups(case)})


@login_required
@require_POST
def follow_ups_plan_usual(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("plan_follow_ups"))
    try:
        planned = services.follow_ups_plan_usual(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if planned:
            messages.success(request, _("%(count)s follow-ups are planned.") % {"count": len(planned)})
    target = "aftercare:move" if request.POST.get("back") == "move" else "aftercare:follow_ups"
    return redirect(target, case_id=case.pk)


@login_required
@GET_POST
def follow_up_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("plan_follow_ups"))
    owners = User.objects.filter(Q(pk__in=[p.pk for p in check_in_people(case)]) | Q(pk=case.coordinator_id))
    form = FollowUpForm(request.POST or None, owners=owners, initial={"owner": services.follow_up_owner(case)})
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The follow-up is planned."))
            return redirect("aftercare:follow_ups", case_id=case.pk)
    return render(request, "aftercare/follow_ups/new.html", {"case": case, "form": form})


@login_required
@GET_POST
def follow_up_record(request: HttpRequest, case_id: int, follow_up_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("record_follow_up"))
    follow_up = _follow_up(case, follow_up_id)
    form = FollowUpRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The follow-up conversation is recorded."))
            return redirect("aftercare:follow_ups", case_id=case.pk)
    context = {"case": case, "form": form, "follow_up": follow_up}
    return render(request, "aftercare/follow_ups/record.html", context)


@login_required
@require_POST
def follow_up_cancel(request: HttpRequest, case_id: int, follow_up_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("plan_follow_ups"))
    services.follow_up_cancel(actor=request.user, follow_up=_follow_up(case, follow_up_id))
    messages.success(request, _("The follow-up is cancelled."))
    return redirect("aftercare:follow_ups", case_id=case.pk)


@login_required
@GET_POST
def getting_to_me(request: HttpRequest, case_id: int) -> HttpResponse:
    """ "It is getting to me again": one calm page, one button."""
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("signal_getting_to_me"))
    if request.method == "POST":
        services.getting_to_me_again(actor=request.user, case=case)
        messages.success(
            request,
            _("Your coordinator has been told and will contact you soon. In danger? Call 112."),
        )
        return redirect("cases:my_case", case_id=case.pk)
    return render(request, "aftercare/getting_to_me.html", {"case": case})


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/follow-ups/", follow_up_list, name="follow_ups"),
    path("cases/<int:case_id>/follow-ups/plan/", follow_ups_plan_usual, name="follow_ups_plan"),
    path("cases/<int:case_id>/follow-ups/new/", follow_up_new, name="follow_up_new"),
    path("cases/<int:case_id>/follow-ups/<int:follow_up_id>/record/", follow_up_record, name="follow_up_record"),
    path("cases/<int:case_id>/follow-ups/<int:follow_up_id>/cancel/", follow_up_cancel, name="follow_up_cancel"),
    path("my/cases/<int:case_id>/again/", getting_to_me, name="getting_to_me"),
]
