"""The subject-access export (GDPR art. 15): the privacy officer finds a person,
confirms, and downloads a ZIP of JSON with a readable PDF. Nobody else gets
these pages (404, as every role page that is not theirs)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from exports import pdf
from exports.subject_access import subject_access_export
from people import access
from people.models import User
from people.search import person_search


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have checked that this request comes from this person, or from someone entitled to make it for them."
        ),
        required=True,
        error_messages={"required": _("Confirm that you checked who made the request.")},
    )


def _privacy_officer(request: HttpRequest) -> None:
    if not access.may_export_subject_access(request.user):
        raise Http404


@login_required
@require_GET
def subject_access(request: HttpRequest) -> HttpResponse:
    _privacy_officer(request)
    context = person_search(request.GET, access.subject_access_candidates(request.user))
    return render(request, "exports/subject_access/search.html", context)


def _confirm_page(request: HttpRequest, subject: User, form: ConfirmForm, status: int = 200) -> HttpResponse:
    cases = subject.cases_as_subject.aggregate(count=Count("pk"))["count"]
    return render(
        request,
        "exports/subject_access/confirm.html",
        {"subject": subject, "form": form, "cases": cases},
        status=status,
    )


@login_required
@require_GET
def subject_access_confirm(request: HttpRequest, user_id: int) -> HttpResponse:
    _privacy_officer(request)
    subject = get_object_or_404(access.subject_access_candidates(request.user).select_related("team"), pk=user_id)
    return _confirm_page(request, subject, ConfirmForm())


@login_required
@require_POST
def subject_access_download(request: HttpRequest, user_id: int) -> HttpResponse:
    _privacy_officer(request)
    subject = get_object_or_404(access.subject_access_candidates(request.user).select_related("team"), pk=user_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _confirm_page(request, subject, form, status=400)
    export = subject_access_export(actor=request.user, subject=subject, request=request)
    return pdf.attachment(export.content, export.filename, content_type="application/zip")


urlpatterns: list[URLPattern] = [
    path("exports/subject-access/", subject_access, name="subject_access"),
    path("exports/subject-access/<int:user_id>/", subject_access_confirm, name="subject_access_confirm"),
    path("exports/subject-access/<int:user_id>/download/", subject_access_download, name="subject_access_download"),
]
