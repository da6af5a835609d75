from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _alert_privacy_officers(sender: Any, *, user: Any, count: int, **kwargs: Any) -> None:
    from notifications.services import access_alert_privacy_officers

    access_alert_privacy_officers(user=user, count=count)


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from people.signals import outsider_reads_exceeded

        outsider_reads_exceeded.connect(_alert_privacy_officers, dispatch_uid="notifications.access_alert")
