"""Lessons for the organisation's library (recommendations 27 and 28): no
identity in them, no link to the case, read by coordinators and managers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from aftercare.identity import find_identifiers, identifying_terms
from aftercare.models import Evaluation, Lesson
from aftercare.services import evaluation as services
from doxing_cases.services import involvement, online
from tests.factories import make_case

pytestmark = pytest.mark.django_db

CLEAN_TITLE = "Vertel het team eerder wat er speelt"
CLEAN_TEXT = "In januari hoorde het team het pas na een week. Bel de leidinggevende dezelfde dag."


@pytest.fixture
def evaluated_case(employee, manager, coordinator):
    """A case with the data the check knows: a phone number, links, a plate,
    an address, the doxer's handle; and an evaluation."""
    case = make_case(
        employee, coordinator=coordinator, contact_phone="06-12345678", urls=["https://forum.example.org/t/123"]
    )
    online.exposed_item_create(
        actor=coordinator,
        case=case,
        kind="home_address",
        detail="Kerkstraat 12, 3511 AB Utrecht",
        urls=["https://t.me/sanne_dv_doxed/"],
    )
    online.exposed_item_create(actor=coordinator, case=case, kind="licence_plate", detail="12-ABC-3")
    online.identifier_add(actor=coordinator, case=case, kind="handle", value="@wijkwacht010", platform="x")
    services.evaluation_record(
        actor=coordinator,
        case=case,
        held_with=Evaluation.With.EMPLOYEE,
        held_on=timezone.localdate(),
        went_well="Snel contact.",
        can_be_better="Het team wist het te laat.",
    )
    return case


def write(client, case, *, title=CLEAN_TITLE, text=CLEAN_TEXT, theme="support"):
    return client.post(reverse("aftercare:lesson_new", args=[case.pk]), {"theme": theme, "title": title, "text": text})


def lesson(title: str, *, author, theme: str = "support", text: str = "Tekst.") -> Lesson:
    return Lesson.objects.create(theme=theme, title=title, text=text, written_by=author)


# --- The identity check -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Sanne wilde het zelf vertellen.", "Sanne"),
        ("Mevrouw De Vries wilde het zelf vertellen.", "De Vries"),
        ("Het adres van Vries stond online.", "Vries"),
        ("sanne de vries wilde het zelf vertellen.", "sanne de vries"),
        ("Mail naar Employee@Example.org voortaan.", "Employee@Example.org"),
        ("Het nummer 06 12 34 56 78 stond erbij.", "06 12 34 56 78"),
        ("Het nummer 0612345678 stond erbij.", "0612345678"),
        ("Het nummer +31 6 12345678 stond erbij.", "+31 6 12345678"),
        ("Zie https://www.t.me/sanne_dv_doxed voor de post.", "https://www.t.me/sanne_dv_doxed"),
        ("Zie t.me/sanne_dv_doxed voor de post.", "t.me/sanne_dv_doxed"),
        ("Het account wijkwacht010 zat erachter.", "wijkwacht010"),
        ("Het account @wijkwacht010 zat erachter.", "@wijkwacht010"),
        ("Kenteken 12abc3 werd gedeeld.", "12abc3"),
        ("Ze woont aan de Kerkstraat 12.", "Kerkstraat 12"),
        ("Postcode 3511AB stond erbij.", "3511AB"),
    ],
)
def test_it_finds_what_identifies_in_any_notation(evaluated_case, text, found):
    assert found in find_identifiers(text, identifying_terms(evaluated_case))


def test_it_finds_the_case_reference(evaluated_case):
    reference = evaluated_case.reference.lower()

    assert find_identifiers(f"Zoals bij {reference} al bleek.", identifying_terms(evaluated_case)) == [reference]


def test_it_does_not_take_januari_for_jan(employee, coordinator):
    employee.first_name = "Jan"
    employee.save()
    case = make_case(employee, coordinator=coordinator)

    assert find_identifiers("In januari ging het mis.", identifying_terms(case)) == []


def test_it_skips_terms_shorter_than_three_characters(employee, coordinator):
    employee.first_name = "Bo"
    employee.save()
    case = make_case(employee, coordinator=coordinator)

    assert find_identifiers("Bo en de rest van het team.", identifying_terms(case)) == []


def test_it_passes_a_clean_text(evaluated_case):
    assert find_identifiers(f"{CLEAN_TITLE}. {CLEAN_TEXT}", identifying_terms(evaluated_case)) == []


# --- Writing a lesson ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Sanne hoorde het pas laat.", "“Sanne”"),
        ("Mevrouw de Vries hoorde het pas laat.", "“de Vries”"),
        ("Sanne de Vries hoorde het pas laat.", "“Sanne de Vries”"),
        ("Schrijf naar employee@example.org.", "“employee@example.org”"),
        ("Bel 06 12 34 56 78 niet meer.", "“06 12 34 56 78”"),
        ("De post op https://t.me/sanne_dv_doxed bleef staan.", "“https://t.me/sanne_dv_doxed”"),
        ("De post op t.me/sanne_dv_doxed bleef staan.", "“t.me/sanne_dv_doxed”"),
        ("Het account wijkwacht010 bleef actief.", "“wijkwacht010”"),
        ("De auto met 12ABC3 werd gevolgd.", "“12ABC3”"),
    ],
)
def test_it_refuses_a_lesson_that_identifies_and_shows_what(login, evaluated_case, coordinator, text, shown):
    response = write(login(coordinator), evaluated_case, text=text)

    assert response.status_code == 200
    assert shown in " ".join(response.context["form"].errors["text"])
    assert not Lesson.objects.exists()


