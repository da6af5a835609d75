from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models import Behaviour, PoliceReport, PoliceReportDecline, SecurityMeasure, ThreatAssessment
from people.forms import drop_dash_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ThreatAssessmentForm(forms.ModelForm):
    class Meta:
        model = ThreatAssessment
        fields = ["level", "basis", "police_consulted"]
        widgets = {"level": forms.RadioSelect, "basis": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"basis": _("What do you know, and what does it mean for the employee and relatives?")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        drop_dash_choices(self)


class SecurityMeasureForm(forms.ModelForm):
    """One measure. The employee's and relatives' say are fields of their own:
    a measure weighs on private life and has to fit the people it protects."""

    #: Shown as groups on the page, in this order.
    GROUPS = (
        (_("The measure"), ("kind", "for_whom", "description", "responsible_department")),
        (_("What the employee and relatives say"), ("employee_view", "relatives_view")),
        (_("Status and review"), ("status", "start_on", "next_review_on", "phase_out_guidance", "end_on")),
    )

    class Meta:
        model = SecurityMeasure
        fields = [
            "kind",
            "for_whom",
            "description",
            "responsible_department",
            "employee_view",
            "relatives_view",
            "status",
            "start_on",
            "next_review_on",
            "phase_out_guidance",
            "end_on",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "for_whom": forms.RadioSelect,
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "employee_view": forms.Textarea(attrs={"rows": 3}),
            "relatives_view": forms.Textarea(attrs={"rows": 3}),
            "phase_out_guidance": forms.Textarea(attrs={"rows": 3}),
            "start_on": DATE_INPUT,
            "next_review_on": DATE_INPUT,
            "end_on": DATE_INPUT,
        }
        labels = {
            "employee_view": _("What does the employee say about it?"),
            "relatives_view": _("What do relatives say about it?"),
        }
        help_texts = {
            "description": _("What exactly is arranged, and where. Only the coordinator and security see this."),
            "responsible_department": _("Who runs it, for example Security, Facilities or the police."),
            "employee_view": _(
                "Ask how the measure fits their daily life, work and home. What do they want, what worries them?"
            ),
            "relatives_view": _("A measure at home touches partners, children and housemates too. What do they say?"),
            "next_review_on": _(
                "When to check whether the measure is still needed and still fits. "
                "The security officer, or else the coordinator, gets a task for that day."
            ),
            "phase_out_guidance": _(
                "Required when the measure is being phased out. How is the employee guided: "
                "who talks with them, what stays in place for a while?"
            ),
            "end_on": _("Required when the measure has ended."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SecurityMeasure.Kind.choices
        self.fields["for_whom"].choices = SecurityMeasure.ForWhom.choices
        self.fields["status"].choices = SecurityMeasure.Status.choices

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]


class OffencesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=Behaviour.choices,
            required=False,
            label=_("Offences it covers"),
            help_text=_(
                "Tick every offence this report is about. Other offences, such as a threat or an insult, "
                "can also be reported separately."
            ),
            **kwargs,
        )


class PoliceReportForm(forms.ModelForm):
    offences = OffencesField()

    class Meta:
        model = PoliceReport
        fields = [
            "kind",
            "filed_by",
            "vpt",
            "employer_address",
            "offences",
            "status",
            "filed_on",
            "police_reference",
            "notes",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "filed_by": forms.RadioSelect,
            "status": forms.RadioSelect,
            "filed_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"kind": _("Kind of report")}
        help_texts = {
            "kind": _("A notification (melding) informs the police; a formal report (aangifte) asks for prosecution."),
            "filed_by": _(
                "The organisation can file the report itself, with the employee as a witness. "
                "That takes work off the employee's hands."
            ),
            "vpt": _(
                "Veilige Publieke Taak: ask the police to mark it as a VPT case. VPT cases get priority at the police."
            ),
            "filed_on": _("Required once the report is filed."),
        }

    def __init__(self, *args: Any, organisation_address: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PoliceReport.Kind.choices
        self.fields["filed_by"].choices = PoliceReport.FiledBy.choices
        self.fields["status"].choices = PoliceReport.Status.choices
        if organisation_address:
            self.fields["employer_address"].help_text = _(
                "The employee's home address stays out of the police file. The organisation's address: %(address)s"
            ) % {"address": organisation_address}
        else:
            self.fields["employer_address"].help_text = _(
                "The employee's home address stays out of the police file. "
                "The organisation's address is not recorded in Handvat yet: ask the administrator to add it."
            )


class PoliceReportUpdateForm(forms.ModelForm):
    class Meta:
        model = PoliceReport
        fields = ["status", "filed_on", "police_reference", "notes"]
        widgets = {
            "status": forms.RadioSelect,
            "filed_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"filed_on": _("Required once the report is filed.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = PoliceReport.Status.choices


class PoliceDeclineForm(forms.ModelForm):
    class Meta:
        model = PoliceReportDecline
        fields = ["reason", "follow_up_on"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4}), "follow_up_on": DATE_INPUT}
        labels = {
            "reason": _("Why does the employee not want to report, for now?"),
            "follow_up_on": _("When do you talk about it again?"),
        }
        help_texts = {
            "reason": _("In their own words. The employee can read this on their own page."),
            "follow_up_on": _("A date after today. You get a task for that day."),
        }

    def clean_follow_up_on(self) -> Any:
        value = self.cleaned_data["follow_up_on"]
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return value
