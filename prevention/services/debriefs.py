"""The debriefing log (recommendation 4): that a team talked the work over in a
safe, learning setting, and about what. Never who said what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people import access
from people.history import records_actor
from people.models import Team, User
from prevention.models import Debrief


@transaction.atomic
@records_actor
def debrief_record(*, actor: User, team: Team, held_on: dt.date, topics: Iterable[str], note: str = "") -> Debrief:
    if not access.debrief_teams(actor).filter(pk=team.pk).exists():
        raise PermissionDenied
    topics = list(dict.fromkeys(topics))
    if not topics:
        raise ValidationError({"topics": _("Choose at least one topic.")})
    if set(topics) - set(Debrief.Topic.values):
        raise ValidationError({"topics": _("Choose topics from the list.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A debrief is recorded after it was held.")})
    # Stored in the list's own order, so every debrief reads the same way.
    topics = [value for value in Debrief.Topic.values if value in topics]
    debrief = Debrief(team=team, held_on=held_on, topics=topics, note=note.strip(), recorded_by=actor)
    debrief.full_clean()
    debrief.save()
    return debrief
