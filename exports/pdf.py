"""Confidential PDFs of Handvat (WeasyPrint): case reports, the police pack,
statistics and the subject-access copy.

Every document extends ``exports/pdf/base.html``: each page says
"Vertrouwelijk" (in the reader's language), who exported it and when, and
"page n of m". Rendering goes through :func:`prevention.pdf.html_to_pdf` (in a
child process, so a web worker keeps none of WeasyPrint's memory), whose URL
fetcher opens only the project's own static files and refuses everything
else, so a PDF never reaches the network, whatever a user typed into a case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from people.models import User
from prevention.pdf import RenderedPdf, html_to_pdf

#: A rendered PDF: its bytes and its number of pages.
Pdf = RenderedPdf


def export_context(exporter: User, *, at: datetime | None = None) -> dict[str, Any]:
    """What the running header and footer of every page need."""
    return {"exporter": exporter, "exported_at": timezone.localtime(at or timezone.now())}


def html_for(template: str, context: dict[str, Any], *, exporter: User, request: HttpRequest | None = None) -> str:
    return render_to_string(template, {**export_context(exporter), **context}, request=request)


def render(template: str, context: dict[str, Any], *, exporter: User, request: HttpRequest | None = None) -> Pdf:
    """Render ``template`` (which extends ``exports/pdf/base.html``) to PDF bytes."""
    return html_to_pdf(html_for(template, context, exporter=exporter, request=request))


def attachment(pdf: Pdf | bytes, filename: str, content_type: str = "application/pdf") -> HttpResponse:
    """A download that the browser saves instead of showing, never cached."""
    content = pdf.content if isinstance(pdf, Pdf) else pdf
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
