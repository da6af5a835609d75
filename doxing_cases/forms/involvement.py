from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doxing_cases.models import Involvement


class InvolvementForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Who"), queryset=None, empty_label=None)
    department = forms.CharField(
        label=_("Department"), max_length=100, required=False, help_text=_("For example: Communication, Legal affairs.")
    )
    note = forms.CharField(
        label=_("What do you ask of them?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("They see this together with the part of the case they work on."),
    )

    def __init__(self, *args: Any, kind: str, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.team.name})" if user.team_id else user.display_name
        )
        if kind != Involvement.Kind.DEPARTMENT:
            del self.fields["department"]
