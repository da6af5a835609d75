from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aftercare.models import FlareUpMoment
from people.forms import drop_dash_choices


class OffsetsField(forms.CharField):
    """Alert days before the moment, written as "14, 2, 0"."""

    def to_python(self, value: Any) -> list[int]:
        text = super().to_python(value)
        try:
            days = sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()}, reverse=True)
        except ValueError as exc:
            raise ValidationError(_("Write whole numbers of days, separated by commas, for example 14, 2, 0.")) from exc
        if any(day < 0 or day > 365 for day in days):
            raise ValidationError(_("Use numbers from 0 (the day itself) to 365."))
        return days

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(str(day) for day in value) if isinstance(value, list) else value


class FlareUpForm(forms.ModelForm):
    offsets = OffsetsField(
        label=_("Alert how many days before"),
        help_text=_("Days before the moment, separated by commas; 0 is the day itself."),
    )

    class Meta:
        model = FlareUpMoment
        fields = [
            "kind",
            "on",
            "at_time",
            "description",
            "alert_manager",
            "alert_specialist",
            "alert_employee",
            "offsets",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "at_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": _(
                "What is happening, and what may it bring up? For example: the court hearing of the suspect."
            ),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        drop_dash_choices(self)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("How did it go?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Did anything resurface online, was anything removed, how was the employee?"),
    )
