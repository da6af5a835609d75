"""Re-install the access log's database guard with the current retention period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from people.privacy import db


class Command(BaseCommand):
    help = "Install the PostgreSQL trigger that protects the access log, with HANDVAT_ACCESS_LOG_RETENTION_DAYS."

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.HANDVAT_ACCESS_LOG_RETENTION_DAYS
        if db.install(connection, days):
            self.stdout.write(f"Access-log guard installed: deletion after {days} days.")
        else:
            self.stdout.write("This database has no trigger guard; the application's own guard applies.")
