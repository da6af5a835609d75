"""Checking and storing uploaded files (screenshots, evidence).

A file is judged by its content, never by its name or the browser's claim.
Images are decoded and written anew, which drops EXIF and GPS data. Files
are stored under random names in ``PRIVATE_MEDIA_ROOT``, which has no URL:
only views that check access and log the read can hand them out. On disk they
are sealed with their case's own key (people/crypto.py): a copy of the folder
without the database is unreadable, and erasing the case erases the key.

A report form that fails on another field keeps the files that passed: they
wait under ``kept/`` and the page carries a signed token for each, bound to
the user, so nothing has to be chosen twice.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from people import crypto

PNG = "image/png"
JPEG = "image/jpeg"
PDF = "application/pdf"
TEXT = "text/plain"

#: Never accepted: text that a browser could take for a web page or a drawing
#: (HTML, SVG, XML). Named only so the refusal can say what the file is.
MARKUP = "text/markup"

SCREENSHOT_TYPES = frozenset({PNG, JPEG, PDF})
#: Evidence may also be plain text, e.g. a chat copied out of an app.
EVIDENCE_TYPES = frozenset({PNG, JPEG, PDF, TEXT})
EXTENSIONS = {PNG: "png", JPEG: "jpg", PDF: "pdf", TEXT: "txt"}
MAX_IMAGE_PIXELS = 60_000_000  # far above any phone screenshot, far below a decompression bomb
KEPT_FOLDER = "kept"
KEPT_MAX_AGE = timedelta(hours=24)
_KEPT_SALT = "handvat.kept-upload"


class PrivateStorage(FileSystemStorage):
    """File storage with no URL at all: a file leaves only through a view."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through an access-checked view.")


private_storage = PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)


def get_private_storage() -> PrivateStorage:
    """For ``FileField(storage=...)``: a callable keeps the machine's path out of migrations."""
    return private_storage


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    original_name: str
    sha256: str
    original_sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class KeptFile:
    """A checked file waiting under ``kept/`` for a form to be sent again."""

    name: str
    content_type: str
    original_name: str
    sha256: str
    original_sha256: str
    size: int
    token: str


#: Signs of markup anywhere in a text file: a browser that sniffs would render it.
_MARKUP_SIGNS = (
    b"<svg",
    b"<html",
    b"<!doctype",
    b"<?xml",
    b"<script",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<body",
    b"<head",
    b"<meta",
    b"<style",
    b"<!entity",
    b"<xsl",
)


def _looks_like_markup(data: bytes) -> bool:
    text = data.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    return text.startswith(b"<") or any(sign in text for sign in _MARKUP_SIGNS)


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"%PDF-"):
        return PDF
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return MARKUP if _looks_like_markup(data) else TEXT
    return None


def _reencode_image(data: bytes, content_type: str, name: str) -> bytes:
    too_large = ValidationError(_("“%(name)s” is too large an image to accept.") % {"name": name})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode(data, content_type, too_large)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("“%(name)s” looks like an image but cannot be read. Try another screenshot.") % {"name": name}
        ) from exc


def _reencode(data: bytes, content_type: str, too_large: ValidationError) -> bytes:
    """Decode and write the image anew: only pixels survive, no EXIF or GPS."""
    with Image.open(io.BytesIO(data)) as probe:
        width, height = probe.size
        if width * height > MAX_IMAGE_PIXELS:
            raise too_large
        probe.verify()
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if content_type == JPEG:
            rgb = upright if upright.mode in ("RGB", "L") else upright.convert("RGB")
            rgb.save(out, "JPEG", quality=90, optimize=True)
        else:
            upright.save(out, "PNG", optimize=True)
    return out.getvalue()


def check_upload(uploaded: UploadedFile, *, allowed: frozenset[str] = SCREENSHOT_TYPES) -> CheckedFile:
    """The file as it will be stored, or a ValidationError saying why not."""
    name = (uploaded.name or _("file"))[-255:]
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files up to %(limit)s are accepted.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )
    data = b"".join(uploaded.chunks())
    if not data:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    content_type = _sniff(data)
    if content_type == MARKUP:
        raise ValidationError(
            _(
                "“%(name)s” is a web page or a drawing (HTML, SVG or XML), which we do not accept. "
                "Please send a screenshot of it instead."
            )
            % {"name": name}
        )
    if content_type not in allowed:
        kinds = ", ".join(sorted(_kind_label(kind) for kind in allowed))
        raise ValidationError(
            _("“%(name)s” is not a kind of file we accept. Please send one of: %(kinds)s.")
            % {"name": name, "kinds": kinds}
        )
    stored = _reencode_image(data, content_type, name) if content_type in (PNG, JPEG) else data
    return CheckedFile(
        content=stored,
        content_type=content_type,
        original_name=name,
        sha256=hashlib.sha256(stored).hexdigest(),
        original_sha256=hashlib.sha256(data).hexdigest(),
    )


