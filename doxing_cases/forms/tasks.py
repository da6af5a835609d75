from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What needs to be done?"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Who"), queryset=None, empty_label=None)
    due_on = forms.DateField(label=_("By when"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    due_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty for the end of the working day (17:00)."),
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def due_at(self) -> dt.datetime:
        time = self.cleaned_data.get("due_time") or dt.time(17, 0)
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["due_on"], time))
