from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FollowUpForm(forms.Form):
    planned_on = forms.DateField(label=_("When"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    owner = forms.ModelChoiceField(label=_("Who holds the conversation"), queryset=None, empty_label=None)
    reason = forms.CharField(label=_("Why"), max_length=200, required=False)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class FollowUpRecordForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    work_impact = forms.CharField(
        label=_("How does the incident affect the work?"),
        help_text=_("For example: avoids certain shifts, feels unsafe in the district, enjoys the work again."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    needs = forms.CharField(
        label=_("What does the employee need to get back to where they want to be, and who can help?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
