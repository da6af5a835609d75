from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.models import Evaluation, Feedback, Lesson

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["held_with", "held_on", "went_well", "can_be_better", "for_organisation", "for_guideline_steps"]
        widgets = {
            "held_with": forms.RadioSelect,
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "went_well": TEXTAREA,
            "can_be_better": TEXTAREA,
            "for_organisation": TEXTAREA,
            "for_guideline_steps": TEXTAREA,
        }
        help_texts = {
            "for_organisation": _("This can become a lesson for the library later, without anything that identifies."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_with"].choices = [choice for choice in self.fields["held_with"].choices if choice[0]]


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["theme", "title", "text"]
        widgets = {"theme": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "title": _("One line that says what to do, e.g. “Plan the follow-up before the case moves to aftercare”."),
            "text": _("What happened in general terms, what worked or did not, and what to do next time."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [choice for choice in self.fields["theme"].choices if choice[0]]


class LessonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Lesson.Theme.choices])


def _scale(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    """1 to 5 as radio buttons, with both ends explained; a question that may not
    apply offers "no measures" as its first answer."""
    choices = [
        (1, _("1 – not at all")),
        (2, "2"),
        (3, "3"),
        (4, "4"),
        (5, _("5 – completely")),
    ]
    if not required:
        choices = [("", _("There were no measures")), *choices]
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=_("1 = not at all, 5 = completely")
        if required
        else _("1 = not at all, 5 = completely. Were there no measures? Then choose that."),
    )


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["knew_contact", "involved_in_decisions", "support_in_time", "measures_fitted", "overall", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"comment": _("What helped, what you missed, what we should do differently.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ["knew_contact", "involved_in_decisions", "support_in_time", "measures_fitted", "overall"]:
            model_field = Feedback._meta.get_field(name)
            self.fields[name] = _scale(model_field.verbose_name, required=not model_field.blank)
