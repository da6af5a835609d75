"""Forms of the knowledge base: searching, and writing an article in both languages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from prevention.models import Article
from prevention.selectors.knowledge import MAX_QUERY_LENGTH

#: Addresses that the knowledge base's own pages use.
RESERVED_SLUGS = frozenset({"new"})
BODY = forms.Textarea(attrs={"rows": 18})
SUMMARY = forms.Textarea(attrs={"rows": 2})


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the knowledge base"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Articles that contain all of your words."),
    )


class ArticleForm(forms.ModelForm):
    """Both languages in one form; the address is fixed once the article exists,
    so links to it keep working."""

    class Meta:
        model = Article
        fields = [
            "slug",
            "topic",
            "order",
            "published",
            "title_nl",
            "summary_nl",
            "body_nl",
            "title_en",
            "summary_en",
            "body_en",
        ]
        widgets = {
            # A text box: the shared stylesheet styles no number inputs.
            "order": forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
            "summary_nl": SUMMARY,
            "summary_en": SUMMARY,
            "body_nl": BODY,
            "body_en": BODY,
        }
        help_texts = {
            "slug": _("The last part of the article's web address: small letters, digits and hyphens."),
            "order": _("Lower numbers come first within a topic."),
            "published": _("Unpublished articles are seen by coordinators only."),
            "body_nl": _("Markdown: # for a heading, - for a list, [text](link) for a link. HTML is shown as text."),
            "body_en": _("Markdown: # for a heading, - for a list, [text](link) for a link. HTML is shown as text."),
        }

    NL_FIELDS = ("title_nl", "summary_nl", "body_nl")
    EN_FIELDS = ("title_en", "summary_en", "body_en")
    GENERAL_FIELDS = ("slug", "topic", "order", "published")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [choice for choice in self.fields["topic"].choices if choice[0]]
        if self.instance.pk:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("The address stays the same, so links to this article keep working.")

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address is taken by Handvat itself. Choose another one."))
        return slug

    def section(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def general_fields(self) -> list[forms.BoundField]:
        return self.section(self.GENERAL_FIELDS)

    @property
    def dutch_fields(self) -> list[forms.BoundField]:
        return self.section(self.NL_FIELDS)

    @property
    def english_fields(self) -> list[forms.BoundField]:
        return self.section(self.EN_FIELDS)

    def article_data(self) -> dict[str, Any]:
        """What the services take: the cleaned fields, without the fixed address."""
        data = dict(self.cleaned_data)
        if self.instance.pk:
            data.pop("slug", None)
        return data
