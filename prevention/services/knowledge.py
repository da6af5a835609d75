"""Keeping the knowledge base (recommendations 1 and 6): writing, changing and
reviewing articles. Only coordinators do this; every change keeps a history row
that names them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from people import access
from people.history import records_actor
from people.models import User
from prevention.models import Article

#: What a coordinator writes; the rest (who, when) the services fill in.
EDITABLE_FIELDS = (
    "topic",
    "order",
    "published",
    "title_nl",
    "summary_nl",
    "body_nl",
    "title_en",
    "summary_en",
    "body_en",
)
TEXT_FIELDS = frozenset({"title_nl", "summary_nl", "body_nl", "title_en", "summary_en", "body_en"})


def _require_editor(actor: User) -> None:
    if not access.may_edit_articles(actor):
        raise PermissionDenied


def _cleaned(name: str, value: Any) -> Any:
    return value.strip() if name in TEXT_FIELDS and isinstance(value, str) else value


@transaction.atomic
@records_actor
def article_create(*, actor: User, slug: str, **fields: Any) -> Article:
    """A new article, reviewed today by the coordinator who wrote it."""
    _require_editor(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"article_create() got unexpected fields: {sorted(unknown)}")
    article = Article(
        slug=slug,
        **{name: _cleaned(name, value) for name, value in fields.items()},
        reviewed_on=timezone.localdate(),
        updated_by=actor,
        updated_at=timezone.now(),
    )
    article.full_clean()
    article.save()
    return article


@transaction.atomic
@records_actor
def article_update(*, actor: User, article: Article, **fields: Any) -> Article:
    """Change what the coordinator changed; nothing is written when nothing changed."""
    _require_editor(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"article_update() got unexpected fields: {sorted(unknown)}")
    # Compare with the stored row, not with ``article``: a bound form may have changed that already.
    current = Article.objects.select_for_update().get(pk=article.pk)
    changed = [name for name, value in fields.items() if getattr(current, name) != _cleaned(name, value)]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, _cleaned(name, fields[name]))
    current.updated_by = actor
    current.updated_at = timezone.now()
    current.full_clean()
    current.save(update_fields=[*changed, "updated_by", "updated_at"])
    return current


@transaction.atomic
@records_actor
def article_mark_reviewed(*, actor: User, article: Article) -> Article:
    """The coordinator checked that the article is still right, today."""
    _require_editor(actor)
    current = Article.objects.select_for_update().get(pk=article.pk)
    current.reviewed_on = timezone.localdate()
    current.updated_by = actor
    current.updated_at = timezone.now()
    current.full_clean()
    current.save(update_fields=["reviewed_on", "updated_by", "updated_at"])
    return current
