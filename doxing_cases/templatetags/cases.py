"""Small pieces of a case that lists repeat on every row: the status and
threat badges and the next step. Tags instead of ``{% include %}``s: a
dashboard of 35 rows then renders in a fraction of the time, with the same HTML."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def status_badge(case: Any) -> SafeString:
    return format_html('<span class="badge badge--status-{}">{}</span>', case.status, case.get_status_display())


@register.simple_tag
def threat_badge(case: Any) -> SafeString:
    return format_html(
        '<span class="badge badge--threat-{}"><span class="visually-hidden">{}: </span>{}</span>',
        case.threat_level,
        _("Threat level"),
        case.get_threat_level_display(),
    )


@register.simple_tag
def next_action(action: Any) -> SafeString:
    """What should happen next (``doxing_cases.selectors.case.next_action``), with its due time."""
    if not action:
        return mark_safe('<span class="meta">—</span>')
    due = ""
    if action.due_at:
        when = date_filter(timezone.localtime(action.due_at), "j M, H:i")
        overdue = format_html("<strong>{}</strong>, ", _("overdue")) if action.overdue else ""
        due = format_html('<span class="next-action__due">{}{} {}</span>', overdue, _("due"), when)
    modifier = " next-action--overdue" if action.overdue else ""
    return format_html('<span class="next-action{}">{}{}</span>', modifier, action.label, due)
