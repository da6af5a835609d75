from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must the case be kept?"),
        max_length=300,
        help_text=_("For example: a court case against the doxer is running. No details about the employee."),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. Leave empty when the end is not known yet; you can lift the hold at any time."),
    )
