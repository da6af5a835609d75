"""Reads of the online side of a case. Each list is built with its joins up
front, so a page's query count stays the same however many rows there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doxing_cases.models import Case, DoxerIdentifier, Evidence, ExposedItem, Platform, TakedownRequest
from people import access
from people.models import AccessLog, Organisation, User

EVIDENCE_LOG_KIND = "evidence"


def exposed_items(case: Case) -> QuerySet[ExposedItem]:
    """The map of what leaked: the highest risk first, each with how much
    evidence and how many takedown requests point at it."""
    return case.exposed_items.annotate(
        evidence_count=Count("evidence", distinct=True), takedown_count=Count("takedowns", distinct=True)
    ).order_by("-risk", "found_at", "pk")


def evidence_for(case: Case, user: User) -> QuerySet[Evidence]:
    """The evidence ``user`` may see on ``case`` (from ``get_case_for_user``):
    all of it for those who work on the online side, and for the employee
    only what they collected themselves."""
    evidence = case.evidence.select_related("collected_by", "exposed_item").order_by("-received_at", "-pk")
    condition = access.evidence_filter(user, case.access_parts)
    return evidence.none() if condition is None else evidence.filter(condition)


def evidence_list(case: Case, user: User, *, limit: int | None = None) -> list[Evidence]:
    """Newest first; each row knows its case, so "collected by the employee" costs no query."""
    rows = evidence_for(case, user)
    rows_list = list(rows[:limit] if limit else rows)
    for row in rows_list:
        row.case = case
    return rows_list


@dataclass(frozen=True)
class CustodyEntry:
    at: datetime
    who: str
    what: str | Promise


def chain_of_custody(evidence: Evidence) -> list[CustodyEntry]:
    """Who added the evidence, and every later view, download and export of
    it from the access log, in time order."""
    entries = [CustodyEntry(evidence.received_at, evidence.collected_by.display_name, _("added it to the case"))]
    rows = (
        AccessLog.objects.filter(case_id=evidence.case_id, object_kind=EVIDENCE_LOG_KIND, object_id=evidence.pk)
        .select_related("user")
        .order_by("at", "pk")
    )
    entries += [
        CustodyEntry(row.at, row.user.display_name if row.user else row.username, row.get_action_display())
        for row in rows
    ]
    return entries


def takedowns(case: Case) -> QuerySet[TakedownRequest]:
    """Newest first; ``is_overdue`` marks a pending request past its answer date."""
    overdue = Q(status=TakedownRequest.Status.PENDING, answer_due__lt=timezone.localdate())
    return (
        case.takedowns.select_related("exposed_item", "sent_by")
        .annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
        .order_by("-created_at", "-pk")
    )


def takedown_senders(case: Case) -> QuerySet[User]:
    """Who may have sent a request: the coordinator and the specialists involved now."""
    specialists = case.involvements.filter(kind="specialist", ended_at__isnull=True).values("user_id")
    return User.objects.filter(Q(pk=case.coordinator_id) | Q(pk__in=specialists)).order_by("first_name", "last_name")


def identifiers(case: Case) -> QuerySet[DoxerIdentifier]:
    return case.doxer_identifiers.select_related("added_by").order_by("added_at", "pk")


def sender_organisation(case: Case) -> Organisation | None:
    """The employer that sends takedown requests: the employee's team's organisation."""
    team = case.subject.team
    if team is not None:
        return Organisation.objects.filter(pk=team.organisation_id).first()
    return Organisation.objects.order_by("pk").first()


# --- Related cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedThing:
    what: str | Promise
    value: str


@dataclass(frozen=True)
class RelatedCase:
    """Another case that shares an account or link with this one. It carries
    only what the coordinator needs to get in touch: the reference, what is
    shared (as written on *this* case) and who coordinates it. ``case_id`` is
    set only when the viewer may open that case themself."""

    reference: str
    coordinator_name: str
    shared: tuple[SharedThing, ...]
    case_id: int | None


def related_cases(case: Case, user: User) -> list[RelatedCase]:
    """Other cases with the same doxer identifier (kind, platform and
    normalised value) or the same evidence or takedown link; a fixed number
    of queries however many there are."""
    own_identifiers = {
        (kind, platform, normalized): (kind, platform, value)
        for kind, platform, normalized, value in case.doxer_identifiers.values_list(
            "kind", "platform", "normalized", "value"
        )
    }
    own_urls: dict[str, str] = {}
    for model in (Evidence, TakedownRequest):
        for normalized, url in (
            model.objects.filter(case=case).exclude(url_normalized="").values_list("url_normalized", "url")
        ):
            own_urls.setdefault(normalized, url)

    shared: dict[int, dict[tuple[str, str], SharedThing]] = defaultdict(dict)
    if own_identifiers:
        matches = (
            DoxerIdentifier.objects.filter(normalized__in={key[2] for key in own_identifiers})
            .exclude(case=case)
            .values_list("case_id", "kind", "platform", "normalized")
        )
        for other_id, kind, platform, normalized in matches:
            if (kind, platform, normalized) in own_identifiers:
                shared[other_id][(kind, platform + ":" + normalized)] = _identifier_thing(
                    *own_identifiers[(kind, platform, normalized)]
                )
    if own_urls:
        for model in (Evidence, TakedownRequest):
            matches = (
                model.objects.filter(url_normalized__in=list(own_urls))
                .exclude(case=case)
                .values_list("case_id", "url_normalized")
                .distinct()
            )
            for other_id, normalized in matches:
                shared[other_id][("url", normalized)] = SharedThing(_("Web address"), own_urls[normalized])
    if not shared:
        return []
    others = Case.objects.filter(pk__in=list(shared)).select_related("coordinator").order_by("pk")
    openable = set(
        access.cases_visible_to(user, perm=access.FULL).filter(pk__in=list(shared)).values_list("pk", flat=True)
    )
    return [
        RelatedCase(
            reference=other.reference,
            coordinator_name=other.coordinator.display_name if other.coordinator else "",
            shared=tuple(shared[other.pk].values()),
            case_id=other.pk if other.pk in openable else None,
        )
        for other in others
    ]


def _identifier_thing(kind: str, platform: str, value: str) -> SharedThing:
    label = DoxerIdentifier.Kind(kind).label
    if platform:
        label = _("%(kind)s on %(platform)s") % {"kind": label, "platform": Platform(platform).label}
    return SharedThing(label, value)
