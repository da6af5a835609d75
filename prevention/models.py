"""Phase 1, prevention (recommendations 1–8): what an organisation does before
anyone is doxed, and what makes reporting feel normal.

None of this is case data; it is organisational data, kept with its history.
The employee's self-scan keeps only that a scan was done and which follow-ups
are still open, never what was found.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.history import historical_records
from people.models import Team


class Article(models.Model):
    """A knowledge-base article in Dutch and English (recommendations 1, 6),
    written in Markdown and rendered without any raw HTML."""

    class Topic(models.TextChoices):
        ABOUT = "about", _("What doxing is")
        LAW = "law", _("The law")
        RECOGNISE = "recognise", _("Recognising it")
        WHAT_TO_DO = "what_to_do", _("What to do")
        IMPACT = "impact", _("What it can do to you")
        ONLINE_SAFETY = "online_safety", _("Safe online")
        FILMED = "filmed", _("Filmed at work")
        AGGRESSION = "aggression", _("Aggression")
        TAKEDOWN = "takedown", _("Having content removed")
        REPORTING = "reporting", _("Where to report")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_nl = models.CharField(_("summary (Dutch)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    body_nl = models.TextField(_("text (Dutch, Markdown)"), max_length=30_000)
    body_en = models.TextField(_("text (English, Markdown)"), max_length=30_000)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    published = models.BooleanField(_("published"), default=True)
    reviewed_on = models.DateField(_("last reviewed"), default=timezone.localdate)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["order", "title_nl"]

    def __str__(self) -> str:
        return self.title_nl

    def in_language(self, code: str) -> tuple[str, str, str]:
        """Title, summary and text in ``code`` (Dutch when asked for anything else)."""
        if code == "en":
            return self.title_en, self.summary_en, self.body_en
        return self.title_nl, self.summary_nl, self.body_nl


class TrainingModule(models.Model):
    """A training offered by the organisation (recommendations 1, 5)."""

    class Kind(models.TextChoices):
        E_LEARNING = "e_learning", _("E-learning")
        CLASSROOM = "classroom", _("Classroom training")
        BRIEFING = "briefing", _("Information session")
        EXERCISE = "exercise", _("Exercise")
        MANAGER = "manager", _("Training for managers")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=5_000, blank=True)
    active = models.BooleanField(_("still offered"), default=True)
    history = historical_records()

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=200)
    location = models.CharField(_("location"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = historical_records()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.module} {self.held_on}"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attendances")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = historical_records()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.session_id}"


class Deployment(models.Model):
    """A deployment whose doxing risk is discussed in the briefing (recommendation 2)."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Don't know")

    class Risk(models.IntegerChoices):
        LOW = 1, _("Low")
        MEDIUM = 2, _("Medium")
        HIGH = 3, _("High")

    title = models.CharField(_("what"), max_length=200, help_text=_("The event or deployment, e.g. a demonstration."))
    held_on = models.DateField(_("date"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="deployments", verbose_name=_("team"))
    location = models.CharField(_("where"), max_length=200, blank=True)
    public_attention = models.CharField(_("Is there public or media attention?"), max_length=8, choices=Answer.choices)
    filming_expected = models.CharField(
        _("Will people film or photograph staff?"), max_length=8, choices=Answer.choices
    )
    earlier_incidents = models.CharField(
        _("Were staff doxed or threatened around similar events before?"), max_length=8, choices=Answer.choices
    )
    social_unrest = models.CharField(
        _("Is there social unrest or a heated debate around it?"), max_length=8, choices=Answer.choices
    )
    staff_recognisable = models.CharField(
        _("Are staff recognisable (names, faces, vehicles)?"), max_length=8, choices=Answer.choices
    )
    risk = models.PositiveSmallIntegerField(_("doxing risk"), choices=Risk.choices)
    discussed_in_briefing = models.BooleanField(_("discussed in the briefing"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["held_on", "-risk", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.held_on}"


class ExposureItem(models.Model):
    """An image or page of the organisation's own that makes staff findable (recommendation 3)."""

    class Kind(models.TextChoices):
        STAFF_PAGE = "staff_page", _("Staff photo page")
        FACE_BOOK = "face_book", _("Internal face book")
        PUBLICATION = "publication", _("Publication or report")
        SOCIAL_POST = "social_post", _("Social-media post")
        PRESS_PHOTO = "press_photo", _("Press photo or video")
        OTHER = "other", _("Other")

    class Decision(models.TextChoices):
        UNDECIDED = "undecided", _("Not decided yet")
        KEEP = "keep", _("Keep")
        BLUR = "blur", _("Blur or anonymise")
        REMOVE = "remove", _("Remove")

    title = models.CharField(_("what"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    location = models.CharField(_("where"), max_length=500, help_text=_("A web address or where it can be found."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exposure_items", verbose_name=_("owner")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.UNDECIDED)
    review_on = models.DateField(_("next review"))
    note = models.TextField(_("note"), max_length=2_000, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("exposure item")
        verbose_name_plural = _("exposure audit")
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Debrief(models.Model):
    """That a debrief was held, and what it was about; no personal details (recommendation 4)."""

    class Topic(models.TextChoices):
        WHERE_THE_LINE_IS = "line", _("Where the line is")
        FILMED = "filmed", _("Being filmed or photographed")
        ONLINE = "online", _("Reactions online")
        AGGRESSION = "aggression", _("Aggression and threats")
        SUPPORT = "support", _("Support and reporting")
        OTHER = "other", _("Other")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="debriefs", verbose_name=_("team"))
    held_on = models.DateField(_("date"), default=timezone.localdate)
    topics = models.JSONField(_("topics"), default=list)
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("In general terms; no names or personal details.")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = historical_records()

    class Meta:
        verbose_name = _("debrief")
        verbose_name_plural = _("debriefs")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.team} {self.held_on}"


class ReadinessItem(models.Model):
    """One point of the organisation's readiness checklist (recommendations 5, 6, 7),
    confirmed by a coordinator. Points Handvat can see for itself are not stored."""

    class Key(models.TextChoices):
        REPORTING_POINT = "reporting_point", _("Everyone can find where to report (a suspicion of) doxing")
        PROFESSIONAL_CARE = "professional_care", _("Professional care is arranged for serious complaints")
        TAKEDOWN = "takedown", _("We know how to have content traced and removed (NTD, DSA, ProCoM)")
        SECURITY = "security", _("Security of staff and relatives is assigned to a department that can judge threats")
        MANAGERS_TRAINED = "managers_trained", _("Managers know how to offer and steer peer support")

    key = models.CharField(max_length=20, choices=Key.choices, unique=True)
    done = models.BooleanField(_("arranged"), default=False)
    note = models.TextField(_("how"), max_length=2_000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = historical_records()

    class Meta:
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness")

    def __str__(self) -> str:
        return self.key


class SelfScan(models.Model):
    """An employee checked how findable they are online. Stored: only that the
    scan was done and which follow-ups are still open; never what was found."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_scans")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    open_follow_ups = models.JSONField(default=list, blank=True)
    remind = models.BooleanField(_("remind me in six months"), default=False)

    class Meta:
        verbose_name = _("self-scan")
        verbose_name_plural = _("self-scans")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"self-scan {self.pk} of {self.user_id}"
