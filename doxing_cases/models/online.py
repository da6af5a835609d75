"""The online side (recommendations 6, 10, 20): what leaked and where, the
evidence, takedown requests, and the accounts of the suspected doxer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doxing_cases.models.case import Case
from doxing_cases.models.choices import Level, Platform
from doxing_cases.uploads import get_private_storage
from people.crypto import EncryptedCharField, EncryptedTextField
from people.history import historical_records


class ExposedItem(models.Model):
    """One piece of personal data found online: the map the rest works from."""

    class Kind(models.TextChoices):
        HOME_ADDRESS = "home_address", _("Home address")
        RELATIVES = "relatives", _("Relatives")
        CHILDRENS_SCHOOL = "childrens_school", _("Children's school")
        PHONE = "phone", _("Phone number")
        EMAIL = "email", _("E-mail address")
        LICENCE_PLATE = "licence_plate", _("Licence plate")
        HOUSE_PHOTO = "house_photo", _("Photo of the house")
        PHOTO = "photo", _("Photo or video of the employee")
        ROSTER = "roster", _("Roster or workplace")
        SOCIAL_ACCOUNT = "social_account", _("Private social-media account")
        NAME = "name", _("Full name")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ONLINE = "online", _("Online")
        REMOVAL_REQUESTED = "removal_requested", _("Removal requested")
        REMOVED = "removed", _("Removed")
        ARCHIVED = "archived", _("Removed, but archived elsewhere")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exposed_items")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    detail = EncryptedCharField(
        _("detail"),
        max_length=300,
        blank=True,
        help_text=_("What exactly is visible, as briefly as possible."),
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices, blank=True)
    urls = models.JSONField(_("where (links)"), default=list, blank=True)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    risk = models.PositiveSmallIntegerField(_("risk"), choices=Level.choices, default=Level.UNKNOWN)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ONLINE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("exposed item")
        verbose_name_plural = _("exposed data")
        ordering = ["-risk", "found_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case})"


class Evidence(models.Model):
    """A capture of what was posted: where, when it was seen, by whom, and the file.

    ``captured_at`` is the moment shown on the screenshot; ``received_at`` is
    when the server got it. The file is checked, cleaned and hashed on upload
    (``uploads.check_upload``) and its SHA-256 is checked again on every download.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    exposed_item = models.ForeignKey(
        ExposedItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("exposed data it shows"),
    )
    url = models.URLField(_("web address"), max_length=2000, blank=True)
    url_normalized = models.CharField(max_length=2000, blank=True, db_index=True, editable=False)
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices, blank=True)
    captured_at = models.DateTimeField(_("captured (as on the screenshot)"), null=True, blank=True)
    received_at = models.DateTimeField(_("received by Handvat"), default=timezone.now)
    description = EncryptedTextField(_("description"), max_length=5_000, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("collected by")
    )
    file = models.FileField(storage=get_private_storage, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the stored file"), max_length=64, blank=True)
    original_sha256 = models.CharField(_("SHA-256 as uploaded"), max_length=64, blank=True)
    history = historical_records()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} evidence {self.pk}"

    @property
    def collected_by_employee(self) -> bool:
        return self.collected_by_id == self.case.subject_id


class TakedownRequest(models.Model):
    """A request to have one URL taken down, and what came of it."""

    class Route(models.TextChoices):
        NTD = "ntd", _("Notice-and-takedown to the host")
        DSA = "dsa", _("DSA notice to the platform")
        PROCOM = "procom", _("ProCoM")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for an answer")
        REMOVED = "removed", _("Removed")
        REFUSED = "refused", _("Refused")
        NO_ANSWER = "no_answer", _("No answer")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="takedowns")
    exposed_item = models.ForeignKey(
        ExposedItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="takedowns"
    )
    url = models.URLField(_("web address"), max_length=2000)
    url_normalized = models.CharField(max_length=2000, blank=True, db_index=True, editable=False)
    route = models.CharField(_("route"), max_length=8, choices=Route.choices)
    recipient = models.CharField(_("sent to"), max_length=200, blank=True, help_text=_("The host or platform."))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_due = models.DateField(_("answer expected by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    answer = models.TextField(_("answer"), max_length=5_000, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("takedown request")
        verbose_name_plural = _("takedown requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} takedown {self.pk}"

    @property
    def is_settled(self) -> bool:
        return self.status in (self.Status.REMOVED, self.Status.REFUSED, self.Status.NO_ANSWER)


class DoxerIdentifier(models.Model):
    """A URL, handle or account of the suspected doxer. Cases that share one
    are linked, so a campaign against several colleagues shows as one picture."""

    class Kind(models.TextChoices):
        HANDLE = "handle", _("Handle or username")
        ACCOUNT = "account", _("Account or channel")
        URL = "url", _("Web address")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="doxer_identifiers")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices, blank=True)
    value = models.CharField(_("value"), max_length=500)
    normalized = models.CharField(max_length=500, db_index=True, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("identifier of the suspected doxer")
        verbose_name_plural = _("identifiers of the suspected doxer")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "platform", "normalized"], name="identifier_once_per_case")
        ]

    def __str__(self) -> str:
        return self.value
