"""Pages of the knowledge base (recommendations 1 and 6): the articles by
topic with a search, one article, and writing and reviewing articles (for
coordinators only; anyone else gets 404 there)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people import access
from prevention import markdown
from prevention.forms.knowledge import ArticleForm, KnowledgeSearchForm
from prevention.models import Article
from prevention.selectors import knowledge as selectors
from prevention.services import knowledge as services

GET_POST = require_http_methods(["GET", "POST"])


def _add_service_errors(form: ArticleForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _preview(form: ArticleForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "nl": {"title": data["title_nl"], "body": markdown.render(data["body_nl"])},
        "en": {"title": data["title_en"], "body": markdown.render(data["body_en"])},
    }


@login_required
@require_GET
def knowledge(request: HttpRequest) -> HttpResponse:
    form = KnowledgeSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    articles = list(selectors.articles_for(request.user, language=get_language(), q=q))
    context = {
        "form": form,
        "q": q,
        "articles": articles,
        "groups": [] if q else selectors.by_topic(articles),
        "may_edit": access.may_edit_articles(request.user),
    }
    return render(request, "prevention/knowledge/list.html", context)


@login_required
@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_for(request.user, slug)
    title, summary, body = article.in_language(get_language())
    context = {
        "article": article,
        "title": title,
        "summary": summary,
        "body": markdown.render(body),
        "may_edit": access.may_edit_articles(request.user),
    }
    return render(request, "prevention/knowledge/article.html", context)


def _article_form(request: HttpRequest, article: Article | None) -> HttpResponse:
    """The form for a new article (``article`` None) or a change; "Preview" shows both languages unsaved."""
    form = ArticleForm(request.POST or None, instance=article)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(form)
        else:
            try:
                if article is None:
                    saved = services.article_create(actor=request.user, **form.article_data())
                else:
                    saved = services.article_update(actor=request.user, article=article, **form.article_data())
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(request, _("The article is saved."))
                return redirect("prevention:article", slug=saved.slug)
    context = {
        "form": form,
        "article": article,
        "preview": preview,
        "history": selectors.article_history(article) if article is not None else [],
    }
    return render(request, "prevention/knowledge/form.html", context)


@login_required
@GET_POST
def article_new(request: HttpRequest) -> HttpResponse:
    selectors.article_to_edit(request.user)
    return _article_form(request, None)


@login_required
@GET_POST
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_to_edit(request.user, slug)
    return _article_form(request, article)


@login_required
@require_POST
def article_reviewed(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_to_edit(request.user, slug)
    assert article is not None
    services.article_mark_reviewed(actor=request.user, article=article)
    messages.success(request, _("Marked as reviewed today."))
    return redirect("prevention:article", slug=article.slug)


urlpatterns: list[URLPattern] = [
    path("knowledge/", knowledge, name="knowledge"),
    path("knowledge/new/", article_new, name="article_new"),
    path("knowledge/<slug:slug>/", article, name="article"),
    path("knowledge/<slug:slug>/edit/", article_edit, name="article_edit"),
    path("knowledge/<slug:slug>/reviewed/", article_reviewed, name="article_reviewed"),
]
