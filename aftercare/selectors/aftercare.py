from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from aftercare.models import FlareUpMoment, FollowUp
from doxing_cases.models import Case


def flare_ups(case: Case) -> QuerySet[FlareUpMoment]:
    return case.flare_up_moments.select_related("created_by").order_by("on", "at_time", "pk")


def upcoming_flare_ups(case: Case) -> QuerySet[FlareUpMoment]:
    return flare_ups(case).filter(status=FlareUpMoment.Status.PLANNED, on__gte=timezone.localdate())


def follow_ups(case: Case) -> QuerySet[FollowUp]:
    return case.follow_ups.select_related("owner").order_by("planned_on", "pk")


def planned_follow_ups(case: Case) -> QuerySet[FollowUp]:
    return follow_ups(case).filter(status=FollowUp.Status.PLANNED)
