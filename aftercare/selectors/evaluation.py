"""Reads for evaluation, the lessons library and the employee's feedback."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet, Value, When

from aftercare.models import Evaluation, Feedback, Lesson
from doxing_cases.models import Case

#: How many lessons one page of the library shows.
LESSONS_PER_PAGE = 20


def evaluations(case: Case) -> QuerySet[Evaluation]:
    return case.evaluations.select_related("recorded_by").order_by("-held_on", "-pk")


def lessons(*, q: str = "", theme: str = "") -> QuerySet[Lesson]:
    """The library: grouped by theme (in the order of the themes), newest first.
    Only what a reader sees is loaded; the author stays in the row for audit."""
    theme_order = models.Case(
        *(When(theme=value, then=Value(index)) for index, value in enumerate(Lesson.Theme.values)),
        default=Value(len(Lesson.Theme.values)),
        output_field=models.IntegerField(),
    )
    queryset = Lesson.objects.only("pk", "theme", "title", "text", "written_at").annotate(theme_order=theme_order)
    if q.strip():
        queryset = queryset.filter(Q(title__icontains=q.strip()) | Q(text__icontains=q.strip()))
    if theme:
        queryset = queryset.filter(theme=theme)
    return queryset.order_by("theme_order", "-written_at", "-pk")


def feedback_of(case: Case) -> Feedback | None:
    return Feedback.objects.filter(case=case).first()


def feedback_answers(feedback: Feedback) -> list[tuple[str, int | None]]:
    """Each question with the employee's answer, for their own read-only view."""
    names = ["knew_contact", "involved_in_decisions", "support_in_time", "measures_fitted", "overall"]
    return [(str(Feedback._meta.get_field(name).verbose_name), getattr(feedback, name)) for name in names]
