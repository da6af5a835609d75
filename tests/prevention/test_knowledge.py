"""The knowledge base (recommendations 1 and 6): shipped articles in Dutch and
English, read in the user's language, searched, rendered from Markdown without
anything that can run, and kept by coordinators with a history."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils.html import escape

from prevention import markdown
from prevention.models import Article
from prevention.services import knowledge as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _articles(shipped_articles: None) -> None:
    """Every test here starts with the shipped articles."""


SHIPPED = 11
ZEBRA_NL = "Oversteken doe je bij het zebrapad. Een giraf kijkt over de heg."
ZEBRA_EN = "Cross at the zebra crossing. A giraffe looks over the hedge."


def write(coordinator, *, slug: str = "zebra", published: bool = True, **overrides) -> Article:
    fields = {
        "topic": Article.Topic.OTHER,
        "order": 500,
        "published": published,
        "title_nl": "Veilig oversteken",
        "summary_nl": "Over zebrapaden.",
        "body_nl": ZEBRA_NL,
        "title_en": "Crossing safely",
        "summary_en": "About zebra crossings.",
        "body_en": ZEBRA_EN,
    }
    fields.update(overrides)
    return services.article_create(actor=coordinator, slug=slug, **fields)


def form_data(**overrides) -> dict[str, str]:
    data = {
        "slug": "new-article",
        "topic": "other",
        "order": "200",
        "published": "on",
        "title_nl": "Nieuw artikel",
        "summary_nl": "Kort.",
        "body_nl": "# Kop\n\nTekst.",
        "title_en": "New article",
        "summary_en": "Short.",
        "body_en": "# Heading\n\nText.",
    }
    data.update(overrides)
    return data


def dutch_client(user) -> Client:
    """Logged in, without a language cookie: what a new visitor gets."""
    client = Client()
    client.force_login(user)
    return client


def search(client, q: str):
    return client.get(reverse("prevention:knowledge"), {"q": q})


def found_slugs(response) -> set[str]:
    return {article.slug for article in response.context["articles"]}


class PageParts(HTMLParser):
    """Every tag and attribute of a page, to check that nothing can run."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def parts_of(html: str) -> PageParts:
    parser = PageParts()
    parser.feed(html)
    return parser


def runnable(html: str, *, allowed_scripts: int = 0) -> list[str]:
    """What in ``html`` a browser could run: script tags beyond the page's own,
    event handlers, and links or sources with a scheme other than the web's."""
    parts = parts_of(html)
    problems = [tag for tag in parts.tags if tag in {"script", "iframe", "object", "embed", "img", "svg", "style"}]
    for _allowed in range(allowed_scripts):
        if "script" in problems:
            problems.remove("script")
    for tag, name, value in parts.attributes:
        if name.startswith("on") or name in {"style", "srcdoc"}:
            problems.append(f"{tag} {name}")
        if name in {"href", "src", "action", "formaction"}:
            scheme = urlsplit(value.strip()).scheme.lower()
            if scheme not in {"", "http", "https", "mailto", "tel"}:
                problems.append(f"{tag} {name}={value}")
    return problems


# --- What ships -------------------------------------------------------------------


def test_it_ships_the_articles_in_dutch_and_english():
    articles = list(Article.objects.all())

    assert len(articles) >= SHIPPED
    for article in articles:
        assert article.published
        assert all([*article.in_language("nl"), *article.in_language("en")]), article.slug
        assert article.body_nl != article.body_en


def test_it_ships_articles_of_250_to_600_words_in_each_language():
    lengths = {
        (article.slug, language): len(article.in_language(language)[2].split())
        for article in Article.objects.all()
        for language in ("nl", "en")
    }

    assert {key: words for key, words in lengths.items() if not 250 <= words <= 600} == {}


def test_it_ships_an_article_for_every_topic_the_guideline_names():
    topics = set(Article.objects.values_list("topic", flat=True))

    assert topics >= set(Article.Topic.values) - {Article.Topic.OTHER}


