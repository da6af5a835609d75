"""Forms of the online side: exposed data, evidence, takedown requests and
the suspected doxer's accounts. Each keeps every answer when it fails."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases import uploads
from doxing_cases.models import DoxerIdentifier, ExposedItem, Level, Platform, TakedownRequest

MAX_URLS = 20
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
URL_ATTRS = {"inputmode": "url", "autocapitalize": "off", "spellcheck": "false", "autocomplete": "off"}
PLATFORM_CHOICES = [("", _("Not known or not relevant")), *Platform.choices]


def _url_field(**kwargs: Any) -> forms.URLField:
    return forms.URLField(max_length=2000, assume_scheme="https", widget=forms.URLInput(attrs=URL_ATTRS), **kwargs)


class ExposedItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was found?"), choices=ExposedItem.Kind.choices)
    detail = forms.CharField(
        label=_("Detail"),
        required=False,
        max_length=300,
        help_text=_("What exactly is visible, as briefly as possible. Do not copy the data itself."),
    )
    platform = forms.ChoiceField(label=_("Where"), choices=PLATFORM_CHOICES, required=False)
    urls = forms.CharField(
        label=_("Links"),
        required=False,
        help_text=_("Web addresses where it can be seen, one per line."),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3, **URL_ATTRS}),
    )
    found_at = forms.DateTimeField(label=_("Found"), widget=DATETIME_WIDGET)
    risk = forms.TypedChoiceField(
        label=_("Risk"), choices=Level.choices, coerce=int, initial=Level.UNKNOWN, widget=forms.RadioSelect
    )
    status = forms.ChoiceField(label=_("Status"), choices=ExposedItem.Status.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, with_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_status:
            del self.fields["status"]
        if not self.is_bound and "found_at" not in self.initial:
            self.initial["found_at"] = timezone.now()

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if len(lines) > MAX_URLS:
            raise ValidationError(_("Please give at most %(max)s links.") % {"max": MAX_URLS})
        validate = URLValidator(schemes=["http", "https"])
        urls: list[str] = []
        bad: list[str] = []
        for line in lines:
            url = line if urlsplit(line).scheme else f"https://{line}"
            try:
                validate(url)
            except ValidationError:
                bad.append(line)
                continue
            if url not in urls:
                urls.append(url)
        if bad:
            raise ValidationError(
                _("These lines are not web addresses: %(lines)s. Put one address on each line.")
                % {"lines": ", ".join(f"“{line[:80]}”" for line in bad[:5])}
            )
        return urls

    def clean_found_at(self) -> dt.datetime:
        value = self.cleaned_data["found_at"]
        if value > timezone.now():
            raise ValidationError(_("This moment is in the future."))
        return value


def initial_for_item(item: ExposedItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "detail": item.detail,
        "platform": item.platform,
        "urls": "\n".join(item.urls),
        "found_at": item.found_at,
        "risk": item.risk,
        "status": item.status,
    }


class EvidenceForm(forms.Form):
    """A capture: the web address, the file, or both. The file is judged by its
    content (``uploads.check_upload``); a refused file stores nothing."""

    url = _url_field(
        label=_("Web address"), required=False, help_text=_("Where you saw it. Copy it from the address bar.")
    )
    platform = forms.ChoiceField(label=_("Platform"), choices=PLATFORM_CHOICES, required=False)
    captured_at = forms.DateTimeField(
        label=_("Date and time on the screenshot"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("As the screenshot or the page shows it, so it can be checked later."),
    )
    description = forms.CharField(
        label=_("What does it show?"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    exposed_item = forms.ModelChoiceField(
        label=_("Which exposed data does it show?"),
        queryset=ExposedItem.objects.none(),
        required=False,
        empty_label=_("None, or not yet on the list"),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        allow_empty_file=True,  # ``check_upload`` refuses it with the file's name
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,application/pdf,text/plain"}),
    )

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked_file: uploads.CheckedFile | None = None
        if items is None:
            del self.fields["exposed_item"]
        else:
            self.fields["exposed_item"].queryset = items
        self.fields["file"].help_text = _(
            "A screenshot (PNG or JPEG), a PDF or a plain-text file, up to %(size)s MB. "
            "Photos are stored without their location data."
        ) % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        self.fields["file"].widget.attrs.update(
            {
                "data-max-bytes": str(settings.UPLOAD_MAX_BYTES),
                "data-too-big-message": _("This file is larger than %(size)s MB:")
                % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            }
        )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded:
            self.checked_file = uploads.check_upload(uploaded, allowed=uploads.EVIDENCE_TYPES)
        return uploaded

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            not cleaned.get("url")
            and not cleaned.get("file")
            and not self.has_error("url")
            and not self.has_error("file")
        ):
            raise ValidationError(_("Give the web address, or add a file, or both."))
        return cleaned

    @property
    def file_to_choose_again(self) -> str:
        """A file that passed while another answer did not: browsers cannot keep it."""
        return self.checked_file.original_name if self.checked_file and self.errors else ""

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "url": data["url"],
            "platform": data["platform"],
            "captured_at": data["captured_at"],
            "description": data["description"],
            "exposed_item": data.get("exposed_item"),
            "file": self.checked_file,
        }


class TakedownForm(forms.Form):
    url = _url_field(label=_("Web address to take down"))
    exposed_item = forms.ModelChoiceField(
        label=_("Which exposed data is it about?"),
        queryset=ExposedItem.objects.none(),
        required=False,
        empty_label=_("None, or not yet on the list"),
        help_text=_("The request names only the kind of data, never the data itself."),
    )
    route = forms.ChoiceField(label=_("Route"), choices=TakedownRequest.Route.choices, widget=forms.RadioSelect)
    recipient = forms.CharField(
        label=_("To"), required=False, max_length=200, help_text=_("The host or platform, e.g. its name.")
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exposed_item"].queryset = items


class TakedownSendForm(forms.Form):
    recipient = forms.CharField(
        label=_("Sent to"), required=False, max_length=200, help_text=_("The host or platform.")
    )
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE_WIDGET)
    sent_by = forms.ModelChoiceField(label=_("Sent by"), queryset=None, empty_label=None)
    answer_due = forms.DateField(
        label=_("Answer expected by"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty for 14 days after sending. If no answer has come by then, a follow-up task is made."),
    )

    def __init__(self, *args: Any, senders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sent_by"].queryset = senders
        self.fields["sent_by"].label_from_instance = lambda user: user.display_name


class TakedownAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What came of it?"),
        choices=[
            (value, label)
            for value, label in TakedownRequest.Status.choices
            if value
            in (TakedownRequest.Status.REMOVED, TakedownRequest.Status.REFUSED, TakedownRequest.Status.NO_ANSWER)
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Their answer"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In short, or paste it. Leave out personal data of the employee."),
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("answered_on", timezone.localdate())


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=DoxerIdentifier.Kind.choices, widget=forms.RadioSelect)
    platform = forms.ChoiceField(label=_("Platform"), choices=PLATFORM_CHOICES, required=False)
    value = forms.CharField(
        label=_("Handle, account or web address"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocapitalize": "off", "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("As you found it, e.g. @name or a link to the profile."),
    )
