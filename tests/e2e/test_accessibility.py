"""The report form without a mouse, its labels and errors tied to their
fields, and a check that the axe-core run used by every journey really finds
violations (so a clean journey means something)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from doxing_cases.models import Case
from tests.e2e.conftest import AXE_FAILING_IMPACTS, PHONE, axe_violations, log_in, overflow_report, untied_fields
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def employee_on_report_form(live_server, open_context) -> Page:
    UserFactory(username="employee", first_name="Sanne", last_name="de Vries", team=TeamFactory())
    page = open_context(language="en").new_page()
    log_in(page, live_server.url, "employee")
    page.goto(f"{live_server.url}/report/new/")
    return page


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", id: el.id || "",
            text: (el.innerText || "").trim(), outline: style.outlineStyle, shadow: style.boxShadow,
            background: style.backgroundColor,
          };
        }"""
    )


def tab_to(page: Page, wanted: str, *, limit: int = 12) -> list[str]:
    """Press Tab until the element matching the CSS selector ``wanted`` has the
    focus; every element passed on the way must show where the focus is."""
    passed: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        passed.append(f"{now['tag']}[name={now['name']}]#{now['id']}")
        assert now["outline"] != "none" or now["shadow"] != "none", f"no visible focus on {passed[-1]}"
        if page.evaluate("(selector) => document.activeElement.matches(selector)", wanted):
            return passed
    raise AssertionError(f"Tab never reached {wanted}; it went through {passed}")


def test_it_files_a_report_with_the_keyboard_only(employee_on_report_form: Page, artifacts):
    page = employee_on_report_form

    # The skip link comes first and takes the focus past the header.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    tab_to(page, "textarea[name=description]")
    page.keyboard.type("Someone posted my licence plate and my street in a Facebook group.")
    tab_to(page, "input[name=in_danger]")
    # Arrow keys move through a radio group and choose; no radio was chosen
    # yet, so the focus starts on the first (yes) and ArrowDown chooses "No".
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="No").first).to_be_checked()
    expect(page.locator("[data-emergency-panel]")).to_be_hidden()
    tab_to(page, "button[type=submit]")
    page.screenshot(path=artifacts / "keyboard-report-form.png")
    page.keyboard.press("Space")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your report has been received")
    report = Case.objects.get().reports.get()
    assert report.description.startswith("Someone posted my licence plate")
    assert report.in_danger == "no"


def test_it_ties_labels_and_errors_to_their_fields(employee_on_report_form: Page, artifacts):
    page = employee_on_report_form
    # A time without a date, a file that is not a screenshot, and the two
    # required answers left open: four fields with an error.
    page.get_by_label("Time, if you know it").fill("21:30")
    page.get_by_label("Screenshots").set_input_files(
        {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}
    )
    page.get_by_role("button", name="Send report").first.click()
    expect(page.get_by_role("alert")).to_contain_text("Please check your answers")
    page.screenshot(path=artifacts / "labels-report-errors.png", full_page=True)

    problems = page.evaluate(
        """() => {
          const problems = [];
          const form = document.querySelector("form[data-report-form]");
          for (const el of form.querySelectorAll("input:not([type=hidden]), textarea, select")) {
            if (!el.labels || el.labels.length === 0) problems.push(`${el.name}#${el.id} has no label`);
            for (const label of el.labels || []) {
              if (!label.textContent.trim()) problems.push(`${el.name}#${el.id} has an empty label`);
            }
          }
          const errors = [...form.querySelectorAll(".field__errors")];
          for (const error of errors) {
            const field = error.closest(".field");
            const text = error.textContent.trim();
            if (!error.id) { problems.push(`an error without an id: ${text}`); continue; }
            const described = [...field.querySelectorAll("[aria-describedby]")]
              .filter((el) => el.getAttribute("aria-describedby").split(/\\s+/).includes(error.id));
            if (described.length === 0) problems.push(`nothing points at the error ${error.id} (${text})`);
            const controls = [...field.querySelectorAll("input:not([type=hidden]), textarea, select")];
            for (const control of controls) {
              if (control.getAttribute("aria-invalid") !== "true") problems.push(`${control.id} lacks aria-invalid`);
            }
          }
          return {problems, errors: errors.map((e) => e.id)};
        }"""
    )
    assert problems["problems"] == []
    assert sorted(problems["errors"]) == [
        "id_description_error",
        "id_in_danger_error",
        "id_screenshots_error",
        "id_started_date_error",
    ]

    # Each error in the summary links to its field, and the link moves the focus there.
    page.get_by_role("link", name="What happened?").click()
    expect(page.get_by_label("What happened?")).to_be_focused()
    expect(page.get_by_label("What happened?")).to_have_accessible_description(
        "In your own words. A few sentences are enough. Error: This field is required."
    )


def test_it_lets_axe_find_real_violations(page: Page, axe_source: str):
    """The same axe run the journeys use, on a page that breaks the rules."""
    page.set_content(
        '<html><head><title>x</title></head><body><main><img src="data:,">'
        '<input type="text" name="unlabelled"><p style="color:#bbb;background:#fff">faint text</p></main></body></html>'
    )
    found = {violation["id"]: violation for violation in axe_violations(page, axe_source)}
    assert {"image-alt", "label", "color-contrast", "html-has-lang"} <= found.keys()
    assert found["image-alt"]["impact"] in AXE_FAILING_IMPACTS
    assert found["label"]["targets"] == ["input"]


def test_it_lets_the_journeys_find_untied_fields_and_errors(page: Page):
    """The field check every journey step runs, on a form that gets it wrong."""
    page.set_content(
        '<form><div class="field"><label for="a">Name</label><input id="a" name="a">'
        '<ul class="field__errors" id="a_error"><li>Required.</li></ul></div>'
        '<input name="b"></form>'
    )
    assert untied_fields(page) == ["b has no label", 'nothing points at the error "Required."', "a lacks aria-invalid"]


def test_it_finds_a_page_wider_than_the_phone(page: Page):
    page.set_viewport_size(PHONE)
    page.set_content(
        '<body style="margin:0"><p>fits</p>'
        '<section><div class="wide" style="width:600px">too wide</div></section></body>'
    )
    assert overflow_report(page) == '210px wider than the 390px screen, because of: div.wide ("too wide")'
