"""Moving a case to aftercare (checklist) and closing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aftercare.forms.transition import ChecklistForm, CloseForm
from aftercare.services import transition as services
from doxing_cases.forms import add_service_errors
from people import access

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@GET_POST
def move_to_aftercare(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("move_to_aftercare"))
    items = services.checklist(case)
    form = ChecklistForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_move_to_aftercare(actor=request.user, case=case, accepted=form.accepted())
        except ValidationError as exc:
            add_service_errors_to_items(form, exc)
        else:
            messages.success(request, _("%(ref)s is in aftercare now.") % {"ref": case.reference})
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "aftercare/move.html", {"case": case, "form": form, "items": items})


def add_service_errors_to_items(form: ChecklistForm, exc: ValidationError) -> None:
    """The service names unfinished items by key; the form calls their reason fields ``accept_<key>``."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(f"accept_{key}" if f"accept_{key}" in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@GET_POST
def close_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("close_case"))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(ref)s is closed. Its history stays.") % {"ref": case.reference})
            return redirect("cases:detail", case_id=case.pk)
    context = {"case": case, "form": form, "evaluated": case.evaluations.exists()}
    return render(request, "aftercare/close.html", context)


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/aftercare/", move_to_aftercare, name="move"),
    path("cases/<int:case_id>/close/", close_case, name="close"),
]
