"""Each person's private calendar address (an .ics feed of the flare-up
moments they are alerted for). The address is its own key, so the only
changes are: make one, and replace it when it may have leaked."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from aftercare.models import CalendarFeed, new_token
from people.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The person's feed, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new address; the old one stops working at once (it is simply gone)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return calendar_feed_for(user=user)
    feed.token = new_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    logger.info("calendar address renewed user=%s", user.pk)
    return feed
