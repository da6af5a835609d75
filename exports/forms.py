"""Forms of the exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HrGrantForm(forms.Form):
    hr_user = forms.ModelChoiceField(label=_("Who in HR"), queryset=None, empty_label=None)
    valid_until = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("HR can export the report up to and including this day. You can stop it earlier."),
    )
    reason = forms.CharField(
        label=_("Why HR needs it"),
        max_length=300,
        required=False,
        help_text=_("For example: arranging leave or a different workplace."),
    )

    def __init__(self, *args: Any, recipients: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_until": timezone.localdate() + dt.timedelta(days=14)})
        super().__init__(*args, **kwargs)
        self.fields["hr_user"].queryset = recipients
        self.fields["hr_user"].label_from_instance = lambda user: user.display_name
