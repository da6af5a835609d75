from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.history import historical_records
from people.roles import Role


class Organisation(models.Model):
    """The employer. One installation serves one organisation."""

    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_("Used on police reports instead of the employee's home address."),
    )
    support_phone = models.CharField(
        _("24/7 support number"),
        max_length=40,
        blank=True,
        help_text=_("The organisation's own number for urgent help, shown next to 112."),
    )
    history = historical_records()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    managers = models.ManyToManyField(
        "people.User", related_name="managed_teams", blank=True, verbose_name=_("managers")
    )
    history = historical_records(m2m_fields=[managers])

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    history = historical_records(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_names(self) -> frozenset[str]:
        """The user's roles, read once per request (the object lives as long)."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
            self._role_names = cached
        return cached

    def has_role(self, role: Role) -> bool:
        return self.is_active and role.value in self.role_names


class AccessLogProtected(Exception):
    """Raised when the application tries to change an access-log row, or to
    delete one younger than ``HANDVAT_ACCESS_LOG_RETENTION_DAYS``."""


def access_log_retention_cutoff() -> Any:
    """Rows from before this moment are past their retention period."""
    from django.conf import settings

    return timezone.now() - timedelta(days=settings.HANDVAT_ACCESS_LOG_RETENTION_DAYS)


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    """The log is append-only: no bulk change, and bulk deletion only of rows
    past their retention period (PostgreSQL enforces the same with a trigger,
    see ``people/privacy/db.py``)."""

    def update(self, **kwargs: Any) -> int:
        # The one change allowed: deleting a user account unlinks its rows
        # (on_delete=SET_NULL); the username stays, so the log still says who.
        if kwargs.keys() <= {"user", "user_id"} and all(value is None for value in kwargs.values()):
            return super().update(**kwargs)
        raise AccessLogProtected("access-log rows cannot be changed")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AccessLogProtected("access-log rows cannot be changed")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AccessLogProtected("access-log rows cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(at__gte=access_log_retention_cutoff()).exists():
            raise AccessLogProtected("access-log rows can be deleted only after their retention period")
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]


class AccessLog(models.Model):
    """One read of case data: who looked at what, when. Never the content.

    ``case_id`` is a plain number rather than a foreign key so that the log
    outlives a case erased at the end of its retention period. Rows are
    written once and never changed (``save`` refuses an existing row);
    ``delete`` refuses a row still within its retention period.
    """

    class Action(models.TextChoices):
        VIEW_CASE = "view_case", _("viewed the case page")
        VIEW_OWN_CASE = "view_own_case", _("viewed their own case")
        LIST_CASE = "list_case", _("saw the case in a list")
        DOWNLOAD_FILE = "download_file", _("downloaded a file")
        VIEW_EVIDENCE = "view_evidence", _("viewed the evidence")
        EXPORT = "export", _("exported")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user"))
    username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    case_id = models.PositiveBigIntegerField(_("case"), null=True, db_index=True)
    object_kind = models.CharField(_("object kind"), max_length=40, blank=True)
    object_id = models.PositiveBigIntegerField(_("object"), null=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} case={self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AccessLogProtected("access-log rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.at >= access_log_retention_cutoff():
            raise AccessLogProtected("access-log rows can be deleted only after their retention period")
        return super().delete(*args, **kwargs)


class RosterEntry(models.Model):
    """A peer supporter on the roster: someone who can be asked to offer peer
    support (recommendation 5). The coordinator involves them from this list."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="roster_entry")
    available = models.BooleanField(_("can be asked now"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("For example: not on weekends."))
    updated_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("peer-support roster entry")
        verbose_name_plural = _("peer-support roster")

    def __str__(self) -> str:
        return f"roster {self.user_id}"
