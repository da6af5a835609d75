"""Form helpers shared by every app (this app is the base of the import order)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


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
