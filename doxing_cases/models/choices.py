"""Choices shared by several parts of a case."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    YOUTUBE = "youtube", "YouTube"
    SNAPCHAT = "snapchat", "Snapchat"
    WEBSITE = "website", _("A website or forum")
    OFFLINE = "offline", _("Offline (paper, on the street, by post)")
    OTHER = "other", _("Somewhere else")


class Behaviour(models.TextChoices):
    """Every norm-crossing behaviour is registered, criminal or not (rec. 9)."""

    DOXING = "doxing", _("Personal details shared to intimidate (doxing)")
    THREAT = "threat", _("Threat")
    INTIMIDATION = "intimidation", _("Intimidation")
    INSULT = "insult", _("Insult")
    INCITEMENT = "incitement", _("Incitement (calling on others)")
    STALKING = "stalking", _("Stalking")
    OBSTRUCTION = "obstruction", _("Obstructing me in my work")
    OTHER = "other", _("Something else that crossed a line")


class LeakedData(models.TextChoices):
    NAME = "name", _("My name")
    HOME_ADDRESS = "home_address", _("My home address")
    PHONE = "phone", _("My phone number")
    EMAIL = "email", _("My e-mail address")
    PHOTOS = "photos", _("Photos or videos of me")
    RELATIVES = "relatives", _("Details of my family")
    LICENCE_PLATE = "licence_plate", _("My licence plate")
    WORKPLACE = "workplace", _("My workplace or roster")
    OTHER = "other", _("Something else")


class Level(models.IntegerChoices):
    """Threat and risk levels; 0 means nobody judged it yet."""

    UNKNOWN = 0, _("Not yet assessed")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class Part(models.TextChoices):
    """Which part of a case a row belongs to: decides who sees it.

    ``people/access.py`` maps a user's grants to the parts they may see.
    """

    CASE = "case", _("The case in general")
    COORDINATION = "coordination", _("Coordination")
    ONLINE = "online", _("Online")
    SECURITY = "security", _("Security")
    SUPPORT = "support", _("Support")


def labels(choices: type[models.Choices], values: list[str]) -> list[str]:
    known = dict(choices.choices)
    return [str(known[value]) for value in values if value in known]
