"""GET /health/: whether the database and the broker answer. No personal data."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)


def _check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health: database did not answer")
        return {"engine": connection.vendor, "ok": False}
    return {"engine": connection.vendor, "ok": True}


def _check_broker() -> dict[str, Any]:
    scheme = settings.CELERY_BROKER_URL.split("://", 1)[0]
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            if scheme == "filesystem":
                # The filesystem transport "connects" to anything: prove the folders are usable.
                options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
                for key in ("data_folder_in", "control_folder"):
                    probe = Path(options[key]) / ".health"
                    probe.write_bytes(b"")
                    probe.unlink()
    except Exception:
        logger.exception("health: broker did not answer")
        return {"transport": scheme, "ok": False}
    return {"transport": scheme, "ok": True}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    database = _check_database()
    broker = _check_broker()
    healthy = database["ok"] and broker["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
