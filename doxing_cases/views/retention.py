"""Retention of a case: when it will be erased, and the legal holds that keep it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doxing_cases.forms import add_service_errors
from doxing_cases.forms.retention import LegalHoldForm
from doxing_cases.services import retention as services
from people import access


def _case(request: HttpRequest, case_id: int):
    return access.get_case_for_retention(request.user, case_id)


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The legal hold is in place: this case will not be erased while it lasts."))
            return redirect("cases:retention", case_id=case.pk)
    context = {
        "case": case,
        "form": form,
        "state": services.retention_state(case),
        "period_days": services.retention_days("case"),
        "notice_days": services.notice_days(),
        "holds": case.legal_holds.select_related("placed_by", "lifted_by"),
        "today": timezone.localdate(),
        # A privacy officer sees this page of a case without a coordinator, not the case itself.
        "may_open_case": access.may_open_case_page(request.user, case),
    }
    return render(request, "doxing_cases/retention/case.html", context)


@login_required
@require_POST
def legal_hold_lift(request: HttpRequest, case_id: int, hold_id: int) -> HttpResponse:
    case = _case(request, case_id)
    hold = case.legal_holds.filter(pk=hold_id).first()
    if hold is None:
        raise Http404
    services.legal_hold_lift(actor=request.user, hold=hold)
    messages.success(request, _("The legal hold is lifted."))
    return redirect("cases:retention", case_id=case.pk)


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/retention/", retention, name="retention"),
    path("cases/<int:case_id>/retention/holds/<int:hold_id>/lift/", legal_hold_lift, name="legal_hold_lift"),
]
