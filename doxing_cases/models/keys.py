"""The key that seals a case's files on disk (people/crypto.py).

One random key per case, itself stored encrypted with the site's keys. It
keeps no history on purpose: a history row would be a copy of the key, and
deleting the key is what makes every copy of the case's files unreadable,
backups of the file store included. It goes when its case goes.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models.case import Case
from people.crypto import EncryptedCharField


class CaseKey(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="file_key")
    key = EncryptedCharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("case file key")

    def __str__(self) -> str:
        return f"file key of case {self.case_id}"
