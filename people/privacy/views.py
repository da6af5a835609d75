"""The privacy officer's access log: who looked at which case, and what one
user looked at, filtered, paged and downloadable as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from people import access
from people.models import AccessLog
from people.privacy import db
from people.privacy.forms import AccessLogFilterForm
from people.privacy.selectors import access_log_filtered, case_reference
from people.services import access_log_record

PAGE_SIZE = 50
#: A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _privacy_officer(request: HttpRequest) -> None:
    if not access.may_read_access_log(request.user):
        raise Http404


def _filters(request: HttpRequest) -> tuple[AccessLogFilterForm, dict[str, Any]]:
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data
    return form, {} if not form.is_bound else {"case": -1}  # an invalid filter shows nothing


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    _privacy_officer(request)
    form, filters = _filters(request)
    page = Paginator(access_log_filtered(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.case_reference = case_reference(row.case_id)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "retention_days": settings.HANDVAT_ACCESS_LOG_RETENTION_DAYS,
        "database_guard_days": db.installed_retention_days(connection),
    }
    return render(request, "privacy/access_log.html", context)


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@login_required
@require_GET
def access_log_csv(request: HttpRequest) -> HttpResponse:
    _privacy_officer(request)
    _form, filters = _filters(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_("When"), _("Username"), _("What they did"), _("Case"), _("Object kind"), _("Object")])
    actions = dict(AccessLog.Action.choices)
    for row in access_log_filtered(filters).iterator(chunk_size=2000):
        cells = [
            timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
            row.username,
            str(actions.get(row.action, row.action)),
            case_reference(row.case_id),
            row.object_kind,
            "" if row.object_id is None else row.object_id,
        ]
        writer.writerow([safe_cell(cell) for cell in cells])
    access_log_record(user=request.user, action=AccessLog.Action.EXPORT, case_id=None, object_kind="access_log_csv")
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="handvat-access-log-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


app_name = "privacy"

urlpatterns = [
    path("privacy/access-log/", access_log, name="access_log"),
    path("privacy/access-log.csv", access_log_csv, name="access_log_csv"),
]
