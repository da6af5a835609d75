from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleAuthConfig(AppConfig):
    name = "people.auth"
    label = "people_auth"
    verbose_name = _("Logging in")

    def ready(self) -> None:
        from people.auth import signals  # noqa: F401 - connects the receivers
