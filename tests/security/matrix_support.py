"""The machinery of the authorization matrix: walk the URL resolver, build a
URL for each context from the world's real ids, request it as each actor and
classify the answer. The declared table is in ``matrix.py``."""

from __future__ import annotations

import copy
import io
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.matrix import ACTORS
from tests.security.world import World

#: URL patterns the matrix leaves out, each with the reason.
EXCLUDED_NAMESPACES = {
    "admin": "the Django admin has its own staff login and permission system; tested by Django",
}
EXCLUDED_NAMES = {
    "set_language": "django.conf.urls.i18n: sets the language cookie, holds no data",
}

#: Parameters naming an object of a case (not the case itself): a "mixed" URL
#: takes the own case's id with the other case's object ids (an IDOR probe).
CASE_OBJECT_PARAMS = {
    "report_id",
    "attachment_id",
    "involvement_id",
    "task_id",
    "item_id",
    "evidence_id",
    "takedown_id",
    "measure_id",
    "decision_id",
    "enquiry_id",
    "moment_id",
    "follow_up_id",
    "grant_id",
    "hold_id",
}


def _statistics_table() -> str:
    from exports.views.statistics import TABLE_KEYS

    return f"table={next(iter(TABLE_KEYS))}"


#: Query strings a URL needs to reach its content (else it answers 404 to everyone).
QUERIES = {"exports:statistics_csv": _statistics_table}


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    params: tuple[str, ...]


def url_patterns() -> list[Pattern]:
    """Every named URL pattern of the project, namespaced, with its parameters."""
    found: list[Pattern] = []

    def walk(entries: list[Any], prefix: str, namespace: str | None) -> None:
        for entry in entries:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                params = tuple(getattr(entry.pattern, "converters", {}).keys()) or tuple(entry.pattern.regex.groupindex)
                found.append(Pattern(name=name, route=prefix + str(entry.pattern), params=params))

    walk(get_resolver().url_patterns, "", None)
    return found


def checked_patterns() -> list[Pattern]:
    return [
        p for p in url_patterns() if p.name.split(":")[0] not in EXCLUDED_NAMESPACES and p.name not in EXCLUDED_NAMES
    ]


def contexts(pattern: Pattern) -> list[str]:
    if not pattern.params:
        return ["own"]
    found = ["own", "other"]
    if "case_id" in pattern.params and CASE_OBJECT_PARAMS & set(pattern.params):
        found.append("mixed")
    return found


def url_for(world: World, pattern: Pattern, context: str) -> str:
    kwargs = {}
    for param in pattern.params:
        source = "own" if context == "mixed" and param == "case_id" else ("other" if context == "mixed" else context)
        special = world.special.get((pattern.name, param))
        if special is not None:
            kwargs[param] = special[source]
        else:
            if param not in world.params[source]:
                raise KeyError(f"{pattern.name}: give the world a real {param!r} (tests/security/world.py)")
            kwargs[param] = world.params[source][param]
    url = reverse(pattern.name, kwargs=kwargs)
    query = QUERIES.get(pattern.name)
    return f"{url}?{query()}" if query else url


def is_login_redirect(response: HttpResponse) -> bool:
    """A redirect to the login or its second step (all under /accounts/, like LOGIN_URL)."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return urlparse(response["Location"]).path.startswith((reverse("login"), "/accounts/"))


def is_success(response: HttpResponse) -> bool:
    """What the matrix counts as "let through": 2xx, or 3xx that is not to a login page."""
    return 200 <= response.status_code < 300 or (300 <= response.status_code < 400 and not is_login_redirect(response))


#: POST bodies a view needs to do its work (an empty POST is refused with a form error anyway).
POST_DATA: dict[str, dict[str, str]] = {"exports:subject_access_download": {"confirm": "on"}}


def request(client: Client, method: str, url: str, data: dict[str, str] | None = None) -> HttpResponse:
    """One request whose writes are all undone, and whose cookies are forgotten (a logout or
    a login must not change who the next request is), so the world stays the same for every actor."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        if getattr(response, "streaming", False):
            response._body = b"".join(response.streaming_content)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def body_text(response: HttpResponse) -> str:
    """The text a person would read: HTML/CSV/JSON as is, PDFs through pdftotext, ZIPs member by member."""
    raw = getattr(response, "_body", None)
    if raw is None:
        raw = response.content
    kind = response.get("Content-Type", "")
    return _text(raw, kind)


def _text(raw: bytes, kind: str = "") -> str:
    if raw[:4] == b"%PDF" or "pdf" in kind:
        return subprocess.run(["pdftotext", "-", "-"], input=raw, capture_output=True, check=True).stdout.decode()
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "\n".join(_text(archive.read(member)) for member in archive.namelist())
    return raw.decode("utf-8", errors="replace")


def iter_requests(pattern: Pattern) -> Iterator[tuple[str, str, str]]:
    for context in contexts(pattern):
        for actor in ACTORS:
            for method in ("GET", "POST"):
                yield context, actor, method
