"""Tasks: each person's open tasks, and the coordinator's tasks on a case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doxing_cases.forms import add_service_errors
from doxing_cases.forms.tasks import TaskForm
from doxing_cases.selectors import tasks as selectors
from doxing_cases.services import tasks as services
from people import access
from people.services import access_log_record_list


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = list(selectors.open_tasks_of(request.user))
    access_log_record_list(user=request.user, case_ids={task.case_id for task in tasks})
    return render(request, "doxing_cases/tasks/mine.html", {"tasks": tasks})


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("edit_tasks"))
    form = TaskForm(request.POST or None, owners=selectors.possible_owners(case))
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["owner"]
        try:
            services.task_create(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                owner=owner,
                due_at=form.due_at(),
                part=selectors.part_for_owner(case, owner),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The task is added."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "doxing_cases/tasks/new.html", {"case": case, "form": form})


@login_required
@require_POST
def task_done(request: HttpRequest, case_id: int, task_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, perm=access.ability("view_own_tasks"))
    task = selectors.case_tasks(case, request.user).filter(pk=task_id).first()
    if task is None:
        raise Http404
    services.task_complete(actor=request.user, task=task)
    messages.success(request, _("Marked as done: %(title)s") % {"title": task.title})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("cases:detail", case_id=case.pk)


urlpatterns: list[URLPattern] = [
    path("tasks/", my_tasks, name="my_tasks"),
    path("cases/<int:case_id>/tasks/new/", task_new, name="task_new"),
    path("cases/<int:case_id>/tasks/<int:task_id>/done/", task_done, name="task_done"),
]
