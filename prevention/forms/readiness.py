from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ReadinessItemForm(forms.Form):
    done = forms.BooleanField(label=_("This is arranged"), required=False)
    note = forms.CharField(
        label=_("How, and where to find it"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RosterAddForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Peer supporter"), queryset=None, empty_label=None)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class AvailabilityForm(forms.Form):
    available = forms.BooleanField(label=_("I can be asked to offer peer support now"), required=False)
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, help_text=_("For example: not on weekends.")
    )
