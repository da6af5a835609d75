"""The suspected doxer's accounts, and the cases that share one: a campaign
against several colleagues shows as one picture, to the coordinators only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from doxing_cases.models import CaseEvent, DoxerIdentifier, TakedownRequest
from doxing_cases.selectors import online as selectors
from doxing_cases.services import involvement
from doxing_cases.services import online as services
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

SECRET_B = "GEHEIM-B: de buurman van Youssef"


@pytest.fixture
def involved_specialist(case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    return specialist


@pytest.fixture
def involved_security(case, coordinator, security):
    involvement.involvement_start(actor=coordinator, case=case, user=security, kind="security")
    return security


@pytest.fixture
def other_case(colleague, coordinator2):
    """A colleague's case in another team, coordinated by someone else."""
    return make_case(colleague, coordinator=coordinator2, description=SECRET_B)


@pytest.fixture
def shared_handle(case, other_case, coordinator, coordinator2):
    services.identifier_add(actor=coordinator, case=case, kind="handle", platform="x", value="@Foo")
    services.identifier_add(actor=coordinator2, case=other_case, kind="handle", platform="x", value=" foo")


def page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Normalising -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "normalized"),
    [
        ("handle", "@Foo", "foo"),
        ("handle", "  foo ", "foo"),
        ("handle", "@@Foo_Bar", "foo_bar"),
        ("account", "https://www.TikTok.com/@Foo/", "tiktok.com/@foo"),
        ("url", "https://www.Example.org/path/Page/", "example.org/path/page"),
        ("url", "http://example.org/path?utm_source=x&utm_medium=y&fbclid=z", "example.org/path"),
        ("url", "example.org/watch?v=abc&si=123", "example.org/watch?v=abc"),
        ("url", "https://example.org/a#comment-5", "example.org/a"),
        ("url", "https://example.org:8080/a", "example.org:8080/a"),
    ],
)
def test_it_normalises_identifiers(kind, value, normalized):
    assert services.normalize_identifier(kind, value) == normalized


def test_the_same_link_written_differently_normalises_the_same():
    assert services.normalize_url("https://www.forum.example.org/t/123/?utm_campaign=x") == services.normalize_url(
        "http://forum.example.org/t/123"
    )


# --- Related cases for the coordinators ------------------------------------------------------------


def test_two_cases_sharing_a_handle_are_linked_for_both_coordinators(
    login, case, other_case, coordinator, coordinator2, shared_handle
):
    mine = page(login(coordinator), case)
    theirs = page(login(coordinator2), other_case)

    assert other_case.reference in mine
    assert f"{escape(coordinator2.display_name)}, its coordinator" in mine
    assert case.reference in theirs
    assert f"{escape(coordinator.display_name)}, its coordinator" in theirs


def test_the_related_case_shows_what_is_shared_as_written_on_this_case(login, case, coordinator, shared_handle):
    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    (related,) = response.context["related_cases"]
    assert [(str(thing.what), thing.value) for thing in related.shared] == [
        ("Handle or username on X (Twitter)", "@Foo")
    ]


def test_nothing_of_the_other_case_shows_but_its_reference_and_coordinator(
    login, case, other_case, colleague, coordinator, shared_handle
):
    mine = page(login(coordinator), case)

    assert escape(colleague.first_name) not in mine
    assert escape(colleague.last_name) not in mine
    assert SECRET_B not in mine
    assert reverse("cases:detail", args=[other_case.pk]) not in mine
    assert login(coordinator).get(reverse("cases:detail", args=[other_case.pk])).status_code == 404


def test_a_coordinator_of_both_cases_gets_a_link(login, case, coordinator, colleague):
    both = make_case(colleague, coordinator=coordinator)
    services.identifier_add(actor=coordinator, case=case, kind="handle", platform="x", value="@Foo")
    services.identifier_add(actor=coordinator, case=both, kind="handle", platform="x", value="FOO")

    mine = page(login(coordinator), case)

    assert reverse("cases:detail", args=[both.pk]) in mine


def test_the_same_link_in_evidence_and_a_takedown_links_cases(login, case, other_case, coordinator, coordinator2):
    services.evidence_add(actor=coordinator, case=case, url="https://www.forum.example.org/t/99/?utm_source=app")
    services.takedown_create(
        actor=coordinator2, case=other_case, url="http://forum.example.org/t/99", route=TakedownRequest.Route.NTD
    )

    (related,) = login(coordinator).get(reverse("cases:detail", args=[case.pk])).context["related_cases"]

    assert related.reference == other_case.reference
    assert [thing.value for thing in related.shared] == ["https://www.forum.example.org/t/99/?utm_source=app"]


def test_the_same_handle_on_another_platform_is_not_shared(login, case, other_case, coordinator, coordinator2):
    services.identifier_add(actor=coordinator, case=case, kind="handle", platform="x", value="@Foo")
    services.identifier_add(actor=coordinator2, case=other_case, kind="handle", platform="tiktok", value="@Foo")

    response = login(coordinator).get(reverse("cases:detail", args=[case.pk]))

    assert response.context["related_cases"] == []
    assert other_case.reference not in response.content.decode()


