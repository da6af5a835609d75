"""Every model that holds case data keeps its history, with the actor."""

from __future__ import annotations

import pytest
from django.apps import apps

from doxing_cases.models import Case
from doxing_cases.services import security

pytestmark = pytest.mark.django_db

CASE_APPS = ["doxing_cases", "aftercare"]
#: Not case data: a person's private calendar address; the key that seals a
#: case's files (a history row would be a copy of the key, which must be erasable).
NO_CASE_DATA = {"CalendarFeed", "CaseKey"}
PEOPLE_MODELS_WITH_HISTORY = ["Organisation", "Team", "User"]


def _own_models(app_label: str) -> list[type]:
    return [
        model
        for model in apps.get_app_config(app_label).get_models()
        if not model.__name__.startswith("Historical") and not model._meta.auto_created
    ]


@pytest.mark.parametrize("app_label", CASE_APPS)
def test_every_case_model_keeps_history(app_label):
    missing = [
        model.__name__
        for model in _own_models(app_label)
        if not hasattr(model, "history") and model.__name__ not in NO_CASE_DATA
    ]

    assert missing == []


def test_people_models_keep_history_too():
    for name in PEOPLE_MODELS_WITH_HISTORY:
        assert hasattr(apps.get_model("people", name), "history")


def test_the_user_history_never_stores_passwords():
    fields = {field.name for field in apps.get_model("people", "User").history.model._meta.fields}

    assert "password" not in fields


def test_a_service_outside_a_request_records_its_actor(case, coordinator):
    security.threat_assess(actor=coordinator, case=case, level=Case.ThreatLevel.LOW, basis="Rustig.")

    latest = case.history.first()
    assert latest.history_user == coordinator
    assert latest.threat_level == Case.ThreatLevel.LOW
    assert case.events.first().history.get().history_user == coordinator
