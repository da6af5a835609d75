from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from people.models import Team, User
from prevention.models import TrainingModule, TrainingSession


class TrainingModuleForm(forms.ModelForm):
    class Meta:
        model = TrainingModule
        fields = ["title", "kind", "description", "active"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "description": _("What people learn, for whom it is meant and how long it takes."),
            "active": _("Untick when the training is no longer given; its records stay."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [choice for choice in self.fields["kind"].choices if choice[0]]


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["module", "held_on", "trainer", "location"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"module": _("Training")}
        help_texts = {
            "held_on": _("A session can be planned ahead; attendance is recorded once it has been held."),
            "trainer": _("A name, or the organisation that gives it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = Q(active=True)
        if self.instance.pk:
            offered |= Q(pk=self.instance.module_id)
        self.fields["module"].queryset = TrainingModule.objects.filter(offered)
        self.fields["module"].empty_label = None


class PersonChoiceField(forms.ModelMultipleChoiceField):
    #: Ids beyond a 64-bit integer never exist; SQLite raises OverflowError on
    #: them in an ``__in`` lookup instead of finding nothing (found by fuzzing).
    MAX_ID = 2**63 - 1

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.team.name})" if obj.team_id else obj.display_name

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            try:
                in_range = abs(int(str(pk))) <= self.MAX_ID
            except (ValueError, TypeError):
                in_range = True  # not a number: Django's own check names it
            if not in_range:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class AttendanceFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or team"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), required=False, empty_label=_("All teams")
    )


class AttendanceForm(forms.Form):
    people = PersonChoiceField(
        label=_("Who attended"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    whole_team = forms.ModelChoiceField(
        label=_("Or: everyone in a team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("No team"),
        help_text=_("Records every active member and manager of the team."),
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = candidates

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("people") and not cleaned.get("whole_team"):
            raise ValidationError(_("Tick who attended, or choose a team."))
        return cleaned
