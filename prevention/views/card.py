"""The employee's own card, "What you can do yourself": before, during and
after doxing, on a page and as a one-page PDF to print."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from people import access
from people.models import Organisation, User
from prevention.pdf import card_pdf as render_card_pdf

#: ``doxing_cases.Case.Status.CLOSED``; prevention does not import the case app.
CLOSED = "closed"


def organisation_of(user: User) -> Organisation | None:
    """The employer whose 24/7 number is on the card: the user's team's, else the installation's."""
    organisation = Organisation.objects.filter(teams=user.team_id).first() if user.team_id else None
    return organisation or Organisation.objects.order_by("pk").first()


def open_own_case_id(user: User) -> int | None:
    """The newest open case about ``user`` that they may see as their own; only its id, for a link."""
    return (
        access.cases_visible_to(user, perm=access.OWN)
        .filter(subject=user, merged_into__isnull=True)
        .exclude(status=CLOSED)
        .order_by("-opened_at")
        .values_list("pk", flat=True)
        .first()
    )


def _card_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "organisation": organisation_of(request.user),
        "report_url": request.build_absolute_uri(reverse("cases:report_new")),
    }


@login_required
@require_GET
def card(request: HttpRequest) -> HttpResponse:
    context = {**_card_context(request), "own_case_id": open_own_case_id(request.user)}
    return render(request, "prevention/card/page.html", context)


@login_required
@require_GET
def card_pdf(request: HttpRequest) -> HttpResponse:
    """The card without anything personal on it: no name, no case, so a printed copy gives nothing away."""
    pdf = render_card_pdf(request, _card_context(request))
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="handvat-card.pdf"'
    return response


urlpatterns: list[URLPattern] = [
    path("card/", card, name="card"),
    path("card/pdf/", card_pdf, name="card_pdf"),
]