def test_it_checks_the_title_too(login, evaluated_case, coordinator):
    response = write(login(coordinator), evaluated_case, title="Wat Sanne overkwam")

    assert "“Sanne”" in " ".join(response.context["form"].errors["title"])
    assert not Lesson.objects.exists()


def test_it_keeps_what_was_typed(login, evaluated_case, coordinator):
    response = write(login(coordinator), evaluated_case, text="Sanne hoorde het pas laat, en dat was te laat.")

    assert "Sanne hoorde het pas laat, en dat was te laat." in response.content.decode()


def test_it_saves_a_clean_lesson_without_a_link_to_the_case(login, evaluated_case, coordinator):
    response = write(login(coordinator), evaluated_case)

    assert response.status_code == 302
    saved = Lesson.objects.get()
    assert (saved.title, saved.text, saved.written_by) == (CLEAN_TITLE, CLEAN_TEXT, coordinator)
    assert "case" not in {field.name for field in Lesson._meta.get_fields()}


def test_it_writes_a_history_row_with_the_author(login, evaluated_case, coordinator):
    write(login(coordinator), evaluated_case)

    assert Lesson.objects.get().history.get().history_user == coordinator


def test_it_leaves_no_line_on_the_timeline(login, evaluated_case, coordinator):
    before = evaluated_case.events.count()

    write(login(coordinator), evaluated_case)

    assert evaluated_case.events.count() == before


def test_it_asks_for_an_evaluation_first(login, case, coordinator):
    response = write(login(coordinator), case)

    assert response.status_code == 200
    assert not Lesson.objects.exists()


@pytest.mark.parametrize("outsider", ["manager", "employee", "colleague", "hr"])
def test_it_lets_only_the_coordinator_write_from_a_case(login, evaluated_case, request, outsider):
    user = request.getfixturevalue(outsider)

    assert login(user).get(reverse("aftercare:lesson_new", args=[evaluated_case.pk])).status_code == 404


# --- The library --------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["coordinator", "coordinator2", "manager", "manager2"])
def test_it_opens_the_library_to_coordinators_and_managers(login, request, reader):
    assert login(request.getfixturevalue(reader)).get(reverse("aftercare:lessons")).status_code == 200


@pytest.mark.parametrize("outsider", ["employee", "specialist", "hr", "privacy", "admin"])
def test_it_hides_the_library_from_everyone_else(login, request, outsider):
    assert login(request.getfixturevalue(outsider)).get(reverse("aftercare:lessons")).status_code == 404


def test_it_refuses_a_post_on_the_library(login, coordinator):
    assert login(coordinator).post(reverse("aftercare:lessons")).status_code == 405


def test_it_shows_neither_the_author_nor_the_case(login, evaluated_case, coordinator, manager):
    write(login(coordinator), evaluated_case)

    page = login(manager).get(reverse("aftercare:lessons")).content.decode()

    assert CLEAN_TITLE in page
    assert escape(coordinator.display_name) not in page
    assert coordinator.username not in page
    assert evaluated_case.reference not in page
    assert f"/cases/{evaluated_case.pk}/" not in page


def test_it_groups_the_lessons_by_theme(login, coordinator):
    lesson("Over steun", theme="support", author=coordinator)
    lesson("Over melden", theme="reporting", author=coordinator)

    page = login(coordinator).get(reverse("aftercare:lessons")).content.decode()

    order = [page.index(text) for text in ("<h2>Reporting</h2>", "Over melden", "<h2>Support</h2>", "Over steun")]
    assert order == sorted(order)


def test_it_searches_title_and_text(login, coordinator):
    lesson("Bel op dezelfde dag", author=coordinator)
    lesson("Iets anders", text="Plan de nazorg vroeg.", author=coordinator)
    lesson("Nog iets", author=coordinator)

    page = login(coordinator).get(reverse("aftercare:lessons"), {"q": "DEZELFDE"}).content.decode()
    by_text = login(coordinator).get(reverse("aftercare:lessons"), {"q": "nazorg"}).content.decode()

    assert "Bel op dezelfde dag" in page and "Nog iets" not in page
    assert "Iets anders" in by_text and "Nog iets" not in by_text


def test_it_filters_by_theme(login, coordinator):
    lesson("Over steun", theme="support", author=coordinator)
    lesson("Over beveiliging", theme="security", author=coordinator)

    page = login(coordinator).get(reverse("aftercare:lessons"), {"theme": "security"}).content.decode()

    assert "Over beveiliging" in page
    assert "Over steun" not in page


def test_it_pages_a_long_library(login, coordinator):
    for number in range(25):
        lesson(f"Les nummer {number:02d}", author=coordinator)

    first = login(coordinator).get(reverse("aftercare:lessons")).content.decode()
    second = login(coordinator).get(reverse("aftercare:lessons"), {"page": 2}).content.decode()

    assert "Les nummer 24" in first and "Les nummer 00" not in first
    assert "Les nummer 00" in second


def test_its_query_count_does_not_grow_with_the_lessons(login, coordinator, django_assert_max_num_queries):
    client = login(coordinator)
    lesson("De eerste", author=coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("aftercare:lessons"))
    for number in range(30):
        lesson(f"Les {number}", theme=Lesson.Theme.values[number % len(Lesson.Theme.values)], author=coordinator)

    with django_assert_max_num_queries(len(few)):
        client.get(reverse("aftercare:lessons"))


def test_it_lets_a_specialist_on_the_case_not_write_lessons(login, evaluated_case, coordinator, specialist):
    involvement.involvement_start(actor=coordinator, case=evaluated_case, user=specialist, kind="specialist")

    assert login(specialist).get(reverse("aftercare:lesson_new", args=[evaluated_case.pk])).status_code == 404
