"""Pages for the exposure audit (recommendation 3): coordinators keep the
register; an owner sees and updates the items they own; others get 404."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people import access
from people.forms import add_service_errors
from prevention.forms.exposure import ExposureItemForm, ReviewedForm
from prevention.models import ExposureItem
from prevention.services import exposure as services

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@require_GET
def exposure_list(request: HttpRequest) -> HttpResponse:
    may_manage = access.may_manage_exposure(request.user)
    items = list(services.exposure_items_for(request.user))
    if not may_manage and not items:
        raise Http404
    context = {"items": items, "may_manage": may_manage, "overdue": sum(item.overdue for item in items)}
    return render(request, "prevention/exposure/list.html", context)


@login_required
@GET_POST
def exposure_new(request: HttpRequest) -> HttpResponse:
    if not access.may_manage_exposure(request.user):
        raise Http404
    initial = {"review_on": timezone.localdate() + services.REVIEW_AFTER[ExposureItem.Decision.UNDECIDED]}
    form = ExposureItemForm(request.POST or None, may_choose_owner=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.exposure_item_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The item is on the register. Its owner is reminded on the review day."))
            return redirect("prevention:exposure")
    return render(request, "prevention/exposure/new.html", {"form": form})


def _edit_page(
    request: HttpRequest, item: ExposureItem, form: ExposureItemForm, reviewed_form: ReviewedForm
) -> HttpResponse:
    context = {"item": item, "form": form, "reviewed_form": reviewed_form}
    return render(request, "prevention/exposure/edit.html", context)


@login_required
@GET_POST
def exposure_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = services.exposure_item_for(request.user, item_id)
    may_choose_owner = access.may_manage_exposure(request.user)
    # The form works on a copy, so the page keeps showing the stored item beside the input.
    form = ExposureItemForm(request.POST or None, instance=copy.copy(item), may_choose_owner=may_choose_owner)
    if request.method == "POST" and form.is_valid():
        try:
            services.exposure_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The item is saved."))
            return redirect("prevention:exposure")
    reviewed_form = ReviewedForm(initial={"next_review_on": services.suggested_next_review(item)})
    return _edit_page(request, item, form, reviewed_form)


@login_required
@require_POST
def exposure_reviewed(request: HttpRequest, item_id: int) -> HttpResponse:
    item = services.exposure_item_for(request.user, item_id)
    reviewed_form = ReviewedForm(request.POST)
    if reviewed_form.is_valid():
        try:
            item = services.exposure_item_reviewed(actor=request.user, item=item, **reviewed_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(reviewed_form, exc)
        else:
            messages.success(
                request,
                _("Reviewed. The next review is on %(date)s.") % {"date": date_format(item.review_on, "j F Y")},
            )
            return redirect("prevention:exposure")
    form = ExposureItemForm(instance=copy.copy(item), may_choose_owner=access.may_manage_exposure(request.user))
    return _edit_page(request, item, form, reviewed_form)


urlpatterns: list[URLPattern] = [
    path("exposure/", exposure_list, name="exposure"),
    path("exposure/new/", exposure_new, name="exposure_new"),
    path("exposure/<int:item_id>/edit/", exposure_edit, name="exposure_edit"),
    path("exposure/<int:item_id>/reviewed/", exposure_reviewed, name="exposure_reviewed"),
]