def test_it_ships_articles_that_pass_the_models_own_checks():
    for article in Article.objects.all():
        article.full_clean()


def test_it_links_shipped_articles_only_to_pages_that_exist(employee):
    slugs = set(Article.objects.values_list("slug", flat=True))
    broken = []
    for article in Article.objects.all():
        page = reverse("prevention:article", args=[article.slug])
        for language in ("nl", "en"):
            for href in re.findall(r"\]\(([^)\s]+)\)", article.in_language(language)[2]):
                if urlsplit(href).scheme:
                    continue
                match = resolve(urljoin(page, href))
                if match.view_name == "prevention:article" and match.kwargs["slug"] not in slugs:
                    broken.append((article.slug, href))

    assert broken == []


# --- Reading ----------------------------------------------------------------------


def test_it_lists_the_articles_in_dutch_by_default(employee):
    response = dutch_client(employee).get(reverse("prevention:knowledge"))

    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "Wat is doxing, en wat niet?" in response.text
    assert "What doxing is, and what it is not" not in response.text


def test_it_lists_the_articles_in_english_when_the_language_switch_says_so(employee):
    client = dutch_client(employee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("prevention:knowledge"))

    assert "What doxing is, and what it is not" in response.text
    assert "Wat is doxing, en wat niet?" not in response.text


def test_it_groups_the_list_by_topic_with_each_summary(login, employee):
    response = login(employee).get(reverse("prevention:knowledge"))

    groups = response.context["groups"]
    assert [group.topic for group in groups][:3] == ["about", "law", "recognise"]
    assert [article.slug for article in groups[0].articles] == ["what-is-doxing"]
    assert escape(Article.objects.get(slug="what-is-doxing").summary_en) in response.text


def test_it_shows_an_article_from_markdown_with_its_review_date(login, employee):
    response = login(employee).get(reverse("prevention:article", args=["having-content-removed"]))

    assert response.status_code == 200
    assert "<h1>Having content removed" in response.text
    assert "<h2>Route 1: the platform (DSA notice)</h2>" in response.text
    assert "Last reviewed on 21 November 2026." in response.text


def test_it_shows_the_dutch_article_to_a_new_visitor(employee):
    response = dutch_client(employee).get(reverse("prevention:article", args=["having-content-removed"]))

    assert "<h1>Berichten laten verwijderen" in response.text


