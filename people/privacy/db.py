"""The access log's guard in the database (PostgreSQL).

The model refuses changes in Python (``people.models.AccessLog``), but raw SQL
or a future bug would bypass it. On PostgreSQL a row trigger refuses every
UPDATE of ``people_accesslog`` and every DELETE of a row younger than the
retention period. The one UPDATE let through is Django unlinking the rows of
a deleted user account (``user_id`` set to NULL, nothing else changed): the
username stays in the row.

The period is written into the trigger function when it is installed (by the
people migration, then by ``manage.py access_log_guard`` after a change of
``HANDVAT_ACCESS_LOG_RETENTION_DAYS``), not read from a table: a settings
table would be one UPDATE away from a retention of zero days.

TRUNCATE is not guarded: it needs the table owner's rights, which the
application should not have in production (see README › Privacy), and the
test runner empties tables with it.

SQLite has no such trigger: there the Python guard is all there is.
"""

from __future__ import annotations

from typing import Any

FUNCTION = "people_accesslog_guard"
TRIGGER = "people_accesslog_guard"


def install_sql(retention_days: int) -> str:
    days = int(retention_days)
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
           AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.username = OLD.username
           AND NEW.action = OLD.action AND NEW.object_kind = OLD.object_kind
           AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
           AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'access-log rows cannot be changed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.at >= now() - interval '{days} days' THEN
        RAISE EXCEPTION 'access-log rows can be deleted only after {days} days'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {TRIGGER} ON people_accesslog;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON people_accesslog
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""


UNINSTALL_SQL = f"DROP TRIGGER IF EXISTS {TRIGGER} ON people_accesslog; DROP FUNCTION IF EXISTS {FUNCTION}();"


def install(connection: Any, retention_days: int) -> bool:
    """Install (or re-install) the guard; False on a database without it (SQLite)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(install_sql(retention_days))
    return True


def uninstall(connection: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(UNINSTALL_SQL)


def installed_retention_days(connection: Any) -> int | None:
    """The period the installed trigger enforces (None: no trigger), for the
    privacy officer's page and the tests."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = %s AND EXISTS "
            "(SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal)",
            [FUNCTION, TRIGGER],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    marker = "interval '"
    start = row[0].index(marker) + len(marker)
    return int(row[0][start : row[0].index(" days'", start)])
