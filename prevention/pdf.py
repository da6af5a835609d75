"""The employee's card as a one-page A4 PDF (WeasyPrint).

WeasyPrint is imported only when a PDF is made: importing it costs most of a
second, which no other page should pay. Rendering fetches nothing from the
network: the only URLs it may open are the project's own static files, served
from disk through a base address that cannot resolve (``.invalid``).
"""

from __future__ import annotations

import ctypes
import functools
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

#: Relative URLs in a PDF template (``{% static %}``) resolve against this.
BASE_URL = "https://handvat.invalid/"
CARD_TEMPLATE = "prevention/pdf/card.html"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def static_file(url: str) -> Path | None:
    """The file on disk behind ``url``, when it is one of the project's static files."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    path = unquote(parts.path)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not path.startswith(settings.STATIC_URL):
        return None
    name = path.removeprefix(settings.STATIC_URL)
    try:
        found = finders.find(name)
        if found:
            return Path(str(found))
        if staticfiles_storage.exists(name):  # collected, hashed names in production
            return Path(staticfiles_storage.path(name))
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return None


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that opens the project's static files and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_file(url)
            if path is None:
                raise ValueError(f"PDFs load nothing from elsewhere: {url[:80]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return StaticFilesOnly()


@functools.cache
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to ask
        return None


def write_pdf(document: Any) -> bytes:
    """The PDF bytes of a laid-out document. WeasyPrint leaves some 10 MB of
    freed memory in the C heap after a big document; glibc gives it back to
    the system only when asked (2 ms), which keeps web workers small."""
    try:
        return document.write_pdf()
    finally:
        trim = _malloc_trim()
        if trim is not None:
            trim(0)


def render_html(html: str) -> Any:
    """A laid-out WeasyPrint document; ``.pages`` counts its pages."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).render()


def card_pdf(request: HttpRequest, context: dict[str, Any]) -> RenderedPdf:
    """The card on one page: laid out as designed, and once more a little
    tighter when a long organisation name or translation pushes it onto a second."""
    document = None
    for compact in (False, True):
        html = render_to_string(CARD_TEMPLATE, {**context, "compact": compact}, request=request)
        document = render_html(html)
        if len(document.pages) == 1:
            break
    assert document is not None
    if len(document.pages) != 1:
        logger.warning("The card PDF has %d pages instead of one", len(document.pages))
    return RenderedPdf(content=write_pdf(document), pages=len(document.pages))
