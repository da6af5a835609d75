from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ChecklistForm(forms.Form):
    """A reason field for each unfinished item: what is accepted as it is, and why."""

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            if not item.done:
                self.fields[f"accept_{item.key}"] = forms.CharField(
                    label=item.label,
                    required=False,
                    max_length=500,
                    help_text=_("Not done yet. To move on anyway, say why it can stay as it is."),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def accepted(self) -> dict[str, str]:
        return {
            name.removeprefix("accept_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("accept_") and value
        }


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the case close?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
