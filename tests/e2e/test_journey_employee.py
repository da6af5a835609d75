"""An employee reports on a phone: a refused file and a missing answer are
shown beside their fields, what she typed stays, and the good file is kept."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from playwright.sync_api import expect

from doxing_cases.models import Case
from tests.e2e.conftest import log_in
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESCRIPTION = "My address is in a Telegram group since tonight, with a photo of my front door."


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_it_files_a_report_on_a_phone_after_a_refused_file_and_a_missing_answer(
    live_server, open_context, journey, language
):
    def t(text: str) -> str:
        with translation.override(language):
            return gettext(text)

    team = TeamFactory(name="Handhaving Centrum")
    UserFactory(username="employee", first_name="Sanne", last_name="de Vries", team=team)
    steps = journey(f"employee-{language}")
    page = open_context(language=language).new_page()

    log_in(page, live_server.url, "employee", steps)
    steps.check(page, "home")
    page.get_by_role("link", name=t("Report something")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Report what happened"))
    steps.check(page, "report-form")

    # First try: the danger question is left open, and one of the two files is
    # not a screenshot at all (a text file dressed up as a PNG).
    page.get_by_label(t("What happened?")).fill(DESCRIPTION)
    page.get_by_label(t("Phone number to reach you")).fill("06-12345678")
    page.get_by_label(t("Screenshots")).set_input_files(
        [
            {"name": "front-door.png", "mimeType": "image/png", "buffer": png_bytes()},
            {"name": "notes.png", "mimeType": "image/png", "buffer": b"just some text, not an image\n" * 4},
        ]
    )
    page.get_by_role("button", name=t("Send report")).last.click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(t("Please check your answers"))
    expect(summary).to_contain_text(t("Is anyone in danger right now?"))
    expect(summary).to_contain_text("notes.png")
    expect(page.get_by_label(t("What happened?"))).to_have_value(DESCRIPTION)
    expect(page.get_by_label(t("Phone number to reach you"))).to_have_value("06-12345678")
    expect(page.locator(".kept-files")).to_contain_text("front-door.png")
    expect(page.locator(".kept-files")).not_to_contain_text("notes.png")
    assert not Case.objects.exists()
    steps.check(page, "report-errors")

    page.get_by_role("radio", name=t("No")).first.check()
    page.get_by_role("button", name=t("Send report")).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your report has been received"))
    steps.check(page, "report-sent")
    case = Case.objects.get()
    report = case.reports.get()
    assert report.description == DESCRIPTION
    assert [a.original_name for a in report.attachments.all()] == ["front-door.png"]

    page.goto(f"{live_server.url}/my/")
    expect(page.locator("main")).to_contain_text(case.reference)
    steps.check(page, "my-overview")
    steps.finish()