def test_it_sends_a_visitor_who_is_not_logged_in_to_the_login_page(client):
    response = client.get(reverse("prevention:knowledge"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_answers_404_for_an_article_that_does_not_exist(login, employee):
    response = login(employee).get(reverse("prevention:article", args=["no-such-article"]))

    assert response.status_code == 404


# --- Safe Markdown ------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](https://tracker.example/pixel.png)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    '<svg onload="alert(1)"></svg>',
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;script&#62;",
    "| a | b |\n|---|---|\n| <script>x</script> | <b onmouseover=alert(1)>b</b> |",
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_it_renders_hostile_markdown_as_harmless_text(text):
    html = markdown.render(text)

    assert runnable(html) == []


def test_it_escapes_raw_html_instead_of_dropping_it():
    html = markdown.render("<script>alert(1)</script>")

    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_it_refuses_a_javascript_link_but_keeps_the_words():
    html = markdown.render("[click](javascript:alert(1))")

    assert "<a" not in html
    assert "click" in html


def test_it_shifts_headings_below_the_pages_own_title():
    html = markdown.render("# Section\n\n## Part\n\n###### Deepest")

    assert html == "<h2>Section</h2>\n<h3>Part</h3>\n<h6>Deepest</h6>\n"


def test_it_marks_links_to_other_sites_and_leaves_its_own_alone():
    html = markdown.render("[elsewhere](https://example.org) [here](../where-to-report/) <https://example.org/x>")

    assert html.count('rel="noopener noreferrer"') == 2
    assert '<a href="../where-to-report/">here</a>' in html


def test_it_renders_tables_phone_and_mail_links():
    html = markdown.render("| a |\n|---|\n| b |\n\n[112](tel:112) <mailto:hulp@example.org>")

    assert '<table class="table">' in html
    assert '<a href="tel:112">112</a>' in html
    assert '<a href="mailto:hulp@example.org">' in html


def test_it_shows_hostile_markdown_in_an_article_page_as_text(login, coordinator, employee):
    write(coordinator, slug="hostile", body_en="\n\n".join(HOSTILE))

    response = login(employee).get(reverse("prevention:article", args=["hostile"]))

    assert response.status_code == 200
    assert runnable(response.text, allowed_scripts=1) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# --- Search -------------------------------------------------------------------------


def test_it_finds_an_article_by_a_word_in_its_text(login, coordinator, employee):
    write(coordinator)

    response = search(login(employee), "GIRAFFE")

    assert found_slugs(response) == {"zebra"}
    assert "Crossing safely" in response.text
    assert "About zebra crossings." in response.text


def test_it_finds_only_articles_with_every_word(login, coordinator, employee):
    write(coordinator)
    write(coordinator, slug="hedges", body_en="A hedge around the garden.", body_nl="Een heg rond de tuin.")

    client = login(employee)

    assert found_slugs(search(client, "hedge")) == {"zebra", "hedges"}
    assert found_slugs(search(client, "hedge giraffe")) == {"zebra"}
    assert found_slugs(search(client, "hedge giraffe elephant")) == set()


def test_it_searches_in_the_users_language(coordinator, employee):
    write(coordinator)
    client = dutch_client(employee)

    assert found_slugs(search(client, "giraf")) == {"zebra"}
    assert found_slugs(search(client, "crossing")) == set()


def test_it_searches_the_shipped_articles(login, employee):
    assert "having-content-removed" in found_slugs(search(login(employee), "procom notice"))


def test_it_says_so_when_nothing_matches(login, employee):
    response = search(login(employee), "xylofoon")

    assert "No article contains all of these words." in response.text


def test_it_keeps_the_number_of_queries_when_articles_are_added(login, coordinator, employee):
    client = login(employee)
    client.get(reverse("prevention:knowledge"))  # session and language settle first
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("prevention:knowledge"))
    for number in range(15):
        write(coordinator, slug=f"extra-{number}", topic=Article.Topic.ABOUT)

    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("prevention:knowledge"))

    assert len(response.context["articles"]) == Article.objects.count()
    assert len(after) == len(before)


# --- Unpublished articles and editing ------------------------------------------------


def test_it_hides_unpublished_articles_from_employees(login, coordinator, employee):
    write(coordinator, published=False)
    client = login(employee)

    assert "zebra" not in {article.slug for article in client.get(reverse("prevention:knowledge")).context["articles"]}
    assert found_slugs(search(client, "giraffe")) == set()
    assert client.get(reverse("prevention:article", args=["zebra"])).status_code == 404


def test_it_shows_unpublished_articles_to_coordinators(login, coordinator):
    write(coordinator, published=False)
    client = login(coordinator)

    assert "zebra" in found_slugs(client.get(reverse("prevention:knowledge")))
    response = client.get(reverse("prevention:article", args=["zebra"]))
    assert response.status_code == 200
    assert "Not published" in response.text


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "prevention:article_new", []),
        ("post", "prevention:article_new", []),
        ("get", "prevention:article_edit", ["what-is-doxing"]),
        ("post", "prevention:article_edit", ["what-is-doxing"]),
        ("post", "prevention:article_reviewed", ["what-is-doxing"]),
    ],
)
def test_it_answers_404_to_an_employee_on_the_editing_pages(login, employee, manager, method, name, args):
    for user in (employee, manager):
        response = getattr(login(user), method)(reverse(name, args=args), form_data())

        assert response.status_code == 404
    assert not Article.objects.filter(slug="new-article").exists()
    assert Article.history.filter(history_user__isnull=False).count() == 0


