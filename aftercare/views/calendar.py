"""The calendar of flare-up moments (recommendation 23): the coordinator's
overview of what is coming, and each person's private .ics address, so the
dates they are alerted for show up in the calendar on their phone.

The feed is read by calendar apps that cannot log in: its address is the key,
and it tells no more than a date and a case reference. What the moment is,
and who it is about, stays behind the login.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from aftercare.models import FlareUpMoment
from aftercare.selectors import calendar as selectors
from aftercare.services import calendar as services
from people import access
from people.models import User
from people.services import access_log_record_list

#: How often calendar apps are asked to fetch the feed again.
REFRESH = dt.timedelta(hours=1)


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    if not access.is_coordinator(request.user):
        raise Http404
    upcoming = selectors.upcoming_moments(request.user)
    awaiting = list(selectors.moments_awaiting_outcome(request.user))
    access_log_record_list(user=request.user, case_ids={moment.case_id for moment in [*upcoming, *awaiting]})
    context = {"months": selectors.by_month(upcoming), "awaiting": awaiting, "today": timezone.localdate()}
    return render(request, "aftercare/calendar/page.html", context)


@login_required
@require_GET
def feed_page(request: HttpRequest) -> HttpResponse:
    feed = services.calendar_feed_for(user=request.user)
    address = settings.SITE_URL + reverse("aftercare:calendar_ics", args=[feed.token])
    context = {"address": address, "webcal": "webcal://" + address.split("://", 1)[1]}
    response = render(request, "aftercare/calendar/feed.html", context)
    response["Cache-Control"] = "private, no-store"  # the page shows a secret address
    return response


@login_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_renew(user=request.user)
    messages.success(
        request, _("Your calendar has a new address. The old one no longer works: add the new one to your calendar.")
    )
    return redirect("aftercare:calendar_feed")


@require_safe
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    feed = selectors.feed_by_token(token)
    moments = list(selectors.feed_moments(feed.user))
    access_log_record_list(user=feed.user, case_ids={moment.case_id for moment in moments})
    response = HttpResponse(_ics(feed.user, moments), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _start(moment: FlareUpMoment) -> dt.date | dt.datetime:
    """A whole day, or the known time as UTC (every calendar app reads that; no VTIMEZONE to carry)."""
    if moment.at_time is None:
        return moment.on
    local = dt.datetime.combine(moment.on, moment.at_time, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(dt.UTC)


def _ics(user: User, moments: list[FlareUpMoment]) -> bytes:
    """The feed. Each event says only that there is a moment of attention in
    a case, and links to the case: no kind, description or name, because the
    address can leak and calendars are often shared or synced to other services."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Handvat//Moments of attention//EN")
    calendar.add("version", "2.0")
    calendar.calendar_name = "Handvat"
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    stamp = timezone.now()
    for moment in moments:
        case = moment.case
        own = case.subject_id == user.pk
        link = reverse("cases:my_case" if own else "cases:detail", args=[case.pk])
        calendar.add_component(
            icalendar.Event.new(
                uid=f"flare-up-{moment.pk}@handvat",
                start=_start(moment),
                stamp=stamp,
                summary=_("Handvat: moment of attention (%(reference)s)") % {"reference": case.reference},
                description=settings.SITE_URL + link,
                classification=icalendar.CLASS.PRIVATE,
                transparency=icalendar.TRANSP.TRANSPARENT,
            )
        )
    return calendar.to_ical()


urlpatterns: list[URLPattern] = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/feed/", feed_page, name="calendar_feed"),
    path("calendar/feed/renew/", feed_renew, name="calendar_feed_renew"),
    path("calendar/<str:token>.ics", feed_ics, name="calendar_ics"),
]
