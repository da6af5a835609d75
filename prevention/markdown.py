"""Markdown for knowledge-base articles, rendered so that nothing in it can run.

Articles are written by coordinators, but a browser must never trust them
more than any other text: raw HTML is shown as text (``html=False``), only
links to the web, e-mail and phone are made clickable, images are not
rendered at all (an image from elsewhere would tell another site who reads
which article), and links to other sites get ``rel="noopener noreferrer"``.
An article's ``#`` becomes an ``<h2>``, below the page's own ``<h1>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Schemes a link may use; a link without a scheme (``../other-article/``,
#: ``#section``) stays on this site.
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SCHEME_RE = re.compile(r"^\s*([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
#: How far a heading moves down: ``#`` becomes ``<h2>``.
HEADING_SHIFT = 1


def link_is_safe(url: str) -> bool:
    """Whether ``url`` (normalised, entities decoded) may become a link."""
    match = SCHEME_RE.match(url)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


def is_external(url: str) -> bool:
    return url.startswith("//") or (SCHEME_RE.match(url) is not None and url.lower().startswith(("http:", "https:")))


def _shift_headings(tokens: Sequence[Token]) -> None:
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag = f"h{level}"


def _mark_external_links(tokens: Sequence[Token]) -> None:
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open" and is_external(str(child.attrGet("href") or "")):
                child.attrSet("rel", "noopener noreferrer")


def _table_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return '<div class="table-wrap"><table class="table">\n'


def _table_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "</table></div>\n"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")
    md.validateLink = link_is_safe  # type: ignore[method-assign]
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


_MD = _parser()


def render(text: str) -> SafeString:
    """``text`` (Markdown) as HTML that is safe to put in a page."""
    env: dict[str, Any] = {}
    tokens = _MD.parse(text or "", env)
    _shift_headings(tokens)
    _mark_external_links(tokens)
    html = _MD.renderer.render(tokens, _MD.options, env)
    return mark_safe(html)  # noqa: S308 - html=False escapes all raw HTML; links are checked above
