"""Encryption at rest: the most sensitive free text, and the files of a case.

Two layers, both on the `cryptography` package:

- **Fields.** ``EncryptedTextField`` and ``EncryptedCharField`` store a
  Fernet token (AES-128-CBC with HMAC-SHA256) instead of the text. The keys
  come from ``FIELD_ENCRYPTION_KEYS`` in the environment: the first key
  encrypts, every key decrypts, so a new key goes first and the old one stays
  until ``manage.py rotate_encryption_keys`` has re-encrypted everything.
  An empty value stays empty, so "is there a note?" still works in queries;
  nothing else can be looked up in an encrypted column.
- **Files.** Each case has its own random 256-bit key (``CaseKey``, stored as
  an encrypted field, so it is wrapped by the keys above). Files are sealed
  with AES-256-GCM under it, bound to the case. Deleting the case's key makes
  every copy of its files unreadable, backups included.

Nothing here knows about cases; the callers pass the key and the binding.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact

#: Marks a stored value as ours, so a value written before a field was
#: encrypted is recognised (and re-encrypted by the rotation command).
TEXT_PREFIX = "hv1:"
#: The first bytes of a sealed file: format version 1, then a 12-byte nonce.
FILE_MAGIC = b"HVF1"
_NONCE_BYTES = 12


class DecryptionFailed(Exception):
    """A value or file could not be decrypted with any configured key."""


def new_key() -> str:
    """A fresh key for ``FIELD_ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode()


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes), comma-separated; "
            "make one with `manage.py rotate_encryption_keys --new-key`."
        ) from exc


def keys() -> MultiFernet:
    configured = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not configured:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return _fernet(configured)


def is_encrypted(stored: str) -> bool:
    return stored.startswith(TEXT_PREFIX)


def encrypt_text(value: str) -> str:
    if value == "":
        return ""
    return TEXT_PREFIX + keys().encrypt(value.encode()).decode()


def decrypt_text(stored: str) -> str:
    if not is_encrypted(stored):
        return stored  # empty, or written before the field was encrypted
    try:
        return keys().decrypt(stored.removeprefix(TEXT_PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed("A stored value does not decrypt with any key in FIELD_ENCRYPTION_KEYS.") from exc


def rotate_text(stored: str) -> str:
    """The same text under the first (newest) key; plain text gets encrypted."""
    if stored == "":
        return ""
    if not is_encrypted(stored):
        return encrypt_text(stored)
    try:
        return TEXT_PREFIX + keys().rotate(stored.removeprefix(TEXT_PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed("A stored value does not decrypt with any key in FIELD_ENCRYPTION_KEYS.") from exc


# Files ---------------------------------------------------------------------


def new_file_key() -> str:
    """A random AES-256 key for one case's files, as text for an encrypted field."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()


def seal(data: bytes, *, key: str, binding: str) -> bytes:
    """Encrypts ``data``; ``binding`` (e.g. the case) must match to open it again."""
    nonce = os.urandom(_NONCE_BYTES)
    return FILE_MAGIC + nonce + AESGCM(base64.urlsafe_b64decode(key)).encrypt(nonce, data, binding.encode())


def is_sealed(data: bytes) -> bool:
    return data.startswith(FILE_MAGIC)


def unseal(sealed: bytes, *, key: str, binding: str) -> bytes:
    if not is_sealed(sealed):
        raise DecryptionFailed("This file is not sealed by Handvat.")
    nonce = sealed[len(FILE_MAGIC) : len(FILE_MAGIC) + _NONCE_BYTES]
    try:
        return AESGCM(base64.urlsafe_b64decode(key)).decrypt(
            nonce, sealed[len(FILE_MAGIC) + _NONCE_BYTES :], binding.encode()
        )
    except Exception as exc:  # cryptography raises InvalidTag; a wrong key length raises ValueError
        raise DecryptionFailed("This file does not open with its case's key.") from exc


def seal_with_site_key(data: bytes) -> bytes:
    """For a file that belongs to no case yet (an upload kept while a form is corrected)."""
    return FILE_MAGIC + b"K" + keys().encrypt(data)


def unseal_with_site_key(sealed: bytes) -> bytes:
    prefix = FILE_MAGIC + b"K"
    if not sealed.startswith(prefix):
        raise DecryptionFailed("This file is not sealed by Handvat.")
    try:
        return keys().decrypt(sealed[len(prefix) :])
    except InvalidToken as exc:
        raise DecryptionFailed("This file does not decrypt with any key in FIELD_ENCRYPTION_KEYS.") from exc


def fingerprint(key: str) -> str:
    """A short, harmless name for a key in logs and command output."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


# Model fields --------------------------------------------------------------


class _EncryptedMixin:
    """Encrypts on the way into the database and decrypts on the way out."""

    encrypted = True

    def get_lookup(self, lookup_name: str):
        # Ciphertext differs each time: only "is it empty / null" can be asked.
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)  # type: ignore[misc]
        raise FieldError(f"{self.__class__.__name__} is encrypted: only empty values can be looked up.")

    def get_transform(self, lookup_name: str):
        raise FieldError(f"{self.__class__.__name__} is encrypted: no transforms.")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)  # type: ignore[misc]
        if value is None:
            return None
        return encrypt_text(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return decrypt_text(value)

    def db_type(self, connection: Any) -> str | None:
        # Ciphertext is longer than the text: always an unbounded text column.
        return models.TextField().db_type(connection)

    def cast_db_type(self, connection: Any) -> str | None:
        return models.TextField().cast_db_type(connection)

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedTextField(_EncryptedMixin, models.TextField):
    """A ``TextField`` stored encrypted; ``max_length`` counts the plain text."""


class EncryptedCharField(_EncryptedMixin, models.CharField):
    """A ``CharField`` (a one-line input in forms) stored encrypted in a text column."""


class _EmptyOnlyExact(Exact):
    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError("An encrypted field can only be compared with the empty value.")
        return super().get_prep_lookup()


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if getattr(field, "encrypted", False)]


def reencrypt_rows(model: type[models.Model], *, batch_size: int = 500) -> int:
    """Writes every encrypted value of ``model`` again under the newest key.

    Values are read (decrypted with whichever key fits, or taken as they are
    when they were stored before the field was encrypted) and written back
    encrypted with the first key. Used by the migrations that introduced the
    fields and by ``manage.py rotate_encryption_keys``; works on the models of
    a migration's state too.
    """
    names = encrypted_fields(model)
    if not names:
        return 0
    manager = model._base_manager
    written = 0
    batch: list[models.Model] = []
    for row in manager.only(model._meta.pk.attname, *names).order_by(model._meta.pk.attname).iterator(batch_size):
        batch.append(row)
        if len(batch) >= batch_size:
            written += manager.bulk_update(batch, names)
            batch = []
    if batch:
        written += manager.bulk_update(batch, names)
    return written
