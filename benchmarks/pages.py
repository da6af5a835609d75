"""Page timings and query counts with many cases.

    .venv/bin/python benchmarks/pages.py --cases 2000 [--requests 30]

Builds a fresh database (var/bench.sqlite3 unless DATABASE_URL is set),
makes the cases through the services, then times each page through Django's
test client (server time: view, templates and queries, no network).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("CELERY_FS_ROOT", str(ROOT / "var" / "celery-bench"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "private-bench"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

#: Queries per page, the same at 5 and at 2,000 cases. The dashboard's 17: the
#: session, the user, the TOTP device (django-otp), the roles, the waiting
#: reports and their number, the cases and their number, the access-log rows
#: (with BEGIN/COMMIT), the notification count, the readiness summary and the
#: teams of the filter. The case page shows some thirty sections, one query
#: each; the tests in tests/doxing_cases prove it does not grow with a case's
#: timeline, evidence or measures.
TARGET_QUERIES = 17
TARGET_QUERIES_PER_PAGE = {"case page": 60}
TARGET_MEDIAN_MS = 150.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django

    database = os.environ["DATABASE_URL"]
    if database.startswith("sqlite:///"):
        Path(database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0) if not database.startswith("sqlite") else None
    call_command("migrate", verbosity=0)
    subjects, coordinator, case = fill(args.cases)
    return measure(subjects, coordinator, case, args.requests)


def fill(count: int):
    from django.contrib.auth.models import Group
    from django.db import transaction

    from doxing_cases import services
    from people.models import Organisation, Team, User

    started = time.perf_counter()
    organisation = Organisation.objects.create(name="Benchmark")
    teams = [Team.objects.create(organisation=organisation, name=f"Team {n}") for n in range(20)]
    # No passwords: hashing 2,000 of them would measure PBKDF2, not Handvat.
    coordinator = User.objects.create_user("coordinator")
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    subjects = [User.objects.create_user(f"employee{n}", team=teams[n % 20]) for n in range(count)]
    details = {"description": "Mijn adres staat online.", "in_danger": "no", "urls": ["https://example.org/x"]}
    case = None
    with transaction.atomic():
        for index, subject in enumerate(subjects):
            report = services.report_file(actor=subject, subject=subject, details=details)
            if index % 4:
                case = services.case_take(actor=coordinator, case=report.case)
    elapsed = time.perf_counter() - started
    print(f"made {count} cases in {elapsed:.1f} s ({elapsed / count * 1000:.1f} ms per report, three in four taken)")
    return subjects, coordinator, case


def measure(subjects, coordinator, case, requests: int) -> int:
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # Django empties the query log when a request starts; keep it, to count.
    request_started.disconnect(reset_queries)

    from logged_in import client_for

    pages = [
        ("dashboard, open cases of mine", client_for(coordinator), "/cases/", {}),
        ("dashboard, everything visible", client_for(coordinator), "/cases/", {"coordinator": "", "status": ""}),
        ("dashboard, search by name", client_for(coordinator), "/cases/", {"q": "employee1", "status": ""}),
        ("case page", client_for(coordinator), f"/cases/{case.pk}/", {}),
        ("employee's own page", client_for(case.subject), "/my/", {}),
        ("report form", client_for(subjects[0]), "/report/new/", {}),
    ]
    failed = False
    print(f"{'page':34} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for name, client, url, params in pages:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, params).status_code == 200
        queries = len(context.captured_queries)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        missed = queries > TARGET_QUERIES_PER_PAGE.get(name, TARGET_QUERIES) or median > TARGET_MEDIAN_MS
        failed |= missed
        print(f"{name:34} {queries:>7} {median:>10.1f} {p95:>8.1f}{'  MISSED TARGET' if missed else ''}")
    print(f"targets: ≤ {TARGET_QUERIES} queries (case page ≤ 60), median ≤ {TARGET_MEDIAN_MS:.0f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
