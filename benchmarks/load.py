"""Load benchmark at scale: gunicorn with the production settings, real HTTP.

    .venv/bin/python benchmarks/load.py --seed      # (re)creates handvat_bench, seeds, measures
    .venv/bin/python benchmarks/load.py             # measures the data already there

Seeds (with ``--seed``) 50,000 employees and 100,000 cases into the
PostgreSQL database ``DATABASE_URL`` names (default ``handvat_bench`` on
127.0.0.1; ``--seed`` drops and re-creates it), starts gunicorn on 127.0.0.1
with ``config.settings_benchmark`` (DEBUG off), logs in over HTTP as a
coordinator (password, then a TOTP code, as a person would) and as an
employee, and runs bounded loops against 127.0.0.1 only:

- latency: one request at a time (median and 95th percentile);
- throughput: ``--concurrency`` clients at once (requests per second).

Beside the pages, in the same run and on the same server, two floor views
(config/urls_benchmark.py). At the end it tops the server up to
``--memory-requests`` requests in all and reads the workers' resident
memory. It prints a table against the targets of issue 9 and exits 1 when
one is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import os
import re
import signal
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/handvat_bench"
HOST = "127.0.0.1"

TARGET_P95_MS = 150.0
TARGET_FLOOR_FACTOR = 5.0
TARGET_REPORT_RPS = 50.0
TARGET_STATISTICS_MS = 500.0
TARGET_RSS_MB = 150.0


def environment(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_benchmark"
    # Redis db 7: the reports filed here enqueue their alerts somewhere nobody else reads.
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
    env.setdefault("CELERY_QUEUE", "handvat-bench")
    # As in production: one cache (rate limits, statistics) shared by every gunicorn worker.
    env.setdefault("CACHE_URL", "redis://127.0.0.1:6379/7")
    env.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "private-bench-load"))
    env.setdefault("LOG_LEVEL", "WARNING")
    return env


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
        sys.exit(f"--seed drops the database: give it a name with 'bench' in it, not {name!r}")
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres", dbname="postgres"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()


# --- The server --------------------------------------------------------------------


def start_gunicorn(env: dict[str, str], port: int, workers: int, app: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://{HOST}:{port}/health/", timeout=10).status_code == 200:
                return server
        except requests.RequestException:
            pass  # still starting: a worker's first request imports the whole project
        if server.poll() is not None:
            sys.exit("gunicorn did not start")
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /health/ within 60 s")


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{master}$", status, re.MULTILINE):
                pids.append(int(entry.name))
    return pids


def rss_mb(pid: int) -> float:
    match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


# --- Logging in over HTTP ------------------------------------------------------------


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 with django-otp's defaults: 30-second steps, six digits, SHA-1."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def log_in(base: str, username: str, password: str, totp_key: str | None = None):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(page.text)},
    )
    if totp_key:
        for attempt in range(2):
            page = session.get(f"{base}/accounts/two-step/code/")
            if attempt:  # the code of this 30 s step was used already (a run just before): wait for the next
                time.sleep(30 - time.time() % 30 + 1)
            answer = session.post(
                f"{base}/accounts/two-step/code/",
                data={"otp_token": totp(totp_key), "csrfmiddlewaretoken": csrf_token(page.text)},
                allow_redirects=False,
            )
            if answer.status_code == 302:
                break
    check = session.get(f"{base}/my/", allow_redirects=False)
    if check.status_code != 200:
        raise RuntimeError(f"login as {username} failed ({check.status_code} on /my/)")
    return session


# --- Measuring --------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    request: Callable[[object], object]  # takes a requests.Session, returns a response
    session: object
    requests: int
    concurrent: int
    expect: int = 200
    timings: list[float] = field(default_factory=list)
    rps: float | None = None
    #: The first request: nothing cached yet (the statistics' cache, this worker's templates).
    first: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings)
        return ordered[max(round(len(ordered) * 0.95) - 1, 0)]


def call(scenario: Scenario, session: object) -> float:
    started = time.perf_counter()
    response = scenario.request(session)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != scenario.expect:  # type: ignore[attr-defined]
        raise RuntimeError(f"{scenario.name}: HTTP {response.status_code}")  # type: ignore[attr-defined]
    return elapsed


def clone(session: object) -> object:
    import requests

    copy = requests.Session()
    copy.cookies.update(session.cookies)  # type: ignore[attr-defined]
    return copy


def measure(scenario: Scenario, concurrency: int) -> None:
    scenario.first = call(scenario, scenario.session)
    for _ in range(2):  # warm up: templates, connections, caches of this worker
        call(scenario, scenario.session)
    scenario.timings = [call(scenario, scenario.session) for _ in range(scenario.requests)]
    if not scenario.concurrent:
        return
    sessions = [clone(scenario.session) for _ in range(concurrency)]
    per_client = max(scenario.concurrent // concurrency, 1)
    errors: list[BaseException] = []

    def client(session: object) -> None:
        try:
            for _ in range(per_client):
                call(scenario, session)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(session,)) for session in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    scenario.rps = per_client * concurrency / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", action="store_true", help="re-create the database and seed it first")
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile runs 3)")
    parser.add_argument("--app", default="config.wsgi:application", help="the WSGI application gunicorn serves")
    parser.add_argument("--concurrency", type=int, default=3, help="clients at once in the throughput loops")
    parser.add_argument("--requests", type=int, default=100, help="sequential requests per page")
    parser.add_argument("--memory-requests", type=int, default=1000, help="requests served before reading RSS")
    args = parser.parse_args()

    env = environment(args)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL")})
    print(f"load at start: {Path('/proc/loadavg').read_text().strip()}")
    manage = [sys.executable, "manage.py"]
    if args.seed:
        recreate_database(env["DATABASE_URL"])
        run([*manage, "migrate", "--verbosity", "0"], env)
        run([*manage, "seed_scale", "--force", "--employees", str(args.employees), "--cases", str(args.cases)], env)
    else:
        run([*manage, "migrate", "--verbosity", "0"], env)

    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from demo.management.commands.seed_scale import COORDINATOR, DEFAULT_PASSWORD, EMPLOYEE, totp_key
    from doxing_cases.models import Case
    from exports.forms_statistics import MAX_YEARS

    big = Case.objects.filter(coordinator__username=COORDINATOR).order_by("-pk").first()
    if big is None:
        sys.exit("No scale data: run with --seed first.")
    case_count = Case.objects.count()
    some_case = Case.objects.order_by("pk").values_list("pk", flat=True)[case_count // 2]
    common_name = Case.objects.filter(coordinator=big.coordinator).values_list("subject__last_name", flat=True)[0]
    today = timezone.localdate()
    all_cases = {"start": (today - dt.timedelta(days=365 * MAX_YEARS)).isoformat(), "end": today.isoformat()}
    print(f"data: {case_count} cases; big case {big.reference} with {big.events.count()} timeline lines")

    server = start_gunicorn(env, args.port, args.workers, args.app)
    base = f"http://{HOST}:{args.port}"
    served = 0
    try:
        import requests

        coordinator = log_in(base, COORDINATOR, DEFAULT_PASSWORD, totp_key(COORDINATOR))
        employee = log_in(base, EMPLOYEE, DEFAULT_PASSWORD)
        anonymous = requests.Session()
        report_token = csrf_token(employee.get(f"{base}/report/new/").text)
        report = {
            "description": "Mijn adres staat sinds vanochtend in een Telegramgroep.",
            "in_danger": "no",
            "platforms": ["telegram"],
            "behaviours": ["doxing"],
            "csrfmiddlewaretoken": report_token,
        }
        n, c = args.requests, args.requests
        scenarios = [
            Scenario("floor: one row", lambda s: s.get(f"{base}/benchmark/floor/one/{some_case}/"), anonymous, n, c),
            Scenario("floor: 25 rows", lambda s: s.get(f"{base}/benchmark/floor/25/"), anonymous, n, c),
            Scenario("dashboard, first page", lambda s: s.get(f"{base}/cases/"), coordinator, n, c),
            Scenario(
                "dashboard, filtered",
                lambda s: s.get(f"{base}/cases/", params={"status": "", "coordinator": "", "threat_level": "2"}),
                coordinator,
                n,
                c,
            ),
            Scenario(
                "dashboard, searched",
                lambda s: s.get(f"{base}/cases/", params={"status": "", "coordinator": "", "q": common_name}),
                coordinator,
                n,
                c,
            ),
            Scenario("case page, 200 lines", lambda s: s.get(f"{base}/cases/{big.pk}/"), coordinator, n, c),
            Scenario(
                "report form POST",
                lambda s: s.post(f"{base}/report/new/", data=report, allow_redirects=False),
                employee,
                n,
                2 * c,
                expect=302,
            ),
            Scenario(
                "statistics, all cases", lambda s: s.get(f"{base}/statistics/", params=all_cases), coordinator, 20, 0
            ),
            Scenario("PDF case report", lambda s: s.get(f"{base}/cases/{big.pk}/report.pdf"), coordinator, 5, 0),
        ]
        for scenario in scenarios:
            print(f"  measuring {scenario.name} …", flush=True)
            measure(scenario, args.concurrency)
            served += 3 + len(scenario.timings) + (scenario.concurrent if scenario.rps else 0)

        # Memory once the server has answered --memory-requests (pages of every kind, PDF aside).
        mixed = [s for s in scenarios if s.name.startswith(("dashboard", "case page", "statistics", "report"))]
        wanted = args.memory_requests
        sessions = {id(s.session): clone(s.session) for s in mixed}

        def top_up(share: int) -> None:
            for k in range(share):
                scenario = mixed[(k + share) % len(mixed)]
                call(scenario, sessions[id(scenario.session)])

        remaining = max(wanted - served, 0)
        threads = [
            threading.Thread(target=top_up, args=(remaining // args.concurrency,)) for _ in range(args.concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        served += remaining
        memory = {pid: rss_mb(pid) for pid in worker_pids(server.pid)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        cleanup(EMPLOYEE)

    load_end = Path("/proc/loadavg").read_text().strip()
    return report_table(scenarios, memory, served, args, settings, load_end)


def cleanup(employee: str) -> None:
    """Remove the cases the report loop filed, so the next run sees the same data."""
    from django.db import transaction

    from doxing_cases.models import Case, Report
    from notifications.models import Notification, Reminder

    ids = list(Case.objects.filter(subject__username=employee).values_list("pk", flat=True))
    with transaction.atomic():
        Notification.objects.filter(case_id__in=ids).delete()
        Reminder.objects.filter(case_id__in=ids).delete()
        Report.objects.filter(case_id__in=ids).delete()
        Case.objects.filter(pk__in=ids).delete()
    print(f"removed the {len(ids)} cases the report loop filed")


def report_table(scenarios, memory, served, args, settings, load_end) -> int:
    by_name = {s.name: s for s in scenarios}
    floor = by_name["floor: 25 rows"].median
    missed = False
    print()
    print(f"{'page':26} {'n':>4} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}  target")
    for s in scenarios:
        target, ok = "", True
        if s.name.startswith(("dashboard", "case page")):
            target = (
                f"p95 < {TARGET_P95_MS:.0f} ms, median ≤ {TARGET_FLOOR_FACTOR:.0f}× floor "
                f"({floor * TARGET_FLOOR_FACTOR:.1f} ms); is {s.median / floor:.1f}× floor"
            )
            ok = s.p95 < TARGET_P95_MS and s.median <= TARGET_FLOOR_FACTOR * floor
        elif s.name.startswith("report"):
            target = f"≥ {TARGET_REPORT_RPS:.0f} req/s"
            ok = (s.rps or 0) >= TARGET_REPORT_RPS
        elif s.name.startswith("statistics"):
            target = f"p95 < {TARGET_STATISTICS_MS:.0f} ms"
            ok = s.p95 < TARGET_STATISTICS_MS
        elif s.name.startswith("PDF"):
            target = "no target here (benchmarks/case_report.py: < 2 s)"
        missed |= not ok
        rps = f"{s.rps:.1f}" if s.rps else "-"
        verdict = "" if not target or target.startswith("no") else ("  met" if ok else "  MISSED")
        figures = f"{len(s.timings):>4} {s.first:>9.1f} {s.median:>10.1f} {s.p95:>8.1f} {rps:>7}"
        print(f"{s.name:26} {figures}  {target}{verdict}")
    worst = max(memory.values()) if memory else 0.0
    ok = 0 < worst < TARGET_RSS_MB
    missed |= not ok
    print(
        f"worker RSS after {served} requests ({served // args.workers} per worker): "
        + ", ".join(f"{mb:.0f} MB" for mb in sorted(memory.values()))
        + f"; target < {TARGET_RSS_MB:.0f} MB: {'met' if ok else 'MISSED'}"
    )
    print(
        f"gunicorn {args.workers} sync workers, {args.concurrency} clients in the req/s loops; "
        f"load at end: {load_end}; {os.cpu_count()} CPUs"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
