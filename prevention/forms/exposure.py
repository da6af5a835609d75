from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import User
from prevention.models import ExposureItem

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExposureItemForm(forms.ModelForm):
    """An item of the register. The owner field is there only for those who
    may hand an item to someone else (coordinators)."""

    class Meta:
        model = ExposureItem
        fields = ["title", "kind", "location", "owner", "decision", "review_on", "note"]
        widgets = {
            "kind": forms.RadioSelect,
            "decision": forms.RadioSelect,
            "review_on": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "owner": _("The person who looks at it again on the review day; they get a reminder that morning."),
            "review_on": _(
                "While undecided, soon. Once decided, within a year: images come back through archives and reposts."
            ),
            "note": _("Why this decision; no names of the people in the picture."),
        }

    def __init__(self, *args: Any, may_choose_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_choose_owner:
            self.fields["owner"].queryset = User.objects.filter(is_active=True)
        else:
            del self.fields["owner"]
        for name in ("kind", "decision"):
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0]]


class ReviewedForm(forms.Form):
    next_review_on = forms.DateField(label=_("Next review on"), widget=DATE_INPUT)