def test_it_shows_no_editing_buttons_to_an_employee(login, employee):
    response = login(employee).get(reverse("prevention:article", args=["what-is-doxing"]))

    assert reverse("prevention:article_edit", args=["what-is-doxing"]) not in response.text


def test_it_lets_a_coordinator_write_an_article(login, coordinator):
    response = login(coordinator).post(reverse("prevention:article_new"), form_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("prevention:article", args=["new-article"])
    article = Article.objects.get(slug="new-article")
    assert (article.title_nl, article.updated_by) == ("Nieuw artikel", coordinator)
    created = article.history.get()
    assert (created.history_type, created.history_user) == ("+", coordinator)


def test_it_lets_a_coordinator_change_an_article_and_keeps_its_address(login, coordinator):
    article = Article.objects.get(slug="what-is-doxing")
    data = form_data(slug="another-address", title_en="What doxing is", body_nl=article.body_nl)

    response = login(coordinator).post(reverse("prevention:article_edit", args=[article.slug]), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.slug, article.title_en, article.updated_by) == ("what-is-doxing", "What doxing is", coordinator)
    changed = article.history.order_by("-history_id").first()
    assert (changed.history_type, changed.history_user) == ("~", coordinator)
    assert changed.prev_record.title_en == "What doxing is, and what it is not"


def test_it_writes_no_history_when_nothing_changed(coordinator):
    article = Article.objects.get(slug="what-is-doxing")
    unchanged = {name: getattr(article, name) for name in services.EDITABLE_FIELDS}

    services.article_update(actor=coordinator, article=article, **unchanged)

    assert article.history.count() == 1


def test_it_marks_an_article_reviewed_today(login, coordinator):
    with time_machine.travel(dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)):
        response = login(coordinator).post(reverse("prevention:article_reviewed", args=["what-is-doxing"]))

    assert response.status_code == 302
    article = Article.objects.get(slug="what-is-doxing")
    assert article.reviewed_on == dt.date(2027, 3, 2)
    latest = article.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.reviewed_on) == ("~", coordinator, dt.date(2027, 3, 2))


def test_it_refuses_a_get_on_marking_reviewed(login, coordinator):
    response = login(coordinator).get(reverse("prevention:article_reviewed", args=["what-is-doxing"]))

    assert response.status_code == 405


def test_it_previews_an_article_without_saving_it(login, coordinator):
    data = form_data(preview="1", body_en="# Heading\n\n<script>alert(1)</script>")

    response = login(coordinator).post(reverse("prevention:article_new"), data)

    assert response.status_code == 200
    assert "<h2>Heading</h2>" in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert not Article.objects.filter(slug="new-article").exists()


@pytest.mark.parametrize("slug", ["new", "what-is-doxing", "Not A Slug"])
def test_it_refuses_an_address_that_is_taken_or_invalid(login, coordinator, slug):
    response = login(coordinator).post(reverse("prevention:article_new"), form_data(slug=slug))

    assert response.status_code == 200
    assert response.context["form"].errors["slug"]


def test_it_shows_the_history_on_the_edit_page(login, coordinator):
    client = login(coordinator)
    client.post(reverse("prevention:article_reviewed", args=["what-is-doxing"]))

    response = client.get(reverse("prevention:article_edit", args=["what-is-doxing"]))

    assert "shipped with Handvat" in response.text
    assert "Lotte Visser" in response.text


def test_it_refuses_an_employee_in_the_services_too(employee, coordinator):
    article = Article.objects.get(slug="what-is-doxing")

    with pytest.raises(PermissionDenied):
        services.article_mark_reviewed(actor=employee, article=article)
    with pytest.raises(PermissionDenied):
        write(employee)
