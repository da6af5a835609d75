"""Finding one person among thousands by name: for pages that pick a person
(the coordinator's intake, the privacy officer's subject-access export).
A select listing every employee would be megabytes at 50,000 people."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from people.models import User

#: The most people a search lists; a longer list means the search needs a fuller name.
SEARCH_LIMIT = 25

#: Words of a search used; more narrow nothing down in practice.
SEARCH_WORDS = 4


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, username or e-mail address"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    @property
    def query(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


def find_people(people: QuerySet[User], query: str, *, limit: int = SEARCH_LIMIT) -> tuple[list[User], bool]:
    """The people among ``people`` whose name, username or e-mail address
    contains every word of ``query``, at most ``limit``, and whether there were more."""
    for word in query.split()[:SEARCH_WORDS]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    found = list(people.select_related("team").order_by("last_name", "first_name", "username")[: limit + 1])
    return found[:limit], len(found) > limit


def person_search(data: Any, people: QuerySet[User]) -> dict[str, Any]:
    """The context of templates/people/_person_search.html: the form bound to
    ``data`` (the GET parameters) and, once there is a query, who matches."""
    search = PersonSearchForm(data or None)
    query = search.query
    found, more = find_people(people, query) if query else ([], False)
    return {"search": search, "query": query, "people": found, "more": more, "limit": SEARCH_LIMIT}
