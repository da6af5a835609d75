from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from doxing_cases import uploads
from doxing_cases.models import Behaviour, Case, LeakedData, Platform, Report
from people import access
from people.forms import RowChoiceField
from people.models import Team, User

MAX_URLS = 50
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is judged in the form's clean method."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [forms.FileField.clean(self, item, initial) for item in files if item]


class ReportForm(forms.Form):
    """The low-threshold report: two questions required, the rest optional.

    A form that fails keeps every answer; files that passed their checks wait
    on the server (see ``uploads.keep``) so they need not be chosen again.
    """

    subject = forms.ModelChoiceField(
        label=_("Who is this about?"),
        queryset=User.objects.none(),
        empty_label=None,
        help_text=_("As a manager you can report for a member of your team."),
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_("In your own words. A few sentences are enough."),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    in_danger = forms.ChoiceField(
        label=_("Is anyone in danger right now?"),
        help_text=_("If so, call 112 first."),
        choices=Report.InDanger.choices,
        widget=forms.RadioSelect(attrs={"data-emergency-trigger": "true"}),
    )
    started_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    started_time = forms.TimeField(
        label=_("Time, if you know it"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    platforms = forms.MultipleChoiceField(
        label=_("Where did you see it?"),
        choices=Platform.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urls = forms.CharField(
        label=_("Links"),
        help_text=_("Paste the web addresses, one per line."),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "url", "autocapitalize": "off", "spellcheck": "false"}),
    )
    behaviours = forms.MultipleChoiceField(
        label=_("What kind of behaviour was it?"),
        help_text=_("Tick everything that fits. Report it even if you are not sure it is a crime."),
        choices=Behaviour.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leaked_data = forms.MultipleChoiceField(
        label=_("Which of your details were shared?"),
        choices=LeakedData.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    relatives_affected = forms.ChoiceField(
        label=_("Are your family or housemates affected too?"),
        choices=Report.Relatives.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    screenshots = MultipleFileField(
        label=_("Screenshots"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,application/pdf"}),
    )
    contact_method = forms.ChoiceField(
        label=_("How would you like to be contacted?"),
        choices=Report.ContactMethod.choices,
        initial=Report.ContactMethod.NO_PREFERENCE,
        required=False,
        widget=forms.RadioSelect,
    )
    contact_phone = forms.CharField(
        label=_("Phone number to reach you"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_times = forms.CharField(
        label=_("When suits you?"),
        help_text=_("For example: after 17:00, not on Wednesdays."),
        required=False,
        max_length=200,
    )
    manager_may_know = forms.TypedChoiceField(
        label=_("May your manager know about this report?"),
        help_text=_(
            "If you choose no, your manager is not told and cannot see your case. "
            "Your coordinator then takes over what your manager would do. You can change this later."
        ),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        initial="yes",
        required=False,
        empty_value=True,  # not answered: the default, yes
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.checked_files: list[uploads.CheckedFile] = []
        self.kept_files: list[uploads.KeptFile] = []
        self.fields["screenshots"].widget.attrs.update(
            {
                "data-max-bytes": str(settings.UPLOAD_MAX_BYTES),
                "data-too-big-message": _("These files are larger than %(size)s MB:")
                % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            }
        )
        self.fields["screenshots"].help_text = _(
            "PNG, JPEG or PDF, up to %(count)s files of %(size)s MB each. "
            "You do not have to collect evidence yourself: a specialist can do that for you."
        ) % {"count": settings.UPLOAD_MAX_FILES, "size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        if access.may_report_for_others(user):
            subjects = access.reportable_subjects(user).select_related("team")
            self.fields["subject"].queryset = subjects.order_by("first_name", "last_name")
            self.fields["subject"].initial = user.pk
            self.fields["subject"].label_from_instance = self._subject_label
        else:
            del self.fields["subject"]

    def _subject_label(self, person: User) -> str:
        if person.pk == self.user.pk:
            return str(_("Myself"))
        return person.display_name

    @property
    def for_someone_else_possible(self) -> bool:
        return "subject" in self.fields

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

    def clean_started_date(self) -> dt.date | None:
        value = self.cleaned_data["started_date"]
        if value and value > timezone.localdate():
            raise ValidationError(_("This date is in the future."))
        return value

    def clean_screenshots(self) -> list[Any]:
        files = self.cleaned_data["screenshots"]
        problems: list[str] = []
        for uploaded in files:
            try:
                self.checked_files.append(uploads.check_upload(uploaded))
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise ValidationError(problems)
        return files

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        tokens = self.data.getlist("kept") if hasattr(self.data, "getlist") else []
        for token in tokens[: settings.UPLOAD_MAX_FILES]:
            kept = uploads.unseal_kept(token, user_id=self.user.pk)
            if kept is not None and kept.token not in {item.token for item in self.kept_files}:
                self.kept_files.append(kept)
        total = len(self.kept_files) + len(self.checked_files)
        if total > settings.UPLOAD_MAX_FILES:
            self.add_error(
                "screenshots",
                ngettext(
                    "You can send at most %(max)d file with a report.",
                    "You can send at most %(max)d files with a report.",
                    settings.UPLOAD_MAX_FILES,
                )
                % {"max": settings.UPLOAD_MAX_FILES},
            )
        if cleaned.get("started_time") and not cleaned.get("started_date"):
            self.add_error("started_date", _("Give the date as well as the time."))
        return cleaned

    def keep_checked_files(self) -> list[uploads.KeptFile]:
        """After a failed submit: park the files that passed, for the next try."""
        for checked in self.checked_files:
            self.kept_files.append(uploads.keep(checked, user_id=self.user.pk))
        self.checked_files = []
        return self.kept_files

    @property
    def chosen_subject(self) -> User:
        return self.cleaned_data.get("subject") or self.user

    def details(self) -> dict[str, Any]:
        """The report's own fields, for ``services.report_file``."""
        data = self.cleaned_data
        started_at = None
        if data.get("started_date"):
            started_at = timezone.make_aware(
                dt.datetime.combine(data["started_date"], data.get("started_time") or dt.time(0))
            )
        return {
            "description": data["description"].strip(),
            "in_danger": data["in_danger"],
            "started_at": started_at,
            "started_time_known": bool(data.get("started_time")),
            "platforms": data["platforms"],
            "urls": data["urls"],
            "behaviours": data["behaviours"],
            "leaked_data": data["leaked_data"],
            "relatives_affected": data["relatives_affected"],
            "contact_method": data["contact_method"] or Report.ContactMethod.NO_PREFERENCE,
            "contact_phone": data["contact_phone"].strip(),
            "contact_times": data["contact_times"].strip(),
            "manager_may_know": data["manager_may_know"],
        }


class DashboardFilterForm(forms.Form):
    STATUS_CHOICES = [("open", _("Open")), ("", _("All")), *Case.Status.choices]
    COORDINATOR_CHOICES = [("mine", _("Mine")), ("unassigned", _("Waiting in the queue")), ("", _("All I may see"))]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False, initial="open")
    threat_level = forms.TypedChoiceField(
        label=_("Threat level"),
        choices=[("", _("Any")), *Case.ThreatLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    coordinator = forms.ChoiceField(label=_("Coordinator"), choices=COORDINATOR_CHOICES, required=False, initial="mine")
    team = RowChoiceField(label=_("Team"), queryset=Team.objects.order_by("name"), required=False, empty_label=_("Any"))
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name or case number"))

    DEFAULTS = {"status": "open", "coordinator": "mine"}

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments; the defaults until the form is sent."""
        if not self.is_bound or not self.is_valid():
            return dict(self.DEFAULTS)
        data = self.cleaned_data
        return {
            "status": data["status"],
            "threat_level": data["threat_level"],
            "coordinator": data["coordinator"],
            "team_id": data["team"].pk if data["team"] else None,
            "query": data["q"],
        }


class AssignForm(forms.Form):
    coordinator = forms.ModelChoiceField(label=_("New coordinator"), queryset=User.objects.none(), empty_label=None)
    note = forms.CharField(
        label=_("Handover note"),
        help_text=_("Optional. What should the new coordinator know first?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, coordinators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=(), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Reason"),
        help_text=_("Required when you close the case."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, allowed: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, label) for value, label in Case.Status.choices if value in allowed]


class FirstContactForm(forms.Form):
    at = forms.DateTimeField(
        label=_("When did you reach the employee?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(
        label=_("How (not what was said)"),
        help_text=_("For example: by phone, at the station."),
        required=False,
        max_length=200,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        help_text=_("Only you, as this case's coordinator, can read internal notes."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class MoveReportForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Add this report to"), queryset=Case.objects.none(), empty_label=None, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda case: (
            _("%(ref)s, opened %(date)s")
            % {
                "ref": case.reference,
                "date": date_format(timezone.localtime(case.opened_at), "DATE_FORMAT"),
            }
        )


class ManagerConsentForm(forms.Form):
    manager_may_know = forms.TypedChoiceField(
        label=_("May your manager know about your case?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


#: The choices the employee reads in the first person ("My home address"),
#: as the coordinator who registers the report for them reads them.
LEAKED_DATA_OF_THE_EMPLOYEE = {
    LeakedData.NAME: _("Their name"),
    LeakedData.HOME_ADDRESS: _("Their home address"),
    LeakedData.PHONE: _("Their phone number"),
    LeakedData.EMAIL: _("Their e-mail address"),
    LeakedData.PHOTOS: _("Photos or videos of them"),
    LeakedData.RELATIVES: _("Details of their family"),
    LeakedData.LICENCE_PLATE: _("Their licence plate"),
    LeakedData.WORKPLACE: _("Their workplace or roster"),
}
BEHAVIOURS_TOWARDS_THE_EMPLOYEE = {Behaviour.OBSTRUCTION: _("Obstructing them in their work")}


def _reworded(choices: Any, labels: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(value, labels.get(value, label)) for value, label in choices]


class IntakeForm(ReportForm):
    """A report a coordinator received by phone, in person or by e-mail,
    registered on the employee's behalf and recorded as such."""

    received_via = forms.ChoiceField(
        label=_("How did the report reach you?"),
        choices=[
            (Report.ReceivedVia.PHONE, _("By phone")),
            (Report.ReceivedVia.IN_PERSON, _("In person")),
            (Report.ReceivedVia.EMAIL, _("By e-mail")),
            (Report.ReceivedVia.OTHER, _("Otherwise")),
        ],
        widget=forms.RadioSelect,
    )
    take = forms.BooleanField(
        label=_("I coordinate this case myself"),
        required=False,
        initial=True,
        help_text=_("You spoke with the employee, so this also records the first contact."),
    )

    field_order = ["received_via", "take"]

    def __init__(self, *args: Any, user: User, subject: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # The employee is chosen on the page before (a search: a select of
        # every employee would not work at thousands of people).
        self.fields.pop("subject", None)
        self.subject = subject
        self.fields["description"].label = _("What happened, in the employee's words?")
        self.fields["description"].help_text = _("Write down what the employee told you.")
        self.fields["leaked_data"].label = _("Which of the employee's details were shared?")
        self.fields["leaked_data"].choices = _reworded(LeakedData.choices, LEAKED_DATA_OF_THE_EMPLOYEE)
        self.fields["behaviours"].choices = _reworded(Behaviour.choices, BEHAVIOURS_TOWARDS_THE_EMPLOYEE)
        self.fields["behaviours"].help_text = _("Tick everything that fits, also what may not be a crime.")
        self.fields["platforms"].label = _("Where did the employee see it?")
        self.fields["in_danger"].choices = _reworded(
            Report.InDanger.choices, {Report.InDanger.UNSURE: _("Not sure, or not known")}
        )
        self.fields["contact_times"].label = _("When suits the employee?")
        self.fields["relatives_affected"].label = _("Are family or housemates affected too?")
        self.fields["contact_method"].label = _("How does the employee want to be contacted?")
        self.fields["contact_phone"].label = _("Phone number to reach the employee")
        self.fields["manager_may_know"].label = _("May the employee's manager know?")
        self.fields["manager_may_know"].help_text = _(
            "Ask the employee. If no, you take over what the manager would do."
        )
        self.fields["screenshots"].help_text = _("PNG, JPEG or PDF, if the employee sent you any.")
        self.order_fields(self.field_order)
