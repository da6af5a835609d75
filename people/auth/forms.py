from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits. A new code appears every 30 seconds."),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return token
