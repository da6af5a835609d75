"""A safety net under the access log: every case page read logs a row.

The views log what they show (``people.services.access_log_record``), often
with detail (the section, the file). A page that reads a case and forgets to
(a form that edits a measure shows the measure first) would leave no trace,
so this middleware logs any successful GET of a URL with a ``case_id`` for
which the request wrote no row of that case itself. A 200 there means
``people.access`` let the user in; a 404 reads nothing and logs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from people.models import AccessLog

#: The case ids the current request logged; None outside a request (tasks, shell).
logged_case_ids: ContextVar[set[int] | None] = ContextVar("logged_case_ids", default=None)


def note_logged(case_id: int | None) -> None:
    seen = logged_case_ids.get()
    if seen is not None and case_id is not None:
        seen.add(case_id)


class CaseReadLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = logged_case_ids.set(set())
        try:
            response = self.get_response(request)
            self._log_unlogged_read(request, response, logged_case_ids.get() or set())
        finally:
            logged_case_ids.reset(token)
        return response

    @staticmethod
    def _log_unlogged_read(request: HttpRequest, response: HttpResponse, seen: set[int]) -> None:
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or match is None:
            return
        if user is None or not user.is_authenticated or "case_id" not in match.kwargs:
            return
        case_id = int(match.kwargs["case_id"])
        if case_id in seen:
            return
        from people.services import access_log_record

        access_log_record(
            user=user, action=AccessLog.Action.VIEW_CASE, case_id=case_id, object_kind=(match.url_name or "")[:40]
        )
