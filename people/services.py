"""Every change to people and the organisation, and the access log."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from people.history import acting_as
from people.models import AccessLog, Team, User
from people.privacy.alerts import check_outsider_reads
from people.privacy.middleware import note_logged
from people.signals import team_membership_changed


@transaction.atomic
def team_set_managers(*, actor: User | None, team: Team, managers: Iterable[User]) -> None:
    # The signal's receivers run inside this transaction: a manager's access
    # to the team's cases changes together with the team, or not at all.
    with acting_as(actor):
        team.managers.set(list(managers))
    team_membership_changed.send(sender=Team, team_ids={team.pk}, actor=actor)


@transaction.atomic
def user_set_team(*, actor: User | None, user: User, team: Team | None) -> None:
    old_team_id = user.team_id
    if old_team_id == (team.pk if team else None):
        return
    user.team = team
    with acting_as(actor):
        user.save(update_fields=["team"])
    team_ids = {tid for tid in (old_team_id, user.team_id) if tid is not None}
    team_membership_changed.send(sender=User, team_ids=team_ids, actor=actor, user_ids={user.pk})


def access_log_record(
    *,
    user: User,
    action: AccessLog.Action,
    case_id: int | None,
    object_kind: str = "",
    object_id: int | None = None,
) -> AccessLog:
    entry = AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=action,
        case_id=case_id,
        object_kind=object_kind,
        object_id=object_id,
    )
    note_logged(case_id)
    if case_id is not None:
        check_outsider_reads(user=user, action=action, case_id=case_id)
    return entry


def access_log_record_list(*, user: User, case_ids: Iterable[int]) -> None:
    """One row per case shown in a list: one query, however long the page."""
    case_ids = list(case_ids)
    AccessLog.objects.bulk_create(
        AccessLog(user=user, username=user.get_username(), action=AccessLog.Action.LIST_CASE, case_id=case_id)
        for case_id in case_ids
    )
    for case_id in case_ids:
        note_logged(case_id)
