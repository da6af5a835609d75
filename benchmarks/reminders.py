"""How fast the minute dispatcher delivers due reminders when a large history
of sent ones sits in the same table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/handvat_bench \\
        .venv/bin/python benchmarks/reminders.py [--sent 1000000] [--due 10000]

Use a throw-away database: it is emptied first. Seeds the history and the due
reminders with one INSERT … SELECT each (generate_series on PostgreSQL, a
recursive CTE on SQLite), for recipients without an e-mail address so only the
in-app delivery is measured. Then calls ``dispatch_due`` in a loop until
everything due is delivered, and counts the queries of one batch of 100 and
one of 1,000.
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-reminders.sqlite3'}")
os.environ.setdefault("CELERY_FS_ROOT", str(ROOT / "var" / "celery-bench"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "private-bench"))
os.environ.setdefault("LOG_LEVEL", "WARNING")

TARGET_PER_SECOND = 1000
QUERY_COUNT_BATCHES = (100, 1000)
RECIPIENTS = 50


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sent", type=int, default=1_000_000, help="reminders already sent (the history)")
    parser.add_argument("--due", type=int, default=10_000, help="reminders due now (what is measured)")
    parser.add_argument("--batch-size", type=int, default=None, help="default: REMINDER_BATCH_SIZE")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the claim query")
    args = parser.parse_args()

    import django

    database = os.environ["DATABASE_URL"]
    if database.startswith("sqlite:///"):
        Path(database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    batch_size = args.batch_size or settings.REMINDER_BATCH_SIZE
    recipients = make_recipients()
    seed(args.sent, args.due, recipients)
    if args.explain:
        explain(batch_size)
    per_second, batch_ms = deliver_all(args.due, batch_size)
    queries = {size: queries_per_batch(size, recipients) for size in QUERY_COUNT_BATCHES}
    return report(args.due, batch_size, per_second, batch_ms, queries)


def make_recipients() -> list[int]:
    from people.models import Organisation, Team, User

    team = Team.objects.create(organisation=Organisation.objects.create(name="Benchmark"), name="Team")
    users = User.objects.bulk_create(User(username=f"bench{n}", email="", team=team) for n in range(RECIPIENTS))
    return [user.pk for user in users]


def series() -> str:
    """A FROM clause with a column ``n`` from 1 to the count given as its parameter."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return "generate_series(1, %s) AS s(n)"
    return "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s) SELECT n FROM s) AS s"


def insert_reminders(*, count: int, prefix: str, sent: bool, recipients: list[int]) -> None:
    """``count`` reminders in one statement, spread over the recipients; sent
    ones get their notification too, as the dispatcher would have written it."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    first, spread = min(recipients), len(recipients)
    assert recipients == list(range(first, first + spread)), "recipients need consecutive ids"
    # Sent ones were due over the past year; due ones over the past hour.
    due_span = 365 * 24 * 3600 if sent else 3600
    if connection.vendor == "postgresql":
        due_at = "%s - (s.n %% %s) * interval '1 second'"
    else:
        due_at = "datetime(%s, '-' || (s.n %% %s) || ' seconds')"
    with transaction.atomic(), connection.cursor() as cursor:
        # Only constant fragments from this file are put together; values are parameters.
        cursor.execute(
            f"""
            INSERT INTO notifications_reminder
                (kind, recipient_id, case_id, label, link, due_at, key, created_at, sent_at, attempts)
            SELECT 'check_in', %s + s.n %% %s, s.n, 'HV-' || s.n, '/cases/' || s.n || '/',
                   {due_at}, %s || s.n, %s, %s, 0
            FROM {series()}
            """,  # noqa: S608
            [first, spread, now, due_span, f"{prefix}:", now, now if sent else None, count],
        )
        if sent:
            cursor.execute(
                """
                INSERT INTO notifications_notification
                    (recipient_id, kind, reminder_id, case_id, label, link, created_at, read_at)
                SELECT recipient_id, kind, id, case_id, label, link, sent_at, sent_at
                FROM notifications_reminder WHERE key LIKE %s
                """,
                [f"{prefix}:%"],
            )


def seed(sent: int, due: int, recipients: list[int]) -> None:
    from django.db import connection

    started = time.perf_counter()
    insert_reminders(count=sent, prefix="sent", sent=True, recipients=recipients)
    insert_reminders(count=due, prefix="due", sent=False, recipients=recipients)
    with connection.cursor() as cursor:
        # What autovacuum does after a load like this; without it the planner guesses.
        cursor.execute("ANALYZE")
    print(
        f"seeded {sent:,} sent reminders (with their notifications) and {due:,} due ones "
        f"in {time.perf_counter() - started:.1f} s ({connection.vendor})"
    )


def explain(batch_size: int) -> None:
    """The plan of the dispatcher's claim query, taken from a real batch that is then rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from notifications import services

    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            services.dispatch_due(batch_size=batch_size)
        claim = next(query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT"))
        with connection.cursor() as cursor:
            analyse = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(analyse + claim)
            print("claim query plan:")
            for row in cursor.fetchall():
                print("   ", " | ".join(str(part) for part in row))
        transaction.set_rollback(True)


def deliver_all(due: int, batch_size: int) -> tuple[float, list[float]]:
    from notifications import services
    from notifications.models import Reminder

    delivered, batch_ms = 0, []
    started = time.perf_counter()
    while True:
        batch_started = time.perf_counter()
        batch = services.dispatch_due(batch_size=batch_size)
        if not batch.delivered:
            break
        batch_ms.append((time.perf_counter() - batch_started) * 1000)
        delivered += batch.delivered
    elapsed = time.perf_counter() - started
    assert delivered == due, f"delivered {delivered} of {due}"
    assert not Reminder.objects.pending().exists()
    return delivered / elapsed, batch_ms


def queries_per_batch(size: int, recipients: list[int]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import services

    insert_reminders(count=size, prefix=f"count{size}", sent=False, recipients=recipients)
    with CaptureQueriesContext(connection) as captured:
        batch = services.dispatch_due(batch_size=size)
    assert batch.delivered == size, f"delivered {batch.delivered} of {size}"
    return len(captured.captured_queries)


def report(due: int, batch_size: int, per_second: float, batch_ms: list[float], queries: dict[int, int]) -> int:
    from django.db import connection

    slow = per_second < TARGET_PER_SECOND
    counts = set(queries.values())
    print(f"{'measure':44} {'value':>10}  target")
    print(
        f"{f'deliveries per second ({due:,}, batch {batch_size})':44} {per_second:>10,.0f}  "
        f"≥ {TARGET_PER_SECOND:,}{'  MISSED TARGET' if slow else ''}"
    )
    print(f"{'median ms per batch':44} {statistics.median(batch_ms):>10.1f}")
    for size, count in queries.items():
        print(f"{f'queries per batch of {size:,}':44} {count:>10}  equal{'  MISSED TARGET' if len(counts) > 1 else ''}")
    print(f"database: {connection.vendor}")
    return 1 if slow or len(counts) > 1 else 0


if __name__ == "__main__":
    sys.exit(main())
