from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import AccessLog, User

CASE_REFERENCE = re.compile(r"^\s*(?:HV-?)?0*(\d{1,18})\s*$", re.IGNORECASE)
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AccessLogFilterForm(forms.Form):
    """The privacy officer's two questions: who looked at case X, and what
    did user Y look at between two moments. Every field is optional."""

    case = forms.CharField(
        label=_("Case"), required=False, max_length=30, help_text=_("A case reference such as HV-0003, or its number.")
    )
    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.order_by("username"), required=False, empty_label=_("Everyone")
    )
    action = forms.ChoiceField(label=_("What they did"), required=False)
    since = forms.DateTimeField(label=_("From"), required=False, input_formats=DATETIME_FORMATS, widget=DateTimeInput())
    until = forms.DateTimeField(
        label=_("Until"), required=False, input_formats=DATETIME_FORMATS, widget=DateTimeInput()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Anything")), *AccessLog.Action.choices]
        self.fields["user"].label_from_instance = lambda user: f"{user.username} ({user.display_name})"

    def clean_case(self) -> int | None:
        value = self.cleaned_data["case"]
        if not value:
            return None
        match = CASE_REFERENCE.match(value)
        if match is None:
            raise forms.ValidationError(_("Enter a case reference such as HV-0003, or its number."))
        return int(match.group(1))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end lies before the start."))
        return cleaned
