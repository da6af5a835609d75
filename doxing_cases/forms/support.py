from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doxing_cases.models import CheckIn, PeerSupportContact, Referral, SupportActivity
from people.forms import drop_dash_choices


class PeerContactForm(forms.ModelForm):
    class Meta:
        model = PeerSupportContact
        fields = ["offered_at", "response", "next_contact_on"]
        widgets = {
            "offered_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "response": forms.RadioSelect,
            "next_contact_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"next_contact_on": _("You get a reminder that morning.")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        drop_dash_choices(self)


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["at", "wellbeing", "relatives", "needs", "team_talked", "next_check_in_on"]
        widgets = {
            "at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "wellbeing": forms.RadioSelect,
            "relatives": forms.RadioSelect,
            "needs": forms.Textarea(attrs={"rows": 3}),
            "next_check_in_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"next_check_in_on": _("Leave empty to keep the usual rhythm.")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        drop_dash_choices(self)
        self.fields["relatives"].required = False


class SupportActivityForm(forms.ModelForm):
    class Meta:
        model = SupportActivity
        fields = ["kind", "held_on", "note"]
        widgets = {"kind": forms.RadioSelect, "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        drop_dash_choices(self)


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["to", "to_detail", "referred_on", "consent"]
        widgets = {"to": forms.RadioSelect, "referred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        drop_dash_choices(self)


class RhythmForm(forms.Form):
    every_days = forms.IntegerField(
        label=_("Check in every … days"),
        min_value=1,
        max_value=90,
        help_text=_("Seven days is usual. Closer together in a hard week, further apart when things calm down."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you and the other person in this conversation read it. It is never sent by e-mail."),
    )
