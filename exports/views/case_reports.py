"""The case report PDF (three profiles), the police pack, and HR's export grants.

Which profile a reader gets, and who may grant HR an export, is decided in
``people/access.py``; a case the user may not export answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exports import pdf
from exports.forms import HrGrantForm
from exports.models import CaseExport
from exports.selectors import case_reports as selectors
from exports.services import case_reports as services
from people import access
from people.forms import add_service_errors
from people.services import access_log_record_list

CASE_REPORT_TEMPLATE = "exports/case_report/report.html"
POLICE_PACK_TEMPLATE = "exports/police/pack.html"


@login_required
@require_GET
def case_report(request: HttpRequest, case_id: int) -> HttpResponse:
    case, profile = access.get_case_for_report(request.user, case_id)
    context = selectors.case_report_context(case, request.user, profile)
    document = pdf.render(CASE_REPORT_TEMPLATE, context, exporter=request.user, request=request)
    services.case_export_record(
        actor=request.user, case=case, document=CaseExport.Document.CASE_REPORT, profile=profile, pages=document.pages
    )
    return pdf.attachment(document, f"{case.reference}-{profile}.pdf")


@login_required
@require_GET
def police_pack(request: HttpRequest, case_id: int, report_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_police"))
    report = case.police_reports.filter(pk=report_id).first()
    if report is None:
        raise Http404
    context = selectors.police_pack_context(case, report)
    document = pdf.render(POLICE_PACK_TEMPLATE, context, exporter=request.user, request=request)
    services.case_export_record(
        actor=request.user,
        case=case,
        document=CaseExport.Document.POLICE_PACK,
        profile=CaseExport.Profile.COORDINATOR,
        pages=document.pages,
        police_report=report,
    )
    return pdf.attachment(document, f"{case.reference}-police-{report.pk}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def hr_grant(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.CHANGE)
    if not access.may_grant_hr_export(request.user, case):
        raise Http404
    form = HrGrantForm(request.POST or None, recipients=access.hr_export_recipients())
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.hr_export_grant(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s can export the report of %(ref)s until %(date)s.")
                % {
                    "name": grant.hr_user.display_name,
                    "ref": case.reference,
                    "date": grant.valid_until.strftime("%d-%m-%Y"),
                },
            )
            return redirect("exports:hr_grant", case_id=case.pk)
    grants = case.hr_export_grants.select_related("hr_user", "granted_by", "revoked_by")
    context = {"case": case, "form": form, "grants": grants, "today": timezone.localdate()}
    return render(request, "exports/case_report/hr_grant.html", context)


@login_required
@require_POST
def hr_grant_revoke(request: HttpRequest, case_id: int, grant_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.CHANGE)
    if not access.may_grant_hr_export(request.user, case):
        raise Http404
    grant = case.hr_export_grants.filter(pk=grant_id).select_related("hr_user").first()
    if grant is None:
        raise Http404
    grant.case = case
    services.hr_export_revoke(actor=request.user, grant=grant)
    messages.success(request, _("%(name)s can no longer export this case.") % {"name": grant.hr_user.display_name})
    return redirect("exports:hr_grant", case_id=case.pk)


@login_required
@require_GET
def hr_cases(request: HttpRequest) -> HttpResponse:
    """HR's list: the cases a coordinator lets them export now, and until when."""
    if not access.may_receive_hr_export(request.user):
        raise Http404
    grants = list(
        access.active_hr_export_grants()
        .filter(hr_user=request.user)
        .select_related("case__subject__team", "case__coordinator", "granted_by")
        .order_by("valid_until", "pk")
    )
    access_log_record_list(user=request.user, case_ids={grant.case_id for grant in grants})
    return render(request, "exports/case_report/hr_cases.html", {"grants": grants})


urlpatterns = [
    path("cases/<int:case_id>/report.pdf", case_report, name="case_report"),
    path("cases/<int:case_id>/police/<int:report_id>/pack.pdf", police_pack, name="police_pack"),
    path("cases/<int:case_id>/hr-export/", hr_grant, name="hr_grant"),
    path("cases/<int:case_id>/hr-export/<int:grant_id>/revoke/", hr_grant_revoke, name="hr_grant_revoke"),
    path("exports/hr/", hr_cases, name="hr_cases"),
]
