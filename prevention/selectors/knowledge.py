"""Reading the knowledge base (recommendations 1 and 6): the articles a user
may read, in their language, grouped by topic, and a simple search.

Everyone who is logged in reads the published articles; coordinators, who keep
the knowledge base, also see the ones that are not published yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404

from people import access
from people.models import User
from prevention.models import Article

#: The longest search we take, and the most words in it.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10


@dataclass
class TopicGroup:
    topic: str
    label: str
    articles: list[Article] = field(default_factory=list)


def language_suffix(language: str) -> str:
    """The field suffix for ``language``: English when asked, Dutch otherwise."""
    return "en" if language == "en" else "nl"


def readable_articles(user: User) -> QuerySet[Article]:
    articles = Article.objects.all()
    if not access.may_edit_articles(user):
        articles = articles.filter(published=True)
    return articles


def search_words(q: str) -> list[str]:
    """The words of a search, without duplicates, at most ``MAX_QUERY_WORDS``."""
    words = dict.fromkeys(word.lower() for word in q[:MAX_QUERY_LENGTH].split())
    return list(words)[:MAX_QUERY_WORDS]


def articles_for(user: User, *, language: str, q: str = "") -> QuerySet[Article]:
    """The articles ``user`` may read, with ``local_title`` and ``local_summary``
    in ``language``; when ``q`` is given, only those containing every word of it
    (in any case) in their title, summary or text in that language.

    ``icontains`` works on both databases: UPPER … LIKE on PostgreSQL, LIKE on
    SQLite, which folds the case of ASCII letters only (an accented capital,
    rare in Dutch, matches only itself there).
    """
    suffix = language_suffix(language)
    articles = readable_articles(user)
    for word in search_words(q):
        articles = articles.filter(
            Q(**{f"title_{suffix}__icontains": word})
            | Q(**{f"summary_{suffix}__icontains": word})
            | Q(**{f"body_{suffix}__icontains": word})
        )
    return (
        articles.annotate(local_title=F(f"title_{suffix}"), local_summary=F(f"summary_{suffix}"))
        .defer("body_nl", "body_en")
        .order_by("order", f"title_{suffix}")
    )


def by_topic(articles: QuerySet[Article] | list[Article]) -> list[TopicGroup]:
    """``articles`` grouped by topic, the topics in the order the model lists them."""
    groups = {topic: TopicGroup(topic=topic, label=str(label)) for topic, label in Article.Topic.choices}
    for article in articles:
        groups[article.topic].articles.append(article)
    return [group for group in groups.values() if group.articles]


def article_for(user: User, slug: str) -> Article:
    """One article ``user`` may read; 404 otherwise (also for an unpublished one)."""
    article = readable_articles(user).select_related("updated_by").filter(slug=slug).first()
    if article is None:
        raise Http404
    return article


def article_to_edit(user: User, slug: str | None = None) -> Article | None:
    """For the editing pages: 404 for anyone who does not keep the knowledge
    base; the article itself when ``slug`` is given (None for a new one)."""
    if not access.may_edit_articles(user):
        raise Http404
    if slug is None:
        return None
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise Http404
    return article


def article_history(article: Article, *, limit: int = 10) -> QuerySet[Any]:
    """The latest changes to ``article``, newest first, with who made them."""
    return article.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
