from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoxingCasesConfig(AppConfig):
    name = "doxing_cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from people.signals import team_membership_changed

        team_membership_changed.connect(_follow_team_change, dispatch_uid="doxing_cases.follow_team_change")


def _follow_team_change(sender: Any, *, team_ids: set[int], actor: Any = None, **kwargs: Any) -> None:
    """``people`` may not import this app, so it announces team changes and
    the managers' case grants follow here, in the same transaction."""
    from doxing_cases.services import cases_resync_for_teams

    cases_resync_for_teams(actor=actor, team_ids=team_ids)
