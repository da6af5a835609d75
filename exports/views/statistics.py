"""Statistics for coordinators and HR (page, PDF, a CSV per table), and the
anonymised export for the national information point (page, JSON, CSV).

Who may see which is decided in ``people/access.py``; anyone else gets 404,
as on the other organisation pages. Every download writes an access-log row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exports import charts, national, pdf
from exports.forms_statistics import NationalExportForm, StatisticsFilterForm
from exports.statistics import TABLE_KEYS, Statistics, default_filters, months_between, statistics_cached
from people import access
from people.models import AccessLog
from people.services import access_log_record

STATISTICS_PDF_TEMPLATE = "exports/statistics/pdf.html"
PDF_FONT = "DejaVu Sans"
#: What a spreadsheet would run as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _statistics_form(request: HttpRequest) -> StatisticsFilterForm:
    """The filters as typed; the last twelve months when nothing was typed."""
    if not {"start", "end", "team"} & set(request.GET):
        defaults = default_filters()
        return StatisticsFilterForm({"start": defaults.start.isoformat(), "end": defaults.end.isoformat()})
    return StatisticsFilterForm(request.GET)


def _query(form: StatisticsFilterForm | NationalExportForm) -> str:
    """The valid filters as a query string, for the download links."""
    query = QueryDict(mutable=True)
    for name, value in form.cleaned_data.items():
        if value not in (None, ""):
            query[name] = value.pk if hasattr(value, "pk") else str(value)
    return query.urlencode()


def statistics_charts(stats: Statistics, *, font: str = "inherit") -> dict[str, Any]:
    """The charts of the page and the PDF: the same figures as the tables."""
    every_month = months_between(stats.filters.start, stats.filters.end)
    months = [((date_format(m, "M"), str(m.year)), c.value) for m, c in zip(every_month, stats.months, strict=True)]
    cases = _("Number of cases")
    return {
        "months": charts.column_chart("months", _("Cases per month"), months, unit=cases, font=font),
        "first_contact": charts.line_chart(
            "first-contact",
            _("Median hours from report to first contact, per month"),
            [((date_format(m, "M"), str(m.year)), median) for m, _n, median in stats.first_contact.per_month],
            unit=_("Median, hours"),
            font=font,
        ),
        "behaviours": charts.bar_chart(
            "behaviours",
            _("Cases per kind of behaviour"),
            [(c.label, c.value) for c in stats.behaviours],
            unit=cases,
            font=font,
        ),
        "platforms": charts.bar_chart(
            "platforms",
            _("Cases per platform"),
            [(c.label, c.value) for c in stats.platforms],
            unit=cases,
            font=font,
        ),
        "teams": charts.bar_chart(
            "teams", _("Cases per team"), [(c.label, c.value) for c in stats.teams_shown], unit=cases, font=font
        ),
    }


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    _require(access.may_see_statistics(request.user))
    form = _statistics_form(request)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        stats = statistics_cached(form.filters())
        context.update(
            stats=stats,
            tables=stats.tables(),
            charts=statistics_charts(stats),
            query=_query(form),
            can_export_national=access.may_make_national_export(request.user),
        )
    return render(request, "exports/statistics/page.html", context)


@login_required
@require_GET
def statistics_pdf(request: HttpRequest) -> HttpResponse:
    _require(access.may_see_statistics(request.user))
    form = _statistics_form(request)
    if not form.is_valid():
        return render(request, "exports/statistics/page.html", {"form": form}, status=400)
    stats = statistics_cached(form.filters())
    context = {"stats": stats, "tables": stats.tables(), "charts": statistics_charts(stats, font=PDF_FONT)}
    document = pdf.render(STATISTICS_PDF_TEMPLATE, context, exporter=request.user, request=request)
    access_log_record(user=request.user, action=AccessLog.Action.EXPORT, case_id=None, object_kind="statistics_pdf")
    return pdf.attachment(document, f"handvat-statistics-{stats.filters.start}-{stats.filters.end}.pdf")


@login_required
@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    _require(access.may_see_statistics(request.user))
    key = request.GET.get("table", "")
    if key not in TABLE_KEYS:
        raise Http404
    form = _statistics_form(request)
    if not form.is_valid():
        return render(request, "exports/statistics/page.html", {"form": form}, status=400)
    stats = statistics_cached(form.filters())
    table = stats.tables(all_teams=True)[key]
    access_log_record(user=request.user, action=AccessLog.Action.EXPORT, case_id=None, object_kind="statistics_csv")
    filename = f"handvat-{key}-{stats.filters.start}-{stats.filters.end}.csv"
    return csv_download(table.columns, table.rows, filename, excel=True)


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs: text starting with a
    formula character gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_download(columns: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, *, excel: bool) -> HttpResponse:
    """UTF-8 CSV; for people (``excel``) with a byte-order mark so Excel reads the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(str(column)) for column in columns])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    content = ("\ufeff" if excel else "") + buffer.getvalue()
    return pdf.attachment(content.encode("utf-8"), filename, content_type="text/csv; charset=utf-8")


# --- The national export --------------------------------------------------------------


def _national_form(request: HttpRequest) -> NationalExportForm:
    if not {"start", "end", "period"} & set(request.GET):
        today = timezone.localdate()
        running = national.period_start(today, "quarter")
        return NationalExportForm(
            {
                "start": national.add_months(running, -12).isoformat(),
                "end": (running - dt.timedelta(days=1)).isoformat(),
                "period": "quarter",
            }
        )
    return NationalExportForm(request.GET)


def _export_for(form: NationalExportForm) -> national.NationalExport:
    data = form.cleaned_data
    return national.national_export(start=data["start"], end=data["end"], period=data["period"])


@login_required
@require_GET
def national_export(request: HttpRequest) -> HttpResponse:
    _require(access.may_make_national_export(request.user))
    form = _national_form(request)
    context: dict[str, Any] = {"form": form, "threshold": settings.HANDVAT_SUPPRESSION_THRESHOLD}
    if form.is_valid():
        context.update(export=_export_for(form), query=_query(form))
    return render(request, "exports/statistics/national.html", context)


@login_required
@require_GET
def national_export_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _require(access.may_make_national_export(request.user))
    if fmt not in ("json", "csv", "lessons"):
        raise Http404
    form = _national_form(request)
    if not form.is_valid():
        return render(request, "exports/statistics/national.html", {"form": form}, status=400)
    export = _export_for(form)
    access_log_record(
        user=request.user, action=AccessLog.Action.EXPORT, case_id=None, object_kind=f"national_export_{fmt}"
    )
    stem = f"handvat-national-{export.period}-{export.start or 'none'}-{export.end or 'none'}"
    if fmt == "json":
        content = json.dumps(national.as_json(export), ensure_ascii=False, indent=2).encode("utf-8")
        return pdf.attachment(content, f"{stem}.json", content_type="application/json")
    if fmt == "csv":
        return csv_download(national.COUNT_COLUMNS, national.count_rows(export), f"{stem}.csv", excel=False)
    return csv_download(national.LESSON_COLUMNS, national.lesson_rows(export), f"{stem}-lessons.csv", excel=False)


urlpatterns = [
    path("statistics/", statistics, name="statistics"),
    path("statistics/pdf/", statistics_pdf, name="statistics_pdf"),
    path("statistics/csv/", statistics_csv, name="statistics_csv"),
    path("national-export/", national_export, name="national_export"),
    path("national-export/<str:fmt>/", national_export_download, name="national_export_download"),
]
