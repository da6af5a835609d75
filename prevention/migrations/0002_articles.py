"""The knowledge-base articles Handvat ships with (recommendations 1 and 6),
so a fresh installation has them in Dutch and English.

The texts live in ``prevention/content/<slug>.<nl|en>.md``, each with a small
header (title, summary, topic, order, reviewed). This migration reads them with
plain Python and writes through the historical model, so it keeps working
whatever later happens to the app's code. Each article also gets its first
history row, as if it had been created in the app. Reversing removes exactly
these articles again, with the history rows this migration wrote.
"""

import datetime
from pathlib import Path

from django.db import migrations
from django.utils import timezone

CONTENT = Path(__file__).resolve().parent.parent / "content"
SLUGS = (
    "what-is-doxing",
    "doxing-and-the-law",
    "recognising-doxing",
    "when-it-happens",
    "what-it-can-do-to-you",
    "safe-on-social-media",
    "shielding-your-personal-data",
    "filmed-at-work",
    "aggression-is-never-normal",
    "having-content-removed",
    "where-to-report",
)
HISTORY_REASON = "Shipped with Handvat"


def read(slug, language):
    """The header fields and the Markdown text of one article file."""
    text = (CONTENT / f"{slug}.{language}.md").read_text(encoding="utf-8")
    _before, header, body = text.split("---\n", 2)
    fields = {}
    for line in header.splitlines():
        if line.strip():
            key, _colon, value = line.partition(":")
            fields[key.strip()] = value.strip()
    fields["body"] = body.strip()
    return fields


def load(apps, schema_editor):
    Article = apps.get_model("prevention", "Article")
    HistoricalArticle = apps.get_model("prevention", "HistoricalArticle")
    now = timezone.now()
    for slug in SLUGS:
        if Article.objects.filter(slug=slug).exists():
            continue
        nl, en = read(slug, "nl"), read(slug, "en")
        article = Article.objects.create(
            slug=slug,
            topic=nl["topic"],
            order=int(nl["order"]),
            title_nl=nl["title"],
            title_en=en["title"],
            summary_nl=nl["summary"],
            summary_en=en["summary"],
            body_nl=nl["body"],
            body_en=en["body"],
            published=True,
            reviewed_on=datetime.date.fromisoformat(nl["reviewed"]),
            updated_at=now,
        )
        HistoricalArticle.objects.create(
            id=article.pk,
            slug=article.slug,
            topic=article.topic,
            order=article.order,
            title_nl=article.title_nl,
            title_en=article.title_en,
            summary_nl=article.summary_nl,
            summary_en=article.summary_en,
            body_nl=article.body_nl,
            body_en=article.body_en,
            published=article.published,
            reviewed_on=article.reviewed_on,
            updated_at=article.updated_at,
            updated_by=None,
            history_date=now,
            history_type="+",
            history_change_reason=HISTORY_REASON,
            history_user=None,
        )


def unload(apps, schema_editor):
    Article = apps.get_model("prevention", "Article")
    HistoricalArticle = apps.get_model("prevention", "HistoricalArticle")
    HistoricalArticle.objects.filter(slug__in=SLUGS, history_change_reason=HISTORY_REASON).delete()
    Article.objects.filter(slug__in=SLUGS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prevention", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
