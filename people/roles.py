"""The kinds of work a user does in Handvat. Each role is a Django group,
created by a migration; which *cases* a user may touch is decided per case
in ``people/access.py``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")
    COORDINATOR = "coordinator", _("Coordinator")
    PEER_SUPPORTER = "peer_supporter", _("Peer supporter")
    SPECIALIST = "specialist", _("Online specialist")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    HR = "hr", _("HR")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
