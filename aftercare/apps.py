from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "aftercare"
    verbose_name = _("Aftercare")

    def ready(self) -> None:
        from doxing_cases.signals import case_plans_changed

        case_plans_changed.connect(_follow_case, dispatch_uid="aftercare.follow_case")


def _follow_case(sender: Any, *, case: Any, **kwargs: Any) -> None:
    """``doxing_cases`` may not import this app: it announces changes, and the
    flare-up alerts and follow-ups follow here, in the same transaction."""
    from aftercare.services.flare_ups import flare_ups_follow_case
    from aftercare.services.follow_ups import follow_ups_follow_case

    flare_ups_follow_case(case=case)
    follow_ups_follow_case(case=case)
