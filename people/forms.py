"""Form helpers shared by every app (this app is the base of the import order)."""

from __future__ import annotations

from html import escape as quote
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, so the page shows it beside the input."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def drop_dash_choices(form: Any) -> None:
    """Radio buttons need no "---------" button: none chosen is visible by itself."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect) and hasattr(field, "choices"):
            field.choices = [
                (value, label) for value, label in field.choices if (value, str(label)) != ("", "---------")
            ]


class SelectWidget(forms.Select):
    """A single select that writes its options itself instead of rendering a
    template per option: the same HTML, but a list of 2,000 teams takes a few
    milliseconds instead of half a second. (The name makes the field template
    call it ``select``, like Django's own.)"""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            options.append(f'<option value="{quote(text)}"{selected}>{quote(str(label))}</option>')
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{quote(name)}"{attributes}>\n  ' + "\n  ".join(options) + "\n</select>")  # noqa: S308 - every part escaped above


class _RowChoiceIterator(forms.models.ModelChoiceIterator):
    """Options straight from ``(pk, label)`` rows: no model instance per option,
    which is most of the time a list of 2,000 teams takes."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class RowChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for long lists whose options need one column only
    (``label_field``); validation still looks the chosen row up by its key."""

    iterator = _RowChoiceIterator
    widget = SelectWidget

    def __init__(self, queryset: Any, *, label_field: str = "name", **kwargs: Any) -> None:
        self.label_field = label_field
        super().__init__(queryset, **kwargs)
