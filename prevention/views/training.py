"""Pages for training (recommendations 1, 5): what is offered, the sessions and
who attended (coordinators and HR), coverage per team, and a person's own record."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people import access
from people.forms import add_service_errors
from prevention.forms.training import (
    AttendanceFilterForm,
    AttendanceForm,
    TrainingModuleForm,
    TrainingSessionForm,
)
from prevention.models import TrainingAttendance, TrainingModule, TrainingSession
from prevention.selectors import training as selectors
from prevention.services import training as services

GET_POST = require_http_methods(["GET", "POST"])


def _require_manage(request: HttpRequest) -> None:
    if not access.may_manage_training(request.user):
        raise Http404


def _session_for_manager(request: HttpRequest, session_id: int) -> TrainingSession:
    _require_manage(request)
    return get_object_or_404(TrainingSession.objects.select_related("module"), pk=session_id)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    manages = access.may_manage_training(request.user)
    context = {
        "manages": manages,
        "sees_coverage": manages or access.training_teams(request.user).exists(),
        "modules": selectors.training_modules(offered_only=not manages),
        "upcoming": selectors.upcoming_sessions(),
        "sessions": selectors.recent_sessions() if manages else [],
    }
    return render(request, "prevention/training/overview.html", context)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    attendances = list(selectors.own_attendances(request.user))
    latest = selectors.latest_attendance(request.user)
    today = timezone.localdate()
    context = {"attendances": attendances, "today": today, "valid_months": settings.HANDVAT_TRAINING_VALID_MONTHS}
    if latest is not None:
        valid_until = selectors.valid_until(latest.session.held_on)
        context.update(
            valid_until=valid_until,
            valid=valid_until >= today,
            refresher_on=selectors.refresher_day(latest.session.held_on),
        )
    return render(request, "prevention/training/mine.html", context)


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    teams = access.training_teams(request.user)
    manages = access.may_manage_training(request.user)
    if not manages and not teams.exists():
        raise Http404
    context = {
        "report": selectors.training_coverage(teams),
        "show_total": manages,
        "grace_days": settings.HANDVAT_TRAINING_GRACE_DAYS,
        "valid_months": settings.HANDVAT_TRAINING_VALID_MONTHS,
    }
    return render(request, "prevention/training/coverage.html", context)


@login_required
@GET_POST
def module_new(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = TrainingModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_module_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The training is added."))
            return redirect("prevention:training")
    return render(request, "prevention/training/module_form.html", {"form": form})


@login_required
@GET_POST
def module_edit(request: HttpRequest, module_id: int) -> HttpResponse:
    _require_manage(request)
    module = get_object_or_404(TrainingModule, pk=module_id)
    form = TrainingModuleForm(request.POST or None, instance=TrainingModule.objects.get(pk=module.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.training_module_update(actor=request.user, module=module, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The training is saved."))
            return redirect("prevention:training")
    return render(request, "prevention/training/module_form.html", {"form": form, "module": module})


@login_required
@GET_POST
def session_new(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    initial = {"held_on": timezone.localdate(), "module": request.GET.get("module")}
    form = TrainingSessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.training_session_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session is added."))
            return redirect("prevention:training_session", session_id=session.pk)
    return render(request, "prevention/training/session_form.html", {"form": form})


@login_required
@GET_POST
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for_manager(request, session_id)
    # The form works on its own copy: a refused change must not linger on ``session``.
    form = TrainingSessionForm(request.POST or None, instance=TrainingSession.objects.get(pk=session.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.training_session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("prevention:training_session", session_id=session.pk)
    return render(request, "prevention/training/session_form.html", {"form": form, "session": session})


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for_manager(request, session_id)
    context = {
        "session": session,
        "attendances": selectors.session_attendances(session),
        "held": session.held_on <= timezone.localdate(),
    }
    return render(request, "prevention/training/session.html", context)


@login_required
@GET_POST
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """Tick who attended. The list is narrowed by the search in the address, which
    the form posts back to, so the same people are offered on GET and POST."""
    session = _session_for_manager(request, session_id)
    search = AttendanceFilterForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    candidates = selectors.attendance_candidates(session, q=filters.get("q", ""), team=filters.get("team"))
    shown = list(candidates.values_list("pk", flat=True)[: selectors.ATTENDANCE_CHOICES_LIMIT + 1])
    form = AttendanceForm(
        request.POST or None, candidates=candidates.filter(pk__in=shown[: selectors.ATTENDANCE_CHOICES_LIMIT])
    )
    if request.method == "POST" and form.is_valid():
        people = list(form.cleaned_data["people"])
        if form.cleaned_data["whole_team"] is not None:
            people += list(selectors.team_people(form.cleaned_data["whole_team"]))
        try:
            recorded = services.training_attendance_record(actor=request.user, session=session, people=people)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d person is recorded as attending.",
                    "%(count)d people are recorded as attending.",
                    len(recorded),
                )
                % {"count": len(recorded)},
            )
            return redirect("prevention:training_session", session_id=session.pk)
    context = {
        "session": session,
        "search": search,
        "form": form,
        "more": len(shown) > selectors.ATTENDANCE_CHOICES_LIMIT,
        "limit": selectors.ATTENDANCE_CHOICES_LIMIT,
        "query": request.GET.urlencode(),
        "held": session.held_on <= timezone.localdate(),
    }
    return render(request, "prevention/training/attendance.html", context)


@login_required
@require_POST
def attendance_remove(request: HttpRequest, session_id: int, attendance_id: int) -> HttpResponse:
    session = _session_for_manager(request, session_id)
    attendance = get_object_or_404(TrainingAttendance.objects.select_related("user"), pk=attendance_id, session=session)
    services.training_attendance_remove(actor=request.user, attendance=attendance)
    messages.success(
        request, _("%(name)s is no longer recorded for this session.") % {"name": attendance.user.display_name}
    )
    return redirect("prevention:training_session", session_id=session.pk)


urlpatterns: list[URLPattern] = [
    path("training/", overview, name="training"),
    path("training/mine/", mine, name="training_mine"),
    path("training/coverage/", coverage, name="training_coverage"),
    path("training/modules/new/", module_new, name="training_module_new"),
    path("training/modules/<int:module_id>/edit/", module_edit, name="training_module_edit"),
    path("training/sessions/new/", session_new, name="training_session_new"),
    path("training/sessions/<int:session_id>/", session_detail, name="training_session"),
    path("training/sessions/<int:session_id>/edit/", session_edit, name="training_session_edit"),
    path("training/sessions/<int:session_id>/attendance/", attendance, name="training_attendance"),
    path(
        "training/sessions/<int:session_id>/attendance/<int:attendance_id>/remove/",
        attendance_remove,
        name="training_attendance_remove",
    ),
]
