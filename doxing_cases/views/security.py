"""Pages for the security side: threat assessments, security measures, police reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from doxing_cases.forms import add_service_errors
from doxing_cases.forms.security import (
    PoliceDeclineForm,
    PoliceReportForm,
    PoliceReportUpdateForm,
    SecurityMeasureForm,
    ThreatAssessmentForm,
)
from doxing_cases.models import Case
from doxing_cases.selectors import security as selectors
from doxing_cases.services import security as services
from people import access
from people.models import AccessLog
from people.services import access_log_record

GET_POST = require_http_methods(["GET", "POST"])


def _back_to_section(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.pk]) + "#security")


def section_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page shows of the security side; only what ``case.can`` allows."""
    context: dict[str, Any] = {}
    if case.can["view_threat"]:
        context["threat_assessments"] = list(selectors.threat_assessments(case)[:5])
    if case.can["view_security"]:
        context["security_measures"] = list(selectors.security_measures(case))
    if case.can["view_police"]:
        context["police_reports"] = list(selectors.police_reports(case))
        context["police_declines"] = list(selectors.police_declines(case)[:1])
    return context


def own_section_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the employee's own case page shows of this part; only what ``case.can`` allows."""
    context: dict[str, Any] = {}
    if case.can["own_security"]:
        context["own_security_measures"] = list(selectors.own_security_measures(case))
    if case.can["own_police"]:
        context["own_police_reports"] = list(selectors.police_reports(case))
        context["own_police_declines"] = list(selectors.police_declines(case)[:1])
    return context


# --- Threat ----------------------------------------------------------------------


@login_required
@GET_POST
def threat_assess(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("assess_threat"))
    form = ThreatAssessmentForm(request.POST or None, initial={"level": case.threat_level or None})
    if request.method == "POST" and form.is_valid():
        services.threat_assess(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, _("The threat assessment is saved."))
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "doxing_cases/security/threat_new.html", {"case": case, "form": form})


@login_required
@require_GET
def threat_history(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_threat"))
    access_log_record(
        user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk, object_kind="threat_assessments"
    )
    context = {"case": case, "assessments": list(selectors.threat_assessments(case))}
    return render(request, "doxing_cases/security/threat_history.html", context)


# --- Security measures -------------------------------------------------------------


@login_required
@GET_POST
def measure_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_security"))
    form = SecurityMeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.security_measure_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The security measure is saved."))
            return _back_to_section(case)
    return render(request, "doxing_cases/security/measure_form.html", {"case": case, "form": form, "measure": None})


@login_required
@GET_POST
def measure_edit(request: HttpRequest, case_id: int, measure_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_security"))
    measure = case.security_measures.filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    initial = model_to_dict(measure, fields=SecurityMeasureForm._meta.fields)
    form = SecurityMeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.security_measure_update(actor=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The security measure is updated."))
            return _back_to_section(case)
    context = {"case": case, "form": form, "measure": measure}
    return render(request, "doxing_cases/security/measure_form.html", context)


# --- The police --------------------------------------------------------------------


@login_required
@GET_POST
def police_report_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_police"))
    form = PoliceReportForm(request.POST or None, organisation_address=selectors.organisation_address(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.police_report_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The police report is saved."))
            return _back_to_section(case)
    return render(request, "doxing_cases/security/police_report_new.html", {"case": case, "form": form})


@login_required
@GET_POST
def police_report_update(request: HttpRequest, case_id: int, report_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_police"))
    report = case.police_reports.filter(pk=report_id).first()
    if report is None:
        raise Http404
    initial = model_to_dict(report, fields=PoliceReportUpdateForm._meta.fields)
    form = PoliceReportUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.police_report_update(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The police report is updated."))
            return _back_to_section(case)
    context = {"case": case, "form": form, "report": report}
    return render(request, "doxing_cases/security/police_report_update.html", context)


@login_required
@GET_POST
def police_decline(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_police"))
    form = PoliceDeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decline = services.police_decline_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saved. You have a task to talk with the employee again on %(date)s.")
                % {"date": date_format(decline.follow_up_on, "j F Y")},
            )
            return _back_to_section(case)
    context = {"case": case, "form": form, "organisation_address": selectors.organisation_address(case)}
    return render(request, "doxing_cases/security/police_decline.html", context)


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/threat/", threat_assess, name="threat"),
    path("cases/<int:case_id>/threat/history/", threat_history, name="threat_history"),
    path("cases/<int:case_id>/security/measures/new/", measure_new, name="measure_new"),
    path("cases/<int:case_id>/security/measures/<int:measure_id>/", measure_edit, name="measure_edit"),
    path("cases/<int:case_id>/police/new/", police_report_new, name="police_report_new"),
    path("cases/<int:case_id>/police/<int:report_id>/", police_report_update, name="police_report_update"),
    path("cases/<int:case_id>/police/not-now/", police_decline, name="police_decline"),
]
