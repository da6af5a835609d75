"""Pages for the coordination part of a case: decisions taken with the
employee, the communication agreement and press enquiries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doxing_cases.forms import add_service_errors
from doxing_cases.forms.coordination import CommunicationAgreementForm, DecisionForm, PressEnquiryForm
from doxing_cases.models import Case
from doxing_cases.selectors import coordination as selectors
from doxing_cases.services import coordination as services
from people import access

GET_POST = require_http_methods(["GET", "POST"])


def _back_to_section(case: Case, anchor: str = "decisions") -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.pk]) + f"#{anchor}")


def section_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page shows of this part; only what ``case.can`` allows."""
    context: dict[str, Any] = {}
    if case.can["view_decisions"]:
        context["decisions"] = list(selectors.decisions(case))
    if case.can["view_communication"]:
        context["communication_agreement"] = selectors.communication_agreement(case)
        context["press_enquiries"] = list(selectors.press_enquiries(case))
    return context


def own_section_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the employee's own case page shows of this part; only what ``case.can`` allows."""
    context: dict[str, Any] = {}
    if case.can["own_decisions"]:
        context["own_decisions"] = list(selectors.own_decisions(case))
    if case.can["own_communication"]:
        context["own_communication_agreement"] = selectors.communication_agreement(case)
    return context


# --- Decisions ---------------------------------------------------------------------


@login_required
@GET_POST
def decision_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_decisions"))
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return _back_to_section(case)
    return render(request, "doxing_cases/coordination/decision_form.html", {"case": case, "form": form})


@login_required
@GET_POST
def decision_edit(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_decisions"))
    decision = case.decisions.filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    initial = model_to_dict(decision, fields=DecisionForm._meta.fields)
    initial["employee_heard"] = "yes" if decision.employee_heard else "no"
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(actor=request.user, entry=decision, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision is updated."))
            return _back_to_section(case)
    context = {"case": case, "form": form, "decision": decision}
    return render(request, "doxing_cases/coordination/decision_form.html", context)


# --- Communication -------------------------------------------------------------------


@login_required
@GET_POST
def communication_agreement(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_communication"))
    agreement = selectors.communication_agreement(case)
    initial = model_to_dict(agreement, fields=CommunicationAgreementForm._meta.fields) if agreement else None
    form = CommunicationAgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.communication_agreement_save(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The communication agreement is saved."))
            return _back_to_section(case, "communication")
    context = {"case": case, "form": form, "agreement": agreement}
    return render(request, "doxing_cases/coordination/communication_form.html", context)


@login_required
@GET_POST
def press_enquiry_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_communication"))
    form = PressEnquiryForm(
        request.POST or None,
        handlers=[*selectors.press_handlers(case), request.user],
        initial={"handled_by": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.press_enquiry_log(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The press enquiry is logged."))
            return _back_to_section(case, "communication")
    return render(request, "doxing_cases/coordination/press_enquiry_form.html", {"case": case, "form": form})


@login_required
@GET_POST
def press_enquiry_edit(request: HttpRequest, case_id: int, enquiry_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_communication"))
    enquiry = case.press_enquiries.filter(pk=enquiry_id).select_related("handled_by").first()
    if enquiry is None:
        raise Http404
    handlers = [*selectors.press_handlers(case), request.user, enquiry.handled_by]
    initial = model_to_dict(enquiry, fields=PressEnquiryForm._meta.fields)
    form = PressEnquiryForm(request.POST or None, handlers=handlers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.press_enquiry_update(actor=request.user, enquiry=enquiry, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The press enquiry is updated."))
            return _back_to_section(case, "communication")
    context = {"case": case, "form": form, "enquiry": enquiry}
    return render(request, "doxing_cases/coordination/press_enquiry_form.html", context)


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/decisions/new/", decision_new, name="decision_new"),
    path("cases/<int:case_id>/decisions/<int:decision_id>/", decision_edit, name="decision_edit"),
    path("cases/<int:case_id>/communication/", communication_agreement, name="communication"),
    path("cases/<int:case_id>/communication/press/new/", press_enquiry_new, name="press_enquiry_new"),
    path("cases/<int:case_id>/communication/press/<int:enquiry_id>/", press_enquiry_edit, name="press_enquiry_edit"),
]
