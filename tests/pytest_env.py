"""Loaded by pytest before Django (``-p tests.pytest_env`` in pyproject.toml):
test defaults for the environment, so the suite never touches the data,
files or queue of a running `make run`. Values already set (CI's
DATABASE_URL and CELERY_BROKER_URL) win."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# One folder per run, so two runs side by side do not share a database, a
# queue or files; a Celery worker started by a test inherits them.
RUN_DIR = Path(tempfile.mkdtemp(prefix="handvat-test-"))
atexit.register(shutil.rmtree, RUN_DIR, ignore_errors=True)

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("CELERY_QUEUE", f"handvat-test-{os.getpid()}")
os.environ.setdefault("CELERY_FS_ROOT", str(RUN_DIR / "celery"))
os.environ.setdefault("SQLITE_TEST_NAME", str(RUN_DIR / "test-db.sqlite3"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(RUN_DIR / "files"))
# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by the same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
