from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prevention.models import Deployment
from prevention.services.briefings import QUESTIONS


class DeploymentForm(forms.ModelForm):
    """The deployment and the five questions, on one page."""

    class Meta:
        model = Deployment
        fields = ["title", "held_on", "team", "location", *QUESTIONS]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **dict.fromkeys(QUESTIONS, forms.RadioSelect),
        }
        help_texts = {"location": _("A place or an area, e.g. Malieveld, The Hague.")}

    def __init__(self, *args: Any, teams: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        team.queryset = teams
        team.empty_label = None if len(teams) == 1 else team.empty_label
        for question in QUESTIONS:
            field = self.fields[question]
            field.choices = [choice for choice in field.choices if choice[0]]
