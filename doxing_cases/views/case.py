"""Pages of the report and the case. Each view: decorators, the access
helper, the form, the service, then a redirect or a page."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doxing_cases import selectors, services, uploads
from doxing_cases.forms import add_service_errors
from doxing_cases.forms.case import (
    AssignForm,
    DashboardFilterForm,
    FirstContactForm,
    IntakeForm,
    ManagerConsentForm,
    MoveReportForm,
    NoteForm,
    ReportForm,
    StatusForm,
)
from doxing_cases.models import Case
from doxing_cases.selectors import involvement as involvement_selectors
from doxing_cases.selectors import tasks as task_selectors
from doxing_cases.views import coordination, online, security, support
from people import access
from people.models import AccessLog
from people.search import person_search
from people.services import access_log_record, access_log_record_list

logger = logging.getLogger(__name__)

GET_POST = require_http_methods(["GET", "POST"])

#: The parts of a case that add their section to the case page, each by a
#: ``section_context(request, case)`` that returns only what ``case.can`` allows.
PART_SECTIONS = (support, online, security, coordination)


def _coordinator_required(request: HttpRequest) -> None:
    if not access.is_coordinator(request.user):
        raise Http404


# --- The report -----------------------------------------------------------------


@login_required
@GET_POST
def report_new(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            report = services.report_file(
                actor=request.user,
                subject=form.chosen_subject,
                details=form.details(),
                files=form.checked_files,
                kept=form.kept_files,
            )
            return redirect("cases:report_sent", report_id=report.pk)
        form.keep_checked_files()
    return render(request, "doxing_cases/report_new.html", {"form": form, "kept_files": form.kept_files})


@login_required
@require_GET
def case_intake(request: HttpRequest) -> HttpResponse:
    """A coordinator registers a report received by phone or in person: first
    find the employee it is about."""
    _coordinator_required(request)
    context = person_search(request.GET, access.intake_subjects(request.user))
    return render(request, "doxing_cases/case_intake_find.html", context)


@login_required
@GET_POST
def case_intake_for(request: HttpRequest, user_id: int) -> HttpResponse:
    """Then the report itself, about the employee chosen."""
    _coordinator_required(request)
    subject = access.get_intake_subject(request.user, user_id)
    form = IntakeForm(request.POST or None, request.FILES or None, user=request.user, subject=subject)
    if request.method == "POST":
        if form.is_valid():
            report = services.report_file(
                actor=request.user,
                subject=subject,
                details=form.details(),
                files=form.checked_files,
                kept=form.kept_files,
                received_via=form.cleaned_data["received_via"],
            )
            if form.cleaned_data["take"]:
                services.case_take(actor=request.user, case=report.case)
                services.case_log_first_contact(actor=request.user, case=report.case, at=report.filed_at)
            messages.success(request, _("The report is registered as %(ref)s.") % {"ref": report.case.reference})
            return redirect("cases:detail", case_id=report.case_id)
        form.keep_checked_files()
    context = {"form": form, "subject": subject, "kept_files": form.kept_files}
    return render(request, "doxing_cases/case_intake.html", context)


@login_required
@require_GET
def report_sent(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_reporter(request.user, report_id)
    return render(request, "doxing_cases/report_sent.html", {"report": report})


# --- The employee's own pages ------------------------------------------------------


@login_required
@require_GET
def my_overview(request: HttpRequest) -> HttpResponse:
    cases = list(selectors.own_cases(request.user))
    access_log_record_list(user=request.user, case_ids=[case.pk for case in cases])
    context = {"cases": cases, "filed_for_others": selectors.reports_filed_for_others(request.user)[:20]}
    return render(request, "doxing_cases/my_overview.html", context)


@login_required
@require_GET
def my_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.OWN)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_OWN_CASE, case_id=case.pk)
    context = {
        "case": case,
        "reports": selectors.case_reports(case),
        "timeline": selectors.timeline(case, parts=frozenset({access.OWN})),
    }
    for part in PART_SECTIONS:
        context.update(part.own_section_context(request, case))
    return render(request, "doxing_cases/my_case.html", context)


@login_required
@GET_POST
def my_case_manager(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.OWN)
    initial = {"manager_may_know": "yes" if case.manager_may_know else "no"}
    form = ManagerConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.case_set_manager_consent(actor=request.user, case=case, may_know=form.cleaned_data["manager_may_know"])
        messages.success(request, _("Your choice is saved."))
        return redirect("cases:my_case", case_id=case.pk)
    return render(request, "doxing_cases/my_case_manager.html", {"case": case, "form": form})


# --- The manager's team --------------------------------------------------------------


@login_required
@require_GET
def team_overview(request: HttpRequest) -> HttpResponse:
    if not access.is_manager(request.user):
        raise Http404
    cases = list(selectors.team_cases(request.user))
    access_log_record_list(user=request.user, case_ids=[case.pk for case in cases])
    return render(request, "doxing_cases/team_overview.html", {"cases": cases, "now": timezone.now()})


# --- The coordinator's dashboard and the case page ---------------------------------------------


#: Waiting reports on the dashboard, urgent and oldest first; the rest are one link away.
QUEUE_ON_PAGE = 10


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _coordinator_required(request)
    form = DashboardFilterForm(request.GET or None)
    waiting = selectors.triage_queue(request.user)
    queue = list(waiting[:QUEUE_ON_PAGE])
    queue_total = waiting.count()
    page = Paginator(selectors.dashboard_cases(request.user, **form.filters()), 25).get_page(request.GET.get("page"))
    rows = [(case, selectors.next_action(case)) for case in page.object_list]
    queue_rows = [(case, selectors.next_action(case)) for case in queue]
    access_log_record_list(user=request.user, case_ids={case.pk for case in [*queue, *page.object_list]})
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "queue": queue_rows,
        "queue_total": queue_total,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "now": timezone.now(),
    }
    return render(request, "doxing_cases/dashboard.html", context)


#: Timeline lines on the case page before "show the whole timeline".
TIMELINE_ON_PAGE = 50


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_staff_page"))
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case.pk)
    can = case.can
    # The latest lines keep a long case's page light; the rest is one link away.
    timeline = selectors.timeline(case, parts=case.access_parts)
    everything = request.GET.get("timeline") == "all"
    shown = list(timeline if everything else timeline[: TIMELINE_ON_PAGE + 1])
    context = {
        "case": case,
        "full": can["view_reports"],
        "next_action": selectors.next_action(case) if can["view_reports"] else None,
        "reports": selectors.case_reports(case) if can["view_reports"] else [],
        "contact": selectors.latest_contact(case) if can["view_contact"] else None,
        "timeline": shown[:TIMELINE_ON_PAGE] if not everything else shown,
        "timeline_more": not everything and len(shown) > TIMELINE_ON_PAGE,
        "timeline_on_page": TIMELINE_ON_PAGE,
        "involvements": involvement_selectors.current_involvements(case) if can["view_involvements"] else [],
        "tasks": task_selectors.case_tasks(case, request.user).filter(status="open") if can["view_own_tasks"] else [],
        "other_open_cases": list(selectors.other_open_cases(request.user, case)) if can["view_reports"] else [],
        "allowed_statuses": services.STATUS_TRANSITIONS[case.status] & services.MANUAL_STATUSES,
    }
    for part in PART_SECTIONS:
        context.update(part.section_context(request, case))
    return render(request, "doxing_cases/case_detail.html", context)


@login_required
@require_POST
def case_take(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.CHANGE)
    try:
        services.case_take(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:dashboard")
    messages.success(request, _("You are now the coordinator of %(ref)s.") % {"ref": case.reference})
    return redirect("cases:detail", case_id=case.pk)


@login_required
@GET_POST
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.CHANGE)
    coordinators = selectors.assignable_coordinators(exclude=case.coordinator)
    form = AssignForm(request.POST or None, coordinators=coordinators)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_assign(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(ref)s is now coordinated by %(name)s.")
                % {"ref": case.reference, "name": form.cleaned_data["coordinator"].display_name},
            )
            still_visible = access.FULL in access.case_parts(request.user, case)
            return redirect("cases:detail", case_id=case.pk) if still_visible else redirect("cases:dashboard")
    return render(request, "doxing_cases/case_assign.html", {"case": case, "form": form})


def _case_form_page(
    request: HttpRequest,
    case_id: int,
    *,
    form_class: type,
    template: str,
    service: Any,
    success: str,
    form_kwargs: Callable[[Case], dict[str, Any]] | None = None,
    initial: Callable[[Case], dict[str, Any]] | None = None,
) -> HttpResponse:
    """One small task on a case: a form, a service, back to the case page."""
    case = access.get_case_for_user(request.user, case_id, perm=access.CHANGE)
    extra = form_kwargs(case) if form_kwargs else {}
    form = form_class(request.POST or None, initial=initial(case) if initial else None, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("cases:detail", case_id=case.pk)
    return render(request, template, {"case": case, "form": form})


@login_required
@GET_POST
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_form_page(
        request,
        case_id,
        form_class=StatusForm,
        template="doxing_cases/case_status.html",
        service=services.case_set_status,
        success=_("The status is changed."),
        form_kwargs=lambda case: {"allowed": services.STATUS_TRANSITIONS[case.status] & services.MANUAL_STATUSES},
    )


@login_required
@GET_POST
def case_first_contact(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_form_page(
        request,
        case_id,
        form_class=FirstContactForm,
        template="doxing_cases/case_first_contact.html",
        service=services.case_log_first_contact,
        success=_("The first contact is recorded."),
    )


@login_required
@GET_POST
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_form_page(
        request,
        case_id,
        form_class=NoteForm,
        template="doxing_cases/case_note.html",
        service=services.case_add_note,
        success=_("The note is saved."),
    )


@login_required
@GET_POST
def report_move(request: HttpRequest, case_id: int, report_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.CHANGE)
    report = case.reports.filter(pk=report_id).first()
    if report is None:
        raise Http404
    form = MoveReportForm(request.POST or None, targets=selectors.other_open_cases(request.user, case))
    if request.method == "POST" and form.is_valid():
        target: Case = form.cleaned_data["target"]
        try:
            services.report_move(actor=request.user, report=report, target=target)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report is now part of %(ref)s.") % {"ref": target.reference})
            return redirect("cases:detail", case_id=target.pk)
    return render(request, "doxing_cases/report_move.html", {"case": case, "report": report, "form": form})


@login_required
@require_GET
def attachment_download(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=(access.FULL, access.OWN))
    attachment = access.get_attachment_for_user(request.user, case, attachment_id)
    content = uploads.stored_intact(attachment.file.name, case_id=case.pk, sha256=attachment.sha256)
    if content is None:
        # A file that changed on disk, or does not open with its case's key, is never handed out.
        logger.error("stored file hash mismatch attachment=%s case=%s", attachment.pk, case.pk)
        raise Http404
    access_log_record(
        user=request.user,
        action=AccessLog.Action.DOWNLOAD_FILE,
        case_id=case.pk,
        object_kind="report_attachment",
        object_id=attachment.pk,
    )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{case.reference}-{attachment.pk}.{uploads.EXTENSIONS[attachment.content_type]}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("report/new/", report_new, name="report_new"),
    path("report/<int:report_id>/sent/", report_sent, name="report_sent"),
    path("my/", my_overview, name="my"),
    path("my/cases/<int:case_id>/", my_case, name="my_case"),
    path("my/cases/<int:case_id>/manager/", my_case_manager, name="my_case_manager"),
    path("team/", team_overview, name="team"),
    path("cases/", dashboard, name="dashboard"),
    path("cases/intake/", case_intake, name="intake"),
    path("cases/intake/<int:user_id>/", case_intake_for, name="intake_for"),
    path("cases/<int:case_id>/", case_detail, name="detail"),
    path("cases/<int:case_id>/take/", case_take, name="take"),
    path("cases/<int:case_id>/assign/", case_assign, name="assign"),
    path("cases/<int:case_id>/status/", case_status, name="status"),
    path("cases/<int:case_id>/first-contact/", case_first_contact, name="first_contact"),
    path("cases/<int:case_id>/notes/new/", case_note, name="note"),
    path("cases/<int:case_id>/reports/<int:report_id>/move/", report_move, name="report_move"),
    path("cases/<int:case_id>/attachments/<int:attachment_id>/", attachment_download, name="attachment"),
]
