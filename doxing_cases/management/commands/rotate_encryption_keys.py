"""Re-encrypts everything under the newest key of FIELD_ENCRYPTION_KEYS.

    manage.py rotate_encryption_keys --new-key   # prints a fresh key, changes nothing
    manage.py rotate_encryption_keys             # re-encrypts every encrypted value

Rotating a key:

1. Make a key with ``--new-key`` and put it first in FIELD_ENCRYPTION_KEYS,
   keeping the old ones after it; restart web and workers (they now encrypt
   with the new key and still read the old).
2. Run this command. It rewrites every encrypted value, history included,
   and the case file keys with them (the files themselves are sealed with
   those case keys, so they need no rewrite). It also seals any case file
   stored before files were sealed.
3. Remove the old key from FIELD_ENCRYPTION_KEYS and restart again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from doxing_cases import uploads
from doxing_cases.models import Evidence, ReportAttachment
from people import crypto


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the first key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--new-key", action="store_true", help="Print a fresh key and change nothing.")

    def handle(self, *args: Any, new_key: bool = False, **options: Any) -> None:
        if new_key:
            self.stdout.write(crypto.new_key())
            return
        from django.conf import settings

        self.stdout.write(f"Encrypting with key {crypto.fingerprint(settings.FIELD_ENCRYPTION_KEYS[0])}.")
        total = 0
        for model in apps.get_models():
            if not crypto.encrypted_fields(model):
                continue
            with transaction.atomic():
                written = crypto.reencrypt_rows(model)
            total += written
            self.stdout.write(f"  {model._meta.label}: {written} rows")
        sealed = self.seal_plain_files()
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted, {sealed} files sealed."))

    def seal_plain_files(self) -> int:
        """Case files written before files were sealed get sealed now, under their case's key."""
        sealed = 0
        rows = [
            *((row.file.name, row.case_id) for row in Evidence.objects.exclude(file="").only("file", "case_id")),
            *(
                (row.file.name, row.report.case_id)
                for row in ReportAttachment.objects.select_related("report").only("file", "report__case_id")
            ),
        ]
        storage = uploads.private_storage
        for name, case_id in rows:
            if not storage.exists(name):
                continue
            with storage.open(name, "rb") as handle:
                data = handle.read()
            if crypto.is_sealed(data):
                continue
            sealed_data = crypto.seal(data, key=uploads.case_file_key(case_id), binding=uploads.binding(case_id))
            # Written beside it, then swapped in: a crash leaves the old file, never half a file.
            path = Path(storage.path(name))
            partial = path.with_name(path.name + ".sealing")
            partial.write_bytes(sealed_data)
            os.replace(partial, path)
            sealed += 1
        return sealed
