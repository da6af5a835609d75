"""The filters of the statistics page and of the national export: GET forms
that keep what was typed and say plainly what is wrong with a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exports.national import PERIODS
from exports.statistics import Filters, default_filters
from people.forms import RowChoiceField
from people.models import Team

#: A longer period makes a page nobody reads and a chart with no room per month.
MAX_YEARS = 5
EARLIEST = dt.date(2000, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Up to and including"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        defaults = default_filters()
        if "start" in cleaned and start is None:
            cleaned["start"] = start = defaults.start
        if "end" in cleaned and end is None:
            cleaned["end"] = end = defaults.end
        if start and start < EARLIEST:
            self.add_error("start", _("Choose a date in 2000 or later."))
        elif start and end and start > end:
            self.add_error(
                "end",
                _("This date is before the start. Choose a date on or after %(date)s.")
                % {"date": start.strftime("%d-%m-%Y")},
            )
        elif start and end and (end - start).days > 366 * MAX_YEARS:
            self.add_error("end", _("Choose a period of at most %(years)s years.") % {"years": MAX_YEARS})
        return cleaned


class StatisticsFilterForm(PeriodForm):
    team = RowChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), required=False, empty_label=_("All teams")
    )

    def filters(self) -> Filters:
        """The valid filters; call after ``is_valid()``."""
        data = self.cleaned_data
        return Filters(start=data["start"], end=data["end"], team=data.get("team"))


class NationalExportForm(PeriodForm):
    period = forms.ChoiceField(
        label=_("Count per"),
        choices=[("quarter", _("Quarter")), ("month", _("Month"))],
        initial="quarter",
        required=False,
    )

    def clean_period(self) -> str:
        value = self.cleaned_data.get("period") or "quarter"
        if value not in PERIODS:
            raise ValidationError(_("Choose quarter or month."))
        return value
