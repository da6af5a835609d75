"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine):
parse them and check that every command names modules and settings that exist."""

from __future__ import annotations

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command(service: str) -> list[str]:
    value = SERVICES[service]["command"]
    return shlex.split(value[-1]) if value[:2] == ["sh", "-c"] else value


def test_it_has_the_production_services():
    assert set(SERVICES) == {"db", "redis", "web", "worker", "beat"}
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")


def test_the_long_running_services_have_health_checks():
    for name in ("db", "redis", "web", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name


def test_web_migrates_then_serves_the_wsgi_application():
    words = command("web")
    assert words[:4] == ["python", "manage.py", "migrate", "--noinput"]
    target = words[words.index("gunicorn") + 1]
    module, attribute = target.split(":")
    assert callable(getattr(importlib.import_module(module), attribute))


def test_worker_and_beat_use_the_project_celery_app():
    app = importlib.import_module("config").celery_app
    assert command("worker")[:4] == ["celery", "-A", "config", "worker"]
    assert command("beat")[:4] == ["celery", "-A", "config", "beat"]
    assert app.main == "handvat"


def test_exactly_one_beat_and_it_waits_for_migrations():
    assert "deploy" not in SERVICES["beat"] or SERVICES["beat"]["deploy"].get("replicas", 1) == 1
    assert SERVICES["beat"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_database_and_media_survive_a_restart():
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/data/private" in SERVICES[name]["volumes"]


def test_every_setting_the_stack_passes_is_one_the_app_reads():
    example = (ROOT / ".env.example").read_text()
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["env_file"] == ".env"
        for variable in SERVICES[name]["environment"]:
            assert re.search(rf"^#? ?{variable}=", example, re.MULTILINE), variable


def test_the_dockerfile_builds_the_same_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile and "compilemessages" in dockerfile
    assert '"config.wsgi:application"' in dockerfile
    assert "USER handvat" in dockerfile


def test_the_health_url_the_stack_probes_exists():
    from django.urls import resolve

    assert resolve("/health/").url_name == "health"
    assert "/health/" in str(SERVICES["web"]["healthcheck"]["test"])


def test_the_image_serves_the_hashed_static_files_it_builds():
    probe = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    env = {**os.environ, "STATIC_MANIFEST": SERVICES["web"]["environment"]["STATIC_MANIFEST"], "SECRET_KEY": "x"}

    backend = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
