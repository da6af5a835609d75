"""The record of processing (GDPR art. 30) for the privacy officer, made from
``exports.processing``: a page and a CSV of every field."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exports import processing
from exports.views.statistics import csv_download
from people import access


def _privacy_officer(request: HttpRequest) -> None:
    if not access.may_read_access_log(request.user):
        raise Http404


@login_required
@require_GET
def record_of_processing(request: HttpRequest) -> HttpResponse:
    _privacy_officer(request)
    context = {
        "activities": processing.record_of_processing(),
        "categories": processing.CATEGORY_LABELS,
        "retention": processing.retention_settings(),
    }
    return render(request, "privacy/processing.html", context)


@login_required
@require_GET
def record_of_processing_csv(request: HttpRequest) -> HttpResponse:
    _privacy_officer(request)
    columns = [
        _("Processing activity"),
        _("Model"),
        _("Field"),
        _("Description"),
        _("Classification"),
        _("Encrypted at rest"),
        _("Purpose"),
        _("Legal basis"),
        _("Retention"),
        _("Recipients"),
    ]
    filename = f"handvat-record-of-processing-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_download(columns, processing.csv_rows(), filename, excel=True)


urlpatterns = [
    path("privacy/processing/", record_of_processing, name="processing"),
    path("privacy/processing.csv", record_of_processing_csv, name="processing_csv"),
]
