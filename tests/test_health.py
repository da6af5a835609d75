"""GET /health/: the database and the broker, and 503 when one is away."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_and_broker(client, settings):
    response = client.get(reverse("health"))

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == {"engine": connection.vendor, "ok": True}
    assert body["broker"]["ok"] is True
    assert body["broker"]["transport"] == settings.CELERY_BROKER_URL.split("://")[0]


def test_it_answers_503_when_the_broker_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["broker"] == {"transport": "redis", "ok": False}
    assert response.json()["database"]["ok"] is True


def test_it_answers_503_when_the_embedded_broker_folder_is_unusable(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(blocked),
        "data_folder_out": str(blocked),
        "control_folder": str(blocked),
        "processed_folder": str(blocked),
    }

    assert client.get(reverse("health")).status_code == 503


def test_it_is_not_cached_and_carries_no_personal_data(client, employee):
    response = client.get(reverse("health"))

    assert "no-cache" in response["Cache-Control"]
    assert employee.username not in response.content.decode()
