"""System checks for what settings alone cannot refuse."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from people import crypto


@register(deploy=True)
def encryption_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if getattr(settings, "FIELD_ENCRYPTION_KEYS_DERIVED", False):
        return [
            Warning(
                "FIELD_ENCRYPTION_KEYS is not set: the encryption key is derived from SECRET_KEY.",
                hint="Set FIELD_ENCRYPTION_KEYS (manage.py rotate_encryption_keys --new-key makes one) and back it "
                "up apart from the database.",
                id="handvat.W001",
            )
        ]
    return []


@register()
def encryption_keys_valid(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        crypto.keys()
    except Exception as exc:  # ImproperlyConfigured with the reason
        return [Error(str(exc), id="handvat.E001")]
    return []
