from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Team
from prevention.models import Debrief


class DebriefForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=_("Choose a team"))
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    topics = forms.MultipleChoiceField(
        label=_("What did you talk about?"), choices=Debrief.Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "In general terms, for example what the team wants to do differently. No names or personal details."
        ),
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class DebriefFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
