"""Background work for cases. Tasks take ids only: no personal data in the broker."""

from __future__ import annotations

import logging

from celery import shared_task

from doxing_cases import uploads

logger = logging.getLogger(__name__)


@shared_task
def purge_kept_uploads() -> int:
    """Files parked by a failed report form and never claimed go after a day."""
    removed = uploads.purge_kept()
    if removed:
        logger.info("purged kept uploads count=%s", removed)
    return removed


@shared_task
def create_takedown_follow_ups() -> int:
    """Every 15 minutes: a follow-up task for each takedown request whose
    answer is overdue. Takes nothing, so no personal data passes the broker;
    the service's task keys make a second run harmless."""
    from doxing_cases.services.online import takedowns_create_follow_ups

    made = takedowns_create_follow_ups()
    if made:
        logger.info("takedown follow-ups made count=%s", made)
    return made


@shared_task
def apply_retention() -> dict[str, int]:
    """Nightly: tell coordinators 30 days ahead, then erase closed cases past
    their retention period (legal holds respected). Takes nothing; a second
    run the same night changes nothing."""
    from doxing_cases.services.retention import retention_run

    result = retention_run()
    logger.info("retention run notified=%s erased=%s", len(result.notified), len(result.erased))
    return {"notified": len(result.notified), "erased": len(result.erased)}
