"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine):
parse them and check that every command names modules and settings that exist."""

from __future__ import annotations

import http.server
import importlib
import os
import re
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command(service: str) -> list[str]:
    value = SERVICES[service]["command"]
    return shlex.split(value[-1]) if value[:2] == ["sh", "-c"] else value


APP_SERVICES = ("migrate", "web", "worker", "beat")


def test_it_has_the_production_services():
    assert set(SERVICES) == {"db", "redis", *APP_SERVICES}
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")


def test_the_long_running_services_have_health_checks():
    for name in ("db", "redis", "web", "worker", "beat"):
        assert SERVICES[name]["healthcheck"]["test"], name


def test_migrations_run_once_before_anything_else_starts():
    assert command("migrate") == ["python", "manage.py", "migrate", "--noinput"]
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
        assert SERVICES[name]["depends_on"]["redis"]["condition"] == "service_healthy", name


def test_web_serves_the_wsgi_application():
    words = command("web")
    assert words[0] == "gunicorn"
    module, attribute = words[1].split(":")
    assert callable(getattr(importlib.import_module(module), attribute))


def test_gunicorn_is_reached_only_through_the_proxy_on_the_machine():
    assert SERVICES["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_worker_and_beat_use_the_project_celery_app():
    app = importlib.import_module("config").celery_app
    assert command("worker")[:4] == ["celery", "-A", "config", "worker"]
    assert command("beat")[:4] == ["celery", "-A", "config", "beat"]
    assert app.main == "handvat"


def test_exactly_one_beat():
    assert "deploy" not in SERVICES["beat"] or SERVICES["beat"]["deploy"].get("replicas", 1) == 1


def test_the_beat_health_check_watches_the_schedule_file_beat_writes():
    schedule = Path(next(word for word in command("beat") if word.startswith("--schedule=")).split("=", 1)[1])
    probe = SERVICES["beat"]["healthcheck"]["test"][1]

    assert f"find {schedule.parent} " in probe
    assert f"-name '{schedule.name}*'" in probe


def test_every_process_shares_the_broker_and_the_rate_limit_counters():
    for name in APP_SERVICES:
        environment = SERVICES[name]["environment"]
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:"), name
        assert environment["CACHE_URL"].startswith("redis://redis:"), name
        assert environment["CACHE_URL"] != environment["CELERY_BROKER_URL"], name


def test_database_and_media_survive_a_restart():
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/data/private" in SERVICES[name]["volumes"]


def test_every_setting_the_stack_passes_is_one_the_app_reads():
    example = (ROOT / ".env.example").read_text()
    for name in APP_SERVICES:
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


def test_the_web_health_check_passes_on_a_production_host(client, settings, db):
    """The probe runs inside the container with the production ALLOWED_HOSTS:
    it must send the host of SITE_URL, and /health/ must answer it over plain
    HTTP although every other page redirects to HTTPS."""
    site = "https://handvat.example.org"
    host = _host_the_web_probe_sends(site_url=site)
    settings.ALLOWED_HOSTS = ["handvat.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    assert host == "handvat.example.org"
    assert client.get("/health/", HTTP_HOST=host).status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST=host).status_code == 301


def _host_the_web_probe_sends(*, site_url: str) -> str:
    """Runs the compose file's own probe against a stand-in server that
    answers 200 and remembers the Host header it was sent."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers["Host"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        probe = SERVICES["web"]["healthcheck"]["test"]
        assert probe[:3] == ["CMD", "python", "-c"]
        code = probe[3].replace("127.0.0.1:8000", f"127.0.0.1:{server.server_port}")
        result = subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "SITE_URL": site_url}, capture_output=True, timeout=30
        )
        thread.join(timeout=5)
    finally:
        server.server_close()
    assert result.returncode == 0, result.stderr
    (host,) = seen
    return host


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
