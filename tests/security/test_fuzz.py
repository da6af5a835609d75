"""Fuzzing (issue 8 › 8): hypothesis over every form of the project, built
from each form's own fields. Binding and ``is_valid()`` never raise, and
posting fuzzed data to the main POST views never gives a server error.

Every form class is found by walking the project's modules; a form found
here but missing from ``FORM_KWARGS``' reach (its constructor needs something
this file cannot supply) fails ``test_every_form_is_fuzzed``, so a new form
cannot skip the fuzzing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from doxing_cases.models import Case, ExposedItem
from people.models import Team, User
from tests.conftest import client_for

PROJECT_APPS = ("people", "notifications", "prevention", "doxing_cases", "aftercare", "exports", "config")

# --- Finding every form ------------------------------------------------------------------


def project_forms() -> list[type[forms.BaseForm]]:
    """Every Form/ModelForm class defined in the project's own modules."""
    found: dict[str, type[forms.BaseForm]] = {}
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        modules = [package]
        if hasattr(package, "__path__"):
            for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
                if ".migrations" in info.name or info.name.endswith(".tests") or ".management." in info.name:
                    continue
                modules.append(importlib.import_module(info.name))
        for module in modules:
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(cls, forms.BaseForm)
                    and cls.__module__.split(".")[0] in PROJECT_APPS
                    and cls.__module__ == module.__name__
                ):
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


FORMS = project_forms()


def _users() -> Any:
    return User.objects.all()


def _cases() -> Any:
    return Case.objects.all()


def _exposed_items() -> Any:
    return ExposedItem.objects.all()


class _ChecklistItem:
    def __init__(self, key: str) -> None:
        self.key, self.label, self.done = key, key, False


#: What a form's keyword-only constructor arguments get, by argument name.
KWARG_VALUES: dict[str, Callable[[], Any]] = {
    "user": lambda: User.objects.filter(username="coordinator").first() or User.objects.first(),
    "teams": lambda: Team.objects.all(),
    "candidates": _users,
    "coordinators": _users,
    "owners": _users,
    "handlers": lambda: list(User.objects.all()),
    "senders": _users,
    "recipients": _users,
    "targets": _cases,
    "kind": lambda: "specialist",
    "allowed": lambda: frozenset(Case.Status.values),
    "may_choose_owner": lambda: True,
    "with_status": lambda: True,
    "organisation_address": lambda: "Stadhuisplein 1",
    "choices": lambda: [("a", "A"), ("b", "B")],
}
#: Per form, where an argument name means something else.
FORM_KWARGS: dict[str, dict[str, Callable[[], Any]]] = {
    "aftercare.forms.transition.ChecklistForm": {"items": lambda: [_ChecklistItem("peer"), _ChecklistItem("x")]},
    "doxing_cases.forms.online.EvidenceForm": {"items": _exposed_items},
    "doxing_cases.forms.online.TakedownForm": {"items": _exposed_items},
    "doxing_cases.forms.case.IntakeForm": {"subject": lambda: User.objects.exclude(username="coordinator").first()},
}


def form_kwargs(form_class: type[forms.BaseForm]) -> dict[str, Any]:
    """The keyword arguments ``form_class`` needs; KeyError names one it does not get."""
    name = f"{form_class.__module__}.{form_class.__qualname__}"
    kwargs: dict[str, Any] = {}
    for klass in form_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass.__module__.startswith("django."):
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is not inspect.Parameter.KEYWORD_ONLY or parameter.name in kwargs:
                continue
            supply = FORM_KWARGS.get(name, {}).get(parameter.name) or KWARG_VALUES.get(parameter.name)
            if supply is not None:
                kwargs[parameter.name] = supply()
            elif parameter.default is inspect.Parameter.empty:
                raise KeyError(f"{name} needs {parameter.name!r}: add it to KWARG_VALUES or FORM_KWARGS")
    return kwargs


# --- Strategies from fields ------------------------------------------------------------

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u202e\u200b",
        "💥" * 50,
        "<script>alert(1)</script>",
        "'; DROP TABLE x; --",
        "%s%n{0}",
        "../../etc/passwd",
        "9" * 40,
        "-1",
        "0",
        "1e309",
        "NaN",
        "2026-02-30",
        "0000-00-00",
        "99999-12-31",
        "2026-13-01T25:61",
        "http://",
        "javascript:alert(1)",
        "x" * 20_000,
    ]
)
TEXT = st.one_of(
    NASTY,
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),
)


