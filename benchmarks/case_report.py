"""The case report PDF of a big case: building it against WeasyPrint alone.

    .venv/bin/python benchmarks/case_report.py [--runs 5] [--entries 200] [--evidence 50]

Builds a fresh database (var/bench-case-report.sqlite3 unless DATABASE_URL is
set: use a throw-away one), makes one case through the services with
``--entries`` timeline lines, ``--evidence`` evidence items among them, then
times, for the coordinator's profile (the fullest):

- the whole export through the view (access check, queries, template,
  WeasyPrint, the access-log and export rows), by Django's test client;
- WeasyPrint alone on the same HTML (layout and ``write_pdf``).

Targets: the whole export under 2 s, and under 1.3 × WeasyPrint alone. It also
checks that the number of queries does not grow with the case (a case with a
tenth of the rows needs as many).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-case-report.sqlite3'}")
os.environ.setdefault("CELERY_FS_ROOT", str(ROOT / "var" / "celery-bench"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "private-bench"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

TARGET_TOTAL_S = 2.0
TARGET_RATIO = 1.3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--evidence", type=int, default=50)
    args = parser.parse_args()

    import django

    database = os.environ["DATABASE_URL"]
    if database.startswith("sqlite:///"):
        Path(database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command

    if not database.startswith("sqlite"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    coordinator, big = fill(args.entries, args.evidence, name="big")
    _, small = fill(40, 5, name="small", coordinator=coordinator)
    return measure(coordinator, big, small, args.runs)


def png_file():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from doxing_cases import uploads

    out = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 30, 30)).save(out, "PNG")
    upload = SimpleUploadedFile("screenshot.png", out.getvalue(), content_type="image/png")
    return uploads.check_upload(upload, allowed=uploads.EVIDENCE_TYPES)


def fill(entries: int, evidence: int, *, name: str, coordinator=None):
    """One case whose timeline has ``entries`` lines, ``evidence`` of them evidence."""
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from doxing_cases import services
    from doxing_cases.services import online, security, support
    from people.models import Organisation, Team, User

    started = time.perf_counter()
    organisation, _ = Organisation.objects.get_or_create(name="Benchmark", defaults={"address": "Postbus 1\n1000 AA"})
    team = Team.objects.create(organisation=organisation, name=f"Team {name}")
    if coordinator is None:
        coordinator = User.objects.create_user("coordinator", first_name="Lotte", last_name="Visser")
        coordinator.groups.add(Group.objects.get(name="coordinator"))
    subject = User.objects.create_user(f"employee-{name}", first_name="Sanne", last_name=name.title(), team=team)
    details = {
        "description": "Mijn adres en een foto van mijn huis staan op een forum. " * 4,
        "in_danger": "no",
        "urls": ["https://forum.example.org/t/1"],
        "platforms": ["website"],
        "behaviours": ["doxing", "threat"],
        "leaked_data": ["home_address", "photos"],
    }
    with transaction.atomic():
        report = services.report_file(actor=subject, subject=subject, details=details)
        case = services.case_take(actor=coordinator, case=report.case)
        captured = timezone.now() - dt.timedelta(days=3)
        for number in range(evidence):
            online.evidence_add(
                actor=coordinator,
                case=case,
                url=f"https://forum.example.org/t/1/post-{number}",
                platform="website",
                captured_at=captured + dt.timedelta(minutes=number),
                description=f"Screenshot {number}: the post names the street and shows the front door.",
                file=png_file() if number % 5 == 0 else None,
            )
        security.security_measure_create(
            actor=coordinator, case=case, kind="camera", responsible_department="Beveiliging", description="Camera"
        )
        security.police_report_create(actor=coordinator, case=case, kind="aangifte", offences=["doxing", "threat"])
        for number in range(10):
            online.takedown_create(
                actor=coordinator, case=case, url=f"https://forum.example.org/t/1/post-{number}", route="ntd"
            )
        made = case.events.count()
        kinds = ("note", "check_in", "activity")
        for number in range(max(entries - made, 0)):
            kind = kinds[number % 3]
            if kind == "note":
                services.case_add_note(actor=coordinator, case=case, text=f"Note {number}: called the employee.")
            elif kind == "check_in":
                support.check_in_log(actor=coordinator, case=case, wellbeing="okay", needs="Different shift")
            else:
                support.support_activity_log(actor=coordinator, case=case, kind="team_talk", note="Team talk")
    print(
        f"made the {name} case: {case.events.count()} timeline lines, {case.evidence.count()} evidence items "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return coordinator, case


def measure(coordinator, big, small, runs: int) -> int:
    from django.db import connection
    from django.urls import reverse

    from exports import pdf
    from exports.selectors.case_reports import case_report_context
    from people import access
    from prevention.pdf import render_html

    # WeasyPrint logs every step and page at INFO; the log is not what is measured.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from logged_in import client_for

    client = client_for(coordinator)
    client.cookies["django_language"] = "nl"

    def export(case):
        response = client.get(reverse("exports:case_report", args=[case.pk]))
        assert response.status_code == 200, response.status_code
        return response

    export(big)  # warm up: imports WeasyPrint, loads fonts and templates

    def count_queries(case):
        executed: list[str] = []

        def record(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = export(case)
        return executed, response

    few, _ = count_queries(small)
    many, response = count_queries(big)
    (ROOT / "var" / "bench-case-report.pdf").write_bytes(response.content)

    whole, building, weasy = [], [], []
    case, profile = access.get_case_for_report(coordinator, big.pk)
    for _ in range(runs):
        started = time.perf_counter()
        export(big)
        whole.append(time.perf_counter() - started)

        started = time.perf_counter()
        html = pdf.html_for(
            "exports/case_report/report.html",
            case_report_context(case, coordinator, profile),
            exporter=coordinator,
        )
        building.append(time.perf_counter() - started)

        started = time.perf_counter()
        document = render_html(html)
        document.write_pdf()
        weasy.append(time.perf_counter() - started)

    (ROOT / "var" / "bench-case-report.html").write_text(html)
    pages = len(document.pages)
    total, html_s, alone = statistics.median(whole), statistics.median(building), statistics.median(weasy)
    ratio = total / alone
    print(f"document: {pages} pages, {len(html) // 1024} KiB of HTML, {len(response.content) // 1024} KiB of PDF")
    print(f"queries: {len(few)} for the small case, {len(many)} for the big one")
    print(f"{'median of ' + str(runs) + ' runs':28} {'seconds':>8}")
    print(f"{'whole export (the view)':28} {total:>8.3f}")
    print(f"{'  of which data + HTML':28} {html_s:>8.3f}")
    print(f"{'WeasyPrint alone':28} {alone:>8.3f}")
    print(f"ratio whole / WeasyPrint alone: {ratio:.2f}")
    failed = total >= TARGET_TOTAL_S or ratio >= TARGET_RATIO or len(many) != len(few)
    print(
        f"targets: < {TARGET_TOTAL_S:.1f} s, < {TARGET_RATIO} × WeasyPrint alone, same queries: "
        f"{'MISSED' if failed else 'met'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
