"""Pages for evaluation (recommendations 26–28): recording an evaluation,
reading it back (the coordinator and the employee), writing a lesson for the
library, the library itself, and the employee's feedback after closing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftercare.forms.evaluation import EvaluationForm, FeedbackForm, LessonFilterForm, LessonForm
from aftercare.models import Feedback
from aftercare.selectors import evaluation as selectors
from aftercare.services import evaluation as services
from doxing_cases.forms import add_service_errors
from doxing_cases.models import Case
from people import access
from people.models import AccessLog
from people.services import access_log_record

GET_POST = require_http_methods(["GET", "POST"])


def _parts(ability: str, *, own: bool) -> tuple[str, ...]:
    """The parts granting ``ability`` on the staff page (own=False) or on the employee's own page."""
    return tuple(part for part in access.ability(ability) if (part == access.OWN) == own)


def _log_evaluation_read(request: HttpRequest, case_id: int) -> None:
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CASE, case_id=case_id, object_kind="evaluation")


# --- Evaluation ---------------------------------------------------------------------------


@login_required
@GET_POST
def evaluation_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("evaluate"))
    form = EvaluationForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The evaluation is recorded. The employee can read it on their own page."))
            return redirect("aftercare:evaluations", case_id=case.pk)
    return render(request, "aftercare/evaluation/new.html", {"case": case, "form": form})


@login_required
@require_GET
def evaluation_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=_parts("view_evaluations", own=False))
    _log_evaluation_read(request, case.pk)
    context = {"case": case, "evaluations": selectors.evaluations(case), "for_employee": False}
    return render(request, "aftercare/evaluation/list.html", context)


@login_required
@require_GET
def evaluation_list_own(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=_parts("view_evaluations", own=True))
    _log_evaluation_read(request, case.pk)
    context = {"case": case, "evaluations": selectors.evaluations(case), "for_employee": True}
    return render(request, "aftercare/evaluation/list.html", context)


# --- Lessons ------------------------------------------------------------------------------


@login_required
@GET_POST
def lesson_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("write_lessons"))
    evaluations = list(selectors.evaluations(case))
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_write(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The lesson is in the library, without a link to the case."))
            return redirect("aftercare:lessons")
    if evaluations:
        _log_evaluation_read(request, case.pk)
    return render(request, "aftercare/lessons/new.html", {"case": case, "form": form, "evaluations": evaluations})


@login_required
@require_GET
def lesson_library(request: HttpRequest) -> HttpResponse:
    if not access.may_read_lessons(request.user):
        raise Http404
    form = LessonFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    lessons = selectors.lessons(q=filters.get("q", ""), theme=filters.get("theme", ""))
    page = Paginator(lessons, selectors.LESSONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = bool(filters.get("q") or filters.get("theme"))
    context = {"form": form, "page": page, "query": query.urlencode(), "filtered": filtered}
    return render(request, "aftercare/lessons/library.html", context)


# --- The employee's feedback --------------------------------------------------------------


def _feedback_given(request: HttpRequest, case: Case, given: Feedback) -> HttpResponse:
    """Once only: afterwards the employee sees their own answers, read-only."""
    if request.method == "POST":
        return redirect("aftercare:feedback", case_id=case.pk)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_OWN_CASE, case_id=case.pk, object_kind="feedback")
    context = {"case": case, "feedback": given, "answers": selectors.feedback_answers(given)}
    return render(request, "aftercare/feedback/thanks.html", context)


@login_required
@GET_POST
def feedback(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("give_feedback"))
    given = selectors.feedback_of(case)
    if given is not None:
        return _feedback_given(request, case, given)
    if not services.feedback_open(case):
        return render(request, "aftercare/feedback/not_open.html", {"case": case})
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your answers are saved."))
            return redirect("aftercare:feedback", case_id=case.pk)
    return render(request, "aftercare/feedback/form.html", {"case": case, "form": form})


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/evaluation/", evaluation_list, name="evaluations"),
    path("cases/<int:case_id>/evaluation/new/", evaluation_new, name="evaluation_new"),
    path("my/cases/<int:case_id>/evaluation/", evaluation_list_own, name="my_evaluations"),
    path("cases/<int:case_id>/lessons/new/", lesson_new, name="lesson_new"),
    path("lessons/", lesson_library, name="lessons"),
    path("my/cases/<int:case_id>/feedback/", feedback, name="feedback"),
]