def _choice_values(field: forms.Field) -> list[str]:
    values: list[str] = []
    try:
        for value, label in list(getattr(field, "choices", []))[:50]:
            if isinstance(label, list | tuple):
                values.extend(str(v) for v, _ in label)
            else:
                values.append(str(getattr(value, "value", value)))
    except Exception:
        return []
    return [v for v in values if v != ""] or [""]


def field_strategy(field: forms.Field) -> st.SearchStrategy[Any]:
    """Values a browser (or an attacker) could send for ``field``."""
    if isinstance(field, forms.FileField):
        return st.one_of(
            st.none(),
            st.builds(
                lambda data, name: SimpleUploadedFile(name, data, content_type="application/octet-stream"),
                st.binary(max_size=256),
                st.sampled_from(["a.png", "b.jpg", "c.pdf", "d.txt", "evil.exe", "x", "..%2f.png", "ü.PNG"]),
            ),
        )
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(st.one_of(st.sampled_from(_choice_values(field)), TEXT), max_size=4)
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.TypedChoiceField):
        return st.one_of(st.sampled_from(_choice_values(field)), TEXT, st.integers().map(str))
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "", "true", "false", "1", "0", "unknown"])
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return st.one_of(st.integers().map(str), st.floats().map(str), TEXT)
    if isinstance(field, forms.DateTimeField):
        return st.one_of(
            st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(
                lambda d: d.strftime("%Y-%m-%dT%H:%M")
            ),
            TEXT,
        )
    if isinstance(field, forms.DateField):
        return st.one_of(st.dates().map(lambda d: d.strftime("%Y-%m-%d")), TEXT)
    if isinstance(field, forms.TimeField):
        return st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), TEXT)
    if isinstance(field, forms.MultiValueField):
        return st.lists(TEXT, max_size=3)
    return TEXT


def plausible_strategy(field: forms.Field, name: str) -> st.SearchStrategy[Any]:
    """Values that pass a field's own checks, so whole forms get through to the
    services and views behind them (random values alone rarely do)."""
    today = dt.date.today()  # noqa: DTZ011 - a date near now is all it needs to be
    near = st.integers(-60, 10).map(lambda days: today + dt.timedelta(days=days))
    if isinstance(field, forms.FileField):
        return st.just(None) | st.builds(lambda: SimpleUploadedFile("capture.png", PNG, content_type="image/png"))
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(st.sampled_from(_choice_values(field)), max_size=3, unique=True)
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.TypedChoiceField):
        return st.sampled_from(_choice_values(field))
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return st.integers(0, 120).map(str)
    if isinstance(field, forms.DateTimeField):
        return st.tuples(near, st.times()).map(lambda pair: f"{pair[0]:%Y-%m-%d}T{pair[1]:%H:%M}")
    if isinstance(field, forms.DateField):
        return near.map(lambda day: f"{day:%Y-%m-%d}")
    if isinstance(field, forms.URLField):
        return st.sampled_from(["https://example.org/a", "https://t.me/x/1", "http://forum.example.org/t/9"])
    if isinstance(field, forms.EmailField):
        return st.just("someone@example.org")
    if "url" in name:
        return st.sampled_from(["https://example.org/a", "https://t.me/x/1\nhttps://example.org/b"])
    if "time" in name:
        return st.times().map(lambda t: f"{t:%H:%M}")
    return st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=40)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


@st.composite
def form_data(draw: st.DrawFn, form: forms.BaseForm) -> tuple[MultiValueDict, MultiValueDict]:
    """POST data and files for ``form``: each field sent, left out, or sent twice."""
    data: MultiValueDict = MultiValueDict()
    files: MultiValueDict = MultiValueDict()
    plausible = draw(st.booleans())  # half the examples: mostly sensible values, with a few odd ones
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if draw(st.integers(0, 9)) == 0:
            continue  # left out altogether
        odd = not plausible or draw(st.integers(0, 9)) == 0
        value = draw(field_strategy(field) if odd else plausible_strategy(field, name))
        if isinstance(field, forms.FileField):
            if value is not None:
                files.setlist(key, [value])
        elif isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        else:
            data.setlist(key, [value] if draw(st.integers(0, 9)) else [value, value])
    return data, files


# --- Forms ----------------------------------------------------------------------------


@pytest.fixture
def cast(case: Case, coordinator: User, hr: User, colleague: User, peer: User, privacy: User) -> Case:
    """Users and a case, so choice fields backed by the database have something to offer."""
    return case


def test_every_form_is_fuzzed(cast: Case) -> None:
    """Every discovered form can be built here; one the fuzzing cannot build fails."""
    assert len(FORMS) >= 40, [f.__name__ for f in FORMS]
    unbuildable = []
    for form_class in FORMS:
        try:
            form_class(data={}, **form_kwargs(form_class))
        except Exception as exc:
            unbuildable.append(f"{form_class.__module__}.{form_class.__qualname__}: {exc!r}")
    assert not unbuildable, "\n".join(unbuildable)


