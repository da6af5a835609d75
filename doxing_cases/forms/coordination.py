from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doxing_cases.models import CommunicationAgreement, Decision, PressEnquiry
from people.models import User

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DecisionForm(forms.ModelForm):
    """A decision taken with the employee: their view is part of it (recommendation 16)."""

    employee_heard = forms.TypedChoiceField(
        label=_("Was the employee heard?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )

    #: Shown as groups on the page, in this order.
    GROUPS = (
        (_("The decision"), ("question", "options", "decision", "decided_by", "decided_on")),
        (_("The employee"), ("employee_heard", "employee_view")),
        (_("The perpetrator and the police"), ("about_perpetrator", "criminal_doxing_suspected", "police_alignment")),
    )

    class Meta:
        model = Decision
        fields = [
            "question",
            "options",
            "decision",
            "decided_by",
            "decided_on",
            "employee_heard",
            "employee_view",
            "about_perpetrator",
            "criminal_doxing_suspected",
            "police_alignment",
        ]
        widgets = {
            "options": forms.Textarea(attrs={"rows": 4}),
            "decision": forms.Textarea(attrs={"rows": 3}),
            "employee_view": forms.Textarea(attrs={"rows": 3}),
            "police_alignment": forms.Textarea(attrs={"rows": 3}),
            "decided_on": DATE_INPUT,
        }
        labels = {"question": _("What had to be decided?")}
        help_texts = {
            "options": _("What was considered, with what speaks for and against. Only the coordinator sees this."),
            "decided_by": _("For example: the coordinator with the employee, or the head of department."),
            "employee_view": _(
                "What the employee thinks and wants. The employee sees this on their own page. "
                "If they were not heard, say why, and when they will be."
            ),
            "about_perpetrator": _(
                "For example inviting them for an informal talk. A talk excludes no other step: "
                "a police report or a takedown request remains possible."
            ),
            "criminal_doxing_suspected": _("Doxing is a criminal offence in the Netherlands since 1 January 2024."),
            "police_alignment": _(
                "Required when the decision is about the perpetrator and criminal doxing is suspected: "
                "what was agreed with the police, and with whom?"
            ),
        }

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]


class CommunicationAgreementForm(forms.ModelForm):
    class Meta:
        model = CommunicationAgreement
        fields = ["strategy", "spokesperson", "agreed_with_employee", "agreed_with_relatives", "notes", "agreed_on"]
        widgets = {"strategy": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 4}), "agreed_on": DATE_INPUT}
        help_texts = {
            "strategy": _(
                "Sometimes speaking out helps; sometimes silence keeps a media storm away. "
                "Decide it with the employee and, where it touches them, with relatives."
            ),
            "spokesperson": _("Who speaks to the press for the organisation. The employee sees this name."),
            "agreed_with_employee": _("Tick this only when the employee agrees with the approach."),
            "notes": _(
                "What may and may not be said, channels, who else is told. Only the coordinator "
                "and the involved department contact see this."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].choices = CommunicationAgreement.Strategy.choices


class PressEnquiryForm(forms.ModelForm):
    class Meta:
        model = PressEnquiry
        fields = ["received_at", "outlet", "question", "response", "handled_by"]
        widgets = {
            "received_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "question": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"handled_by": _("Handled by")}
        help_texts = {"response": _("You can add the answer later.")}

    def __init__(self, *args: Any, handlers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handled_by"]
        field.queryset = User.objects.filter(pk__in=[user.pk for user in handlers]).order_by("first_name", "last_name")
        field.empty_label = None
        field.label_from_instance = lambda user: user.display_name
