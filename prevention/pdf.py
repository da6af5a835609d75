"""PDFs with WeasyPrint: the employee's card here, the exports through ``exports.pdf``.

WeasyPrint is imported only when a PDF is made: importing it costs most of a
second, which no other page should pay. Rendering fetches nothing from the
network: the only URLs it may open are the project's own static files, served
from disk through a base address that cannot resolve (``.invalid``).

:func:`html_to_pdf` lays a document out in a child process forked for it. A
big document leaves tens of megabytes of font, layout and heap behind in the
process that rendered it; the child takes them along when it exits, so a web
worker stays small however many PDFs it serves. A document that runs away is
stopped after ``RENDER_TIMEOUT_SECONDS`` without taking the worker with it.
Where forking is not safe (a process with threads, such as the development
server) it renders in place.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import mimetypes
import multiprocessing
import os
import threading
import time
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


#: Longest a PDF may take before it is given up (a 200-line case report takes
#: 2–3 s): under gunicorn's 30-second worker timeout, so the user gets an error
#: page instead of a worker killed halfway.
RENDER_TIMEOUT_SECONDS = 25


class PdfRenderError(RuntimeError):
    """The PDF could not be made: the renderer failed, stopped or ran out of time."""


def html_to_pdf(html: str, *, timeout: float = RENDER_TIMEOUT_SECONDS) -> RenderedPdf:
    """The PDF of ``html`` and its page count, made in a forked child where that is safe."""
    if not _may_fork():
        return _render_here(html)
    _warm_up()
    if not _may_fork(wait=0.2):  # loading fonts may leave a short-lived thread of Pango's behind
        return _render_here(html)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_in_child, args=(html, sender), name="handvat-pdf")
    try:
        child.start()
        sender.close()
        if not receiver.poll(timeout):
            raise PdfRenderError(f"The PDF took longer than {timeout:g} s and was given up")
        outcome = receiver.recv()
    except EOFError as exc:
        raise PdfRenderError("The PDF renderer stopped without a result") from exc
    finally:
        sender.close()
        receiver.close()
        if child.pid is not None:
            if child.is_alive():
                child.kill()
            child.join()
    if isinstance(outcome, RenderedPdf):
        return outcome
    raise PdfRenderError(outcome)


def _may_fork(*, wait: float = 0.0) -> bool:
    """A fork copies only the thread that forks; with other threads running
    (Python's or a C library's), a lock one of them held could stay locked in
    the child for ever. ``wait``: how long to give a passing thread to end."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    deadline = time.monotonic() + wait
    while _threads() > 1:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def _threads() -> int:
    """Threads of this process, those of C libraries included (Linux)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


@functools.cache
def _warm_up() -> None:
    """Import WeasyPrint and load the fonts once in the parent, so that every
    child starts with them (some 25 MB, shared with the children)."""
    _render_here(
        "<p style=\"font-family: 'DejaVu Sans'\">Handvat <b>PDF</b> "
        "<span style=\"font-family: 'DejaVu Sans Mono'\">0</span></p>"
    )


def _render_here(html: str) -> RenderedPdf:
    document = render_html(html)
    return RenderedPdf(content=write_pdf(document), pages=len(document.pages))


def _render_in_child(html: str, sender: Any) -> None:
    try:
        outcome: RenderedPdf | str = _render_here(html)
    except Exception as exc:  # the parent raises it; the child's log keeps the traceback
        logger.exception("The PDF renderer failed")
        outcome = f"{type(exc).__name__}: {exc}"
    sender.send(outcome)
    sender.close()


def render_html(html: str) -> Any:
    """A laid-out WeasyPrint document; ``.pages`` counts its pages."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).render()


def card_pdf(request: HttpRequest, context: dict[str, Any]) -> RenderedPdf:
    """The card on one page: laid out as designed, and once more a little
    tighter when a long organisation name or translation pushes it onto a second."""
    pdf = None
    deadline = time.monotonic() + RENDER_TIMEOUT_SECONDS  # both tries together, not each
    for compact in (False, True):
        html = render_to_string(CARD_TEMPLATE, {**context, "compact": compact}, request=request)
        pdf = html_to_pdf(html, timeout=max(deadline - time.monotonic(), 1.0))
        if pdf.pages == 1:
            break
    assert pdf is not None
    if pdf.pages != 1:
        logger.warning("The card PDF has %d pages instead of one", pdf.pages)
    return pdf
