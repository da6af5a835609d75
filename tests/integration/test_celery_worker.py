"""Background work on a real worker: what a report sets in motion arrives."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from doxing_cases import tasks, uploads
from doxing_cases.models import Case
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def sent_mails(worker_env: dict[str, str]) -> list[str]:
    folder = Path(worker_env["EMAIL_URL"].removeprefix("filemail:///"))
    return [path.read_text() for path in sorted(folder.glob("*.log"))]


def test_a_new_report_reaches_every_coordinator_by_email(
    celery_worker, worker_env, login, employee, coordinator, coordinator2
):
    response = login(employee).post(
        reverse("cases:report_new"), {"description": "GEHEIM: mijn adres staat online.", "in_danger": "yes"}
    )
    assert response.status_code == 302, response.content[:2000]
    case = Case.objects.get()

    mails = wait_for(lambda: len(sent_mails(worker_env)) >= 2 and sent_mails(worker_env), what="two e-mails")

    assert all(f"/cases/{case.pk}/" in mail for mail in mails)
    assert not any("GEHEIM" in mail or employee.last_name in mail for mail in mails)
    recipients = {line.split(": ", 1)[1] for mail in mails for line in mail.splitlines() if line.startswith("To: ")}
    assert recipients == {coordinator.email, coordinator2.email}


def test_the_worker_purges_kept_uploads(celery_worker):
    checked = uploads.check_upload(_pdf())
    kept = uploads.keep(checked, user_id=1)
    past = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(uploads.private_storage.path(kept.name), (past, past))

    tasks.purge_kept_uploads.delay()

    wait_for(lambda: not uploads.private_storage.exists(kept.name), what="the kept file to be purged")


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf")