@pytest.mark.parametrize("form_class", FORMS, ids=[f"{f.__module__}.{f.__qualname__}" for f in FORMS])
def test_binding_and_validating_never_raises(form_class: type[forms.BaseForm], cast: Case) -> None:
    kwargs = form_kwargs(form_class)
    template = form_class(**kwargs)

    @given(form_data(template))
    def check(payload: tuple[MultiValueDict, MultiValueDict]) -> None:
        data, files = payload
        with transaction.atomic():
            form = form_class(data=data, files=files, **form_kwargs(form_class))
            form.is_valid()
            form.errors.as_data()
            transaction.set_rollback(True)

    check()


# --- Views ----------------------------------------------------------------------------


def _client(user: User) -> Client:
    client = client_for(user)
    client.raise_request_exception = False
    return client


def _view_cases(case: Case) -> list[tuple[str, str, str, Callable[[], forms.BaseForm], str]]:
    """(label, who, url, the form the view binds, method) for the main POST views and filters."""
    from aftercare.forms.flare_ups import FlareUpForm
    from doxing_cases.forms.case import DashboardFilterForm, ReportForm
    from doxing_cases.forms.online import EvidenceForm, ExposedItemForm, TakedownForm
    from doxing_cases.forms.security import SecurityMeasureForm
    from doxing_cases.forms.support import CheckInForm, SupportActivityForm
    from exports.forms_statistics import NationalExportForm, StatisticsFilterForm

    items = case.exposed_items.all()
    employee = case.subject
    return [
        ("report", "employee", reverse("cases:report_new"), lambda: ReportForm(user=employee), "POST"),
        ("check-in", "coordinator", reverse("cases:check_in_new", args=[case.pk]), CheckInForm, "POST"),
        (
            "support activity",
            "coordinator",
            reverse("cases:support_activity_new", args=[case.pk]),
            SupportActivityForm,
            "POST",
        ),
        (
            "evidence",
            "coordinator",
            reverse("cases:evidence_new", args=[case.pk]),
            lambda: EvidenceForm(items=items),
            "POST",
        ),
        ("exposed item", "coordinator", reverse("cases:exposed_new", args=[case.pk]), ExposedItemForm, "POST"),
        (
            "takedown",
            "coordinator",
            reverse("cases:takedown_new", args=[case.pk]),
            lambda: TakedownForm(items=items),
            "POST",
        ),
        ("measure", "coordinator", reverse("cases:measure_new", args=[case.pk]), SecurityMeasureForm, "POST"),
        ("flare-up", "coordinator", reverse("aftercare:flare_up_new", args=[case.pk]), FlareUpForm, "POST"),
        ("dashboard filters", "coordinator", reverse("cases:dashboard"), DashboardFilterForm, "GET"),
        ("statistics filters", "hr", reverse("exports:statistics"), StatisticsFilterForm, "GET"),
        ("national export filters", "privacy", reverse("exports:national_export"), NationalExportForm, "GET"),
    ]


VIEW_LABELS = [
    "report",
    "check-in",
    "support activity",
    "evidence",
    "exposed item",
    "takedown",
    "measure",
    "flare-up",
    "dashboard filters",
    "statistics filters",
    "national export filters",
]


@pytest.mark.parametrize("label", VIEW_LABELS)
def test_posting_fuzzed_data_never_gives_a_server_error(label: str, cast: Case, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False  # the fuzzing sends more than a person would
    found = {entry[0]: entry for entry in _view_cases(cast)}
    assert set(found) == set(VIEW_LABELS)
    _label, who, url, make_form, method = found[label]
    client = _client(User.objects.get(username=who))

    @given(form_data(make_form()))
    def check(payload: tuple[MultiValueDict, MultiValueDict]) -> None:
        data, files = payload
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, {k: data.getlist(k) for k in data})
            else:
                body = {k: data.getlist(k) for k in data}
                body.update({k: files.getlist(k) for k in files})
                response = client.post(url, body)
            transaction.set_rollback(True)
        assert response.status_code < 500, (label, dict(data.lists()))

    check()


def test_no_radio_buttons_offer_an_empty_dash_choice(cast: Case) -> None:
    """A row of radio buttons shows nothing chosen by itself: a "---------" button only confuses."""
    dashed = []
    for form_class in FORMS:
        form = form_class(**form_kwargs(form_class))
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.RadioSelect) and any(
                value == "" and str(label) == "---------" for value, label in field.choices
            ):
                dashed.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
    assert dashed == [], "\n".join(dashed)
