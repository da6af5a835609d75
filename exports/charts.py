"""Charts drawn on the server as SVG: the same markup on the page and in the PDF.

No JavaScript and no chart library: a chart is a few rectangles and lines.
Every chart is an image with a name (``role="img"``, ``<title>`` and a
``<desc>`` that says what it shows); the page and the PDF always put the same
figures in a table next to it, so nobody needs the picture to read them.

Colours and text sizes are SVG attributes, not ``style``: the content
security policy forbids inline styles. Every text from the data (a team name)
is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

BAR = "#154273"  # the house blue: 10.4:1 on white
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#cfd6dd"
WIDTH = 560


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_max(value: float) -> tuple[float, float]:
    """A round top for the axis and the step between its grid lines (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0) if value >= 1 else step
    return step * math.ceil(value / step), step


def _svg(key: str, title: str, description: str, width: int, height: int, body: list[str], font: str) -> SafeString:
    title_id, desc_id = f"chart-{key}-title", f"chart-{key}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family={quoteattr(font)} fill="{TEXT}">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text above is escaped


def describe(bars: Sequence[tuple[str, float | None]], unit: str) -> str:
    """A sentence for the chart's description: the bars, in order."""
    parts = [f"{label}: {'—' if value is None else _num(value)}" for label, value in bars]
    return f"{unit}. " + "; ".join(parts) + "."


def bar_chart(
    key: str, title: str, bars: Sequence[tuple[str, float]], *, unit: str, font: str = "inherit"
) -> SafeString:
    """Horizontal bars, each under its label: long labels (kinds of behaviour)
    stay readable on a phone."""
    row, label_size = 44, 16
    top = max((value for _label, value in bars), default=0)
    scale_to, _step = nice_max(top)
    room = WIDTH - 70
    body: list[str] = []
    for index, (label, value) in enumerate(bars):
        y = index * row
        length = room * value / scale_to if scale_to else 0
        body.append(f'<text x="0" y="{y + 16}" font-size="{label_size}">{escape(label)}</text>')
        body.append(f'<rect x="0" y="{y + 22}" width="{room}" height="14" fill="{GRID}" opacity="0.35"/>')
        if value:
            body.append(f'<rect x="0" y="{y + 22}" width="{max(length, 2):.1f}" height="14" fill="{BAR}"/>')
        body.append(
            f'<text x="{room + 8}" y="{y + 34}" font-size="{label_size}" font-weight="700">{_num(value)}</text>'
        )
    height = max(len(bars) * row, row)
    return _svg(key, title, describe(bars, unit), WIDTH, height, body, font)


TOP = 26  # room above the plot for the unit


def _axis(height: int, left: int, bottom: int, top_value: float, step: float, unit_label: str) -> list[str]:
    plot_h = height - bottom - TOP
    lines: list[str] = []
    ticks = round(top_value / step)
    for tick in range(ticks + 1):
        value = tick * step
        y = TOP + plot_h - plot_h * value / top_value
        lines.append(f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        lines.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="{MUTED}">{_num(value)}</text>'
        )
    lines.append(f'<text x="0" y="12" font-size="12" fill="{MUTED}">{escape(unit_label)}</text>')
    return lines


def _x_labels(labels: Sequence[tuple[str, str]], left: int, slot: float, height: int, bottom: int) -> list[str]:
    """Two-line labels under the columns: the short name, and a second line
    (the year) where it changes; thinned out when the columns are narrow."""
    every = max(1, math.ceil(32 / slot))
    body: list[str] = []
    last_second = None
    for index, (first, second) in enumerate(labels):
        x = left + slot * (index + 0.5)
        if index % every == 0:
            body.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="12" '
                f'text-anchor="middle">{escape(first)}</text>'
            )
        if second != last_second:
            body.append(
                f'<text x="{x:.1f}" y="{height - bottom + 31}" font-size="12" text-anchor="middle" '
                f'fill="{MUTED}">{escape(second)}</text>'
            )
            last_second = second
    return body


def column_chart(
    key: str,
    title: str,
    columns: Sequence[tuple[tuple[str, str], float]],
    *,
    unit: str,
    font: str = "inherit",
) -> SafeString:
    """Vertical bars over time (cases per month). ``columns`` are ((short label,
    second line), value)."""
    height, left, bottom = 246, 40, 44
    top_value, step = nice_max(max((value for _label, value in columns), default=0))
    plot_h = height - bottom - TOP
    slot = (WIDTH - left) / max(len(columns), 1)
    body = _axis(height, left, bottom, top_value, step, unit)
    for index, (_label, value) in enumerate(columns):
        bar_h = plot_h * value / top_value
        if value:
            body.append(
                f'<rect x="{left + slot * index + slot * 0.15:.1f}" y="{TOP + plot_h - bar_h:.1f}" '
                f'width="{slot * 0.7:.1f}" height="{bar_h:.1f}" fill="{BAR}"/>'
            )
    body += _x_labels([label for label, _value in columns], left, slot, height, bottom)
    description = describe([(f"{a} {b}", value) for (a, b), value in columns], unit)
    return _svg(key, title, description, WIDTH, height, body, font)


def line_chart(
    key: str,
    title: str,
    points: Sequence[tuple[tuple[str, str], float | None]],
    *,
    unit: str,
    font: str = "inherit",
) -> SafeString:
    """A line over time; a point without a value (no cases that month) breaks the line."""
    height, left, bottom = 246, 40, 44
    top_value, step = nice_max(max((value or 0 for _label, value in points), default=0))
    plot_h = height - bottom - TOP
    slot = (WIDTH - left) / max(len(points), 1)
    body = _axis(height, left, bottom, top_value, step, unit)
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (_label, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        x, y = left + slot * (index + 0.5), TOP + plot_h - plot_h * value / top_value
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BAR}"/>')
    if segment:
        segments.append(segment)
    for line in segments:
        if len(line) > 1:
            body.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="{BAR}" stroke-width="2.5"/>')
    body += _x_labels([label for label, _value in points], left, slot, height, bottom)
    description = describe([(f"{a} {b}", value) for (a, b), value in points], unit)
    return _svg(key, title, description, WIDTH, height, body, font)