def _kind_label(content_type: str) -> str:
    return {PNG: _("PNG image"), JPEG: _("JPEG photo"), PDF: _("PDF"), TEXT: _("plain text")}[content_type]


def random_name(folder: str, content_type: str) -> str:
    return f"{folder}/{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"


def case_file_key(case_id: int) -> str:
    """The key that seals this case's files; made on first use."""
    from doxing_cases.models import CaseKey  # the models import this module for their storage

    key, _created = CaseKey.objects.get_or_create(case_id=case_id, defaults={"key": crypto.new_file_key()})
    return key.key


def _existing_case_file_key(case_id: int) -> str:
    from doxing_cases.models import CaseKey

    key = CaseKey.objects.filter(case_id=case_id).values_list("key", flat=True).first()
    if key is None:
        raise crypto.DecryptionFailed("This case has no file key (any more).")
    return key


def binding(case_id: int) -> str:
    return f"handvat-case:{case_id}"


def store(checked: CheckedFile, *, folder: str, case_id: int) -> str:
    """Seal the file with its case's key and write it under a random name; returns the storage name."""
    sealed = crypto.seal(checked.content, key=case_file_key(case_id), binding=binding(case_id))
    return private_storage.save(random_name(folder, checked.content_type), ContentFile(sealed))


def read_stored(name: str, *, case_id: int) -> bytes:
    """The content of a case's stored file. Raises ``crypto.DecryptionFailed`` when it will not open."""
    with private_storage.open(name, "rb") as handle:
        data = handle.read()
    if not crypto.is_sealed(data):
        return data  # written before files were sealed; `rotate_encryption_keys` seals it
    return crypto.unseal(data, key=_existing_case_file_key(case_id), binding=binding(case_id))


def stored_intact(name: str, *, case_id: int, sha256: str) -> bytes | None:
    """The file's content if it opens and still has the SHA-256 taken at upload, else None."""
    try:
        data = read_stored(name, case_id=case_id)
    except (OSError, crypto.DecryptionFailed):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def keep(checked: CheckedFile, *, user_id: int) -> KeptFile:
    # No case yet: sealed with the site's keys until the form goes through.
    sealed = ContentFile(crypto.seal_with_site_key(checked.content))
    name = private_storage.save(random_name(KEPT_FOLDER, checked.content_type), sealed)
    payload = {
        "n": name,
        "u": user_id,
        "t": checked.content_type,
        "o": checked.original_name,
        "s": checked.sha256,
        "os": checked.original_sha256,
        "z": checked.size,
    }
    return _kept_from_payload(payload, signing.dumps(payload, salt=_KEPT_SALT))


def _kept_from_payload(payload: dict[str, Any], token: str) -> KeptFile:
    return KeptFile(
        name=payload["n"],
        content_type=payload["t"],
        original_name=payload["o"],
        sha256=payload["s"],
        original_sha256=payload["os"],
        size=payload["z"],
        token=token,
    )


def unseal_kept(token: str, *, user_id: int) -> KeptFile | None:
    """The kept file behind ``token`` if it is this user's and still there."""
    try:
        payload = signing.loads(token, salt=_KEPT_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("u") != user_id or not str(payload.get("n", "")).startswith(f"{KEPT_FOLDER}/"):
        return None
    if not private_storage.exists(payload["n"]):
        return None
    return _kept_from_payload(payload, token)


def claim_kept(kept: KeptFile, *, folder: str, case_id: int) -> str:
    """Move a kept file to its case's folder, sealed with the case's key; returns the new storage name."""
    changed = ValidationError(_("A file you sent earlier changed on the server; please choose it again."))
    with private_storage.open(kept.name, "rb") as handle:
        try:
            data = crypto.unseal_with_site_key(handle.read())
        except crypto.DecryptionFailed:
            raise changed from None
    if hashlib.sha256(data).hexdigest() != kept.sha256:
        raise changed
    sealed = crypto.seal(data, key=case_file_key(case_id), binding=binding(case_id))
    name = private_storage.save(random_name(folder, kept.content_type), ContentFile(sealed))
    private_storage.delete(kept.name)
    return name


def purge_kept(*, older_than: timedelta = KEPT_MAX_AGE) -> int:
    """Delete kept files nobody came back for. Returns how many went."""
    if not private_storage.exists(KEPT_FOLDER):
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for filename in private_storage.listdir(KEPT_FOLDER)[1]:
        name = f"{KEPT_FOLDER}/{filename}"
        if private_storage.get_modified_time(name) < cutoff:
            private_storage.delete(name)
            removed += 1
    return removed
