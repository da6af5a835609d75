"""Issue 8, item 7: the record of processing (GDPR art. 30), made from a
registry that classifies every stored field of the project's own models."""

from __future__ import annotations

import csv
import io

import pytest
from django.apps import apps
from django.urls import reverse

from exports import processing
from people.models import AccessLog, User

PAGE_URL = reverse("exports:processing")
CSV_URL = reverse("exports:processing_csv")


def test_every_stored_field_is_classified() -> None:
    """A new field (or model) fails here until it is added to exports/processing.py."""
    assert processing.unclassified_fields() == []


def test_no_classified_field_is_gone() -> None:
    """A removed or renamed field fails here until the registry follows."""
    assert processing.stale_entries() == []


def test_every_model_of_the_project_is_covered_history_models_too() -> None:
    labels = {model._meta.label for model in processing.project_models()}

    assert "doxing_cases.HistoricalCheckIn" in labels
    assert all(processing.classification(apps.get_model(label))[0] is not None for label in labels)


def test_history_models_follow_their_model() -> None:
    record, classes = processing.classification(apps.get_model("doxing_cases", "HistoricalCheckIn"))

    assert record is processing.MODELS["doxing_cases.CheckIn"]
    assert classes["wellbeing"] == processing.SPECIAL
    assert classes["history_user"] == processing.PERSONAL


def test_it_notices_an_unclassified_field(monkeypatch: pytest.MonkeyPatch) -> None:
    trimmed = dict(processing.MODELS["doxing_cases.CheckIn"].fields)
    del trimmed["wellbeing"]
    monkeypatch.setitem(processing.MODELS, "doxing_cases.CheckIn", processing.ModelRecord("case", trimmed))

    missing = processing.unclassified_fields()

    assert "doxing_cases.CheckIn.wellbeing" in missing
    assert "doxing_cases.HistoricalCheckIn.wellbeing" in missing


def test_it_notices_a_field_that_no_longer_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    record = processing.MODELS["people.AccessLog"]
    grown = processing.ModelRecord(record.activity, {**record.fields, "ip_address": processing.PERSONAL})
    monkeypatch.setitem(processing.MODELS, "people.AccessLog", grown)

    assert processing.stale_entries() == ["people.AccessLog.ip_address"]


def test_it_refuses_a_field_classified_twice() -> None:
    with pytest.raises(ValueError, match="classified twice"):
        processing._record("case", personal="note", special="note")


def test_health_data_and_free_text_about_care_are_special() -> None:
    check_in = processing.MODELS["doxing_cases.CheckIn"].fields
    referral = processing.MODELS["doxing_cases.Referral"].fields

    assert check_in["wellbeing"] == check_in["needs"] == processing.SPECIAL
    assert referral["to"] == processing.SPECIAL


def test_each_activity_says_purpose_basis_retention_and_recipients() -> None:
    for activity in processing.ACTIVITIES.values():
        assert all(str(text) for text in (activity.purpose, activity.legal_basis, activity.retention))
        assert str(activity.recipients)


def test_it_shows_the_record_to_the_privacy_officer(login, privacy: User) -> None:
    response = login(privacy).get(PAGE_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Handling a doxing case" in page
    assert "Special category or criminal-offence data" in page
    assert str(AccessLog._meta.verbose_name) in page.lower()


def test_it_downloads_the_record_as_csv(login, privacy: User) -> None:
    response = login(privacy).get(CSV_URL)

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Processing activity", "Model", "Field"]
    assert ["doxing_cases.CheckIn", "wellbeing"] in [row[1:3] for row in body]
    stored = sum(len(processing.model_fields(m)) for m in processing.project_models() if not processing.is_history(m))
    assert len(body) == stored


def test_it_says_which_fields_are_encrypted_at_rest(login, privacy: User) -> None:
    response = login(privacy).get(CSV_URL)

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    encrypted = {(row[1], row[2]): row[5] for row in rows[1:]}
    assert rows[0][5] == "Encrypted at rest"
    assert encrypted["doxing_cases.CheckIn", "needs"] == "yes"
    assert encrypted["doxing_cases.Message", "body"] == "yes"
    assert encrypted["doxing_cases.CheckIn", "wellbeing"] == "no"


def test_it_is_404_for_others(login, coordinator: User, hr: User) -> None:
    assert login(coordinator).get(PAGE_URL).status_code == 404
    assert login(hr).get(CSV_URL).status_code == 404
