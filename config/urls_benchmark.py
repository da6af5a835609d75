"""The application's URLs plus two floor views for the load benchmark
(benchmarks/load.py). The floors show what the same server, middleware and
database cost at the least: one row by an indexed query, and 25 rows of one
indexed, ordered query in a minimal template. A page of the application is
judged against them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as application_urls
from doxing_cases.models import Case


@require_GET
def floor_one_row(request: HttpRequest, case_id: int) -> HttpResponse:
    """One row by its primary key."""
    row = Case.objects.values("pk", "status", "opened_at").filter(pk=case_id).first()
    return HttpResponse(f"{row}" if row else "-", content_type="text/plain")


@require_GET
def floor_25_rows(request: HttpRequest) -> HttpResponse:
    """25 rows by the index on (status, opened_at), newest first."""
    cases = Case.objects.filter(status=Case.Status.CLOSED).order_by("-opened_at")[:25]
    return render(request, "benchmark/floor.html", {"cases": cases})


urlpatterns = [
    path("benchmark/floor/one/<int:case_id>/", floor_one_row, name="benchmark_floor_one"),
    path("benchmark/floor/25/", floor_25_rows, name="benchmark_floor_25"),
    *application_urls,
]
