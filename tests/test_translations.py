"""Dutch first: every text in the code has a Dutch translation, and the
committed catalogue is up to date with the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale/nl/LC_MESSAGES/django.po")
SOURCES = [
    "config",
    "people",
    "notifications",
    "prevention",
    "doxing_cases",
    "aftercare",
    "exports",
    "demo",
    "templates",
]


def untranslated(po: Path) -> str:
    missing = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", str(po)], capture_output=True, text=True, check=True).stdout
    return missing + fuzzy


def test_the_dutch_catalogue_is_complete_and_valid():
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(ROOT / CATALOGUE)], check=True)

    assert untranslated(ROOT / CATALOGUE) == ""


def test_the_catalogue_covers_every_text_in_the_code(tmp_path):
    """Run makemessages on a copy: a new text shows up untranslated there."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in [*SOURCES, "locale"]:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=nl", "--no-obsolete", "--verbosity=0"],
        cwd=copy,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "SECRET_KEY": "x",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(copy),
            "CELERY_FS_ROOT": str(tmp_path / "celery"),
            "STATIC_ROOT": str(tmp_path / "static"),
        },
    )

    assert untranslated(copy / CATALOGUE) == "", "run `make makemessages` and translate the new texts"
