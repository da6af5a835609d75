"""The subject-access export (GDPR art. 15): the privacy officer finds a person,
confirms, and downloads a ZIP of JSON with a readable PDF. Nobody else gets
these pages (404, as every role page that is not theirs)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from exports import pdf
from exports.subject_access import subject_access_export
from people import access
from people.models import User

#: The most people a search lists; a longer list means the search needs a better name.
SEARCH_LIMIT = 25


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, username or e-mail address"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


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


def _search(user: User, query: str) -> QuerySet[User]:
    people = access.subject_access_candidates(user).select_related("team")
    for word in query.split()[:4]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    return people.order_by("last_name", "first_name", "username")


@login_required
@require_GET
def subject_access(request: HttpRequest) -> HttpResponse:
    _privacy_officer(request)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    found = list(_search(request.user, query)[: SEARCH_LIMIT + 1]) if query else []
    context = {"search": search, "query": query, "people": found[:SEARCH_LIMIT], "more": len(found) > SEARCH_LIMIT}
    return render(request, "exports/subject_access/search.html", {**context, "limit": SEARCH_LIMIT})


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