def test_finding_related_cases_takes_a_fixed_number_of_queries(case, coordinator, coordinator2):
    services.identifier_add(actor=coordinator, case=case, kind="handle", platform="x", value="@Foo")
    services.evidence_add(actor=coordinator, case=case, url="https://forum.example.org/t/1")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            selectors.related_cases(case, coordinator)
        return len(context.captured_queries)

    def add_related_case() -> None:
        other = make_case(UserFactory(), coordinator=coordinator2)
        services.identifier_add(actor=coordinator2, case=other, kind="handle", platform="x", value="foo")
        services.evidence_add(actor=coordinator2, case=other, url="http://www.forum.example.org/t/1/")

    add_related_case()
    with_one = queries()
    for _ in range(4):
        add_related_case()

    assert queries() == with_one
    assert len(selectors.related_cases(case, coordinator)) == 5


# --- Nobody else learns of the other case ------------------------------------------------------------


def test_an_involved_specialist_does_not_see_related_cases(login, case, other_case, involved_specialist, shared_handle):
    client = login(involved_specialist)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    doxer_page = client.get(reverse("cases:doxer", args=[case.pk]))

    assert "related_cases" not in response.context
    assert other_case.reference not in response.content.decode()
    assert doxer_page.context["related_cases"] == []
    assert other_case.reference not in doxer_page.content.decode()
    assert b"@Foo" in doxer_page.content


def test_a_specialist_adding_a_handle_known_elsewhere_learns_nothing(
    login, case, other_case, involved_specialist, coordinator2
):
    services.identifier_add(actor=coordinator2, case=other_case, kind="handle", platform="x", value="@Foo")

    response = login(involved_specialist).post(
        reverse("cases:doxer_new", args=[case.pk]), {"kind": "handle", "platform": "x", "value": "foo"}, follow=True
    )

    content = response.content.decode()
    assert "The account is recorded." in content
    assert other_case.reference not in content
    assert escape(coordinator2.display_name) not in content


def test_the_coordinator_page_of_the_doxer_shows_related_cases(login, case, other_case, coordinator, shared_handle):
    response = login(coordinator).get(reverse("cases:doxer", args=[case.pk]))

    assert [related.reference for related in response.context["related_cases"]] == [other_case.reference]


# --- Recording an account -------------------------------------------------------------------------------


def doxer_pages(case) -> list[str]:
    return [reverse("cases:doxer", args=[case.pk]), reverse("cases:doxer_new", args=[case.pk])]


@pytest.mark.parametrize("who", ["coordinator", "involved_specialist"])
def test_it_opens_the_doxer_pages_for_those_who_work_on_it(request, login, case, who):
    client = login(request.getfixturevalue(who))

    assert {client.get(url).status_code for url in doxer_pages(case)} == {200}


@pytest.mark.parametrize(
    "who",
    [
        "specialist",
        "involved_security",
        "employee",
        "manager",
        "colleague",
        "coordinator2",
        "peer",
        "hr",
        "privacy",
        "admin",
    ],
)
def test_others_get_404_on_the_doxer_pages(request, login, case, who):
    client = login(request.getfixturevalue(who))

    assert {client.get(url).status_code for url in doxer_pages(case)} == {404}


def test_a_specialist_whose_involvement_ended_gets_404_on_the_next_request(login, case, coordinator, specialist):
    started = involvement.involvement_start(actor=coordinator, case=case, user=specialist, kind="specialist")
    client = login(specialist)
    assert client.get(reverse("cases:doxer", args=[case.pk])).status_code == 200

    involvement.involvement_end(actor=coordinator, involvement=started)

    assert client.get(reverse("cases:doxer", args=[case.pk])).status_code == 404


def test_the_specialist_records_an_account(login, case, involved_specialist):
    response = login(involved_specialist).post(
        reverse("cases:doxer_new", args=[case.pk]), {"kind": "account", "platform": "tiktok", "value": "@Doxer.NL"}
    )

    identifier = DoxerIdentifier.objects.get()
    assert response.status_code == 302
    assert (identifier.value, identifier.normalized, identifier.added_by) == (
        "@Doxer.NL",
        "doxer.nl",
        involved_specialist,
    )
    assert identifier.history.get().history_user == involved_specialist
    event = case.events.get(kind=CaseEvent.Kind.IDENTIFIER)
    assert (event.actor, event.part, event.obj) == (involved_specialist, "online", identifier)


def test_the_same_account_twice_is_refused_and_the_answers_kept(login, case, coordinator):
    services.identifier_add(actor=coordinator, case=case, kind="handle", platform="x", value="@Foo")

    response = login(coordinator).post(
        reverse("cases:doxer_new", args=[case.pk]), {"kind": "handle", "platform": "x", "value": "foo "}
    )

    form = response.context["form"]
    assert form.errors["value"] == ["This is already recorded on this case."]
    assert form["value"].value() == "foo "
    assert DoxerIdentifier.objects.count() == 1


def test_the_timeline_names_the_account(login, case, coordinator):
    services.identifier_add(actor=coordinator, case=case, kind="handle", platform="x", value="@Foo")

    content = page(login(coordinator), case)

    assert (
        f"{escape(coordinator.display_name)} recorded an account of the suspected doxer: @Foo (handle or username)."
        in content
    )
