"""The employee's own card, "What you can do yourself": a page with three parts
and the way to report, and a one-page A4 PDF that fetches nothing from elsewhere."""

from __future__ import annotations

import re
import subprocess
import zlib

import pytest
from django.urls import reverse

from prevention import pdf
from tests.factories import make_case

pytestmark = pytest.mark.django_db

SUPPORT_PHONE = "0800-0000000"  # tests.factories.OrganisationFactory


def pdf_objects(content: bytes) -> bytes:
    """The PDF's compressed streams, unpacked: page tree, links and page content."""
    unpacked = []
    for match in re.finditer(rb"stream\r?\n", content):
        end = content.find(b"endstream", match.end())
        try:
            unpacked.append(zlib.decompress(content[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(unpacked)


def page_count(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf_objects(content)))


def download(client):
    return client.get(reverse("prevention:card_pdf"))


# --- The page -----------------------------------------------------------------------


def test_it_shows_the_three_parts_and_the_way_to_report(login, employee):
    response = login(employee).get(reverse("prevention:card"))

    assert response.status_code == 200
    for part in ("Be prepared", "When it happens", "Afterwards"):
        assert part in response.text
    assert f'href="{reverse("cases:report_new")}"' in response.text
    assert "Call 112" in response.text
    assert SUPPORT_PHONE in response.text


def test_it_links_to_the_employees_own_open_case(login, employee, case):
    response = login(employee).get(reverse("prevention:card"))

    assert reverse("cases:my_case", args=[case.pk]) in response.text


def test_it_has_no_case_link_without_a_case(login, employee):
    response = login(employee).get(reverse("prevention:card"))

    assert "/my/cases/" not in response.text


def test_it_has_no_case_link_once_the_case_is_closed(login, employee, coordinator):
    make_case(employee, coordinator=coordinator, status="closed")

    response = login(employee).get(reverse("prevention:card"))

    assert "/my/cases/" not in response.text


def test_it_never_links_to_someone_elses_case(login, case, manager, coordinator, colleague):
    for user in (manager, coordinator, colleague):
        response = login(user).get(reverse("prevention:card"))

        assert "/my/cases/" not in response.text


def test_it_sends_a_visitor_who_is_not_logged_in_to_the_login_page(client):
    for name in ("prevention:card", "prevention:card_pdf"):
        response = client.get(reverse(name))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- The PDF ------------------------------------------------------------------------


def test_it_downloads_the_card_as_a_one_page_pdf(login, employee):
    response = download(login(employee))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="handvat-card.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert page_count(response.content) == 1


def test_it_links_the_24_7_number_and_the_report_form_in_the_pdf(login, employee):
    objects = pdf_objects(download(login(employee)).content)

    assert f"(tel:{SUPPORT_PHONE})".encode() in objects
    assert b"(http://testserver/report/new/)" in objects


def test_it_prints_the_organisation_its_24_7_number_and_112(login, employee, tmp_path):
    card = tmp_path / "card.pdf"
    card.write_bytes(download(login(employee)).content)

    text = subprocess.run(["pdftotext", str(card), "-"], capture_output=True, text=True, check=True).stdout

    assert SUPPORT_PHONE in text
    assert "112" in text
    assert "Gemeente Teststad" in text
    assert "Be prepared" in text


def test_it_fits_on_one_page_in_dutch_with_a_long_organisation_name(login, employee):
    organisation = employee.team.organisation
    organisation.name = "Veiligheidsregio en Omgevingsdienst van de Gemeenschappelijke Regeling Midden- en West-Brabant"
    organisation.save()

    response = download(login(employee, language="nl"))

    assert page_count(response.content) == 1


def test_it_puts_nothing_personal_on_the_pdf(login, employee, case):
    objects = pdf_objects(download(login(employee)).content)

    assert b"/my/cases/" not in objects
    assert employee.last_name.encode() not in objects


def test_it_refuses_a_post_on_the_pdf(login, employee):
    response = login(employee).post(reverse("prevention:card_pdf"))

    assert response.status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "http://127.0.0.1:8000/static/img/favicon.svg",
        "file:///etc/passwd",
        "data:image/svg+xml,<svg/>",
        "https://handvat.invalid/media/secret.pdf",
        "https://handvat.invalid/static/../../config/settings.py",
        "https://handvat.invalid/static/%2e%2e/%2e%2e/config/settings.py",
    ],
)
def test_it_refuses_to_fetch_anything_but_its_own_static_files(url):
    assert pdf.static_file(url) is None


def test_it_fetches_its_own_static_files_from_disk():
    found = pdf.static_file("https://handvat.invalid/static/img/favicon.svg")

    assert found is not None
    assert found.read_bytes().startswith(b"<svg")


def test_it_renders_without_what_it_may_not_fetch(caplog):
    html = '<p>Kaart</p><img src="https://example.org/x.png"><link rel="stylesheet" href="http://example.org/x.css">'

    document = pdf.render_html(html)

    assert len(document.pages) == 1
    assert "PDFs load nothing from elsewhere" in caplog.text
