"""Browser tests: Playwright driving Debian's Chromium (never `playwright install`)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page

from people import access
from people.models import User
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Pinned in bin/ensure-axe, which `make test` runs; served to each page by the
# test itself (page.evaluate), never fetched from a CDN.
AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).resolve().parents[2] / "var" / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What fails a journey; "minor" and "moderate" findings are printed, not failed.
AXE_FAILING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium) when run as root.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": PHONE, "device_scale_factor": 1, "has_touch": True}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test` (or bin/ensure-axe) to fetch axe-core {AXE_VERSION}.")
    return AXE_JS.read_text(encoding="utf-8")


def log_in(page: Page, base_url: str, username: str, journey: Journey | None = None) -> None:
    """The real login form; privileged roles type the TOTP code their
    authenticator app would show, computed from their device's key. With a
    ``journey``, the login pages are checked as its steps too."""
    user = User.objects.get(username=username)
    device = None
    if access.must_use_second_factor(user):
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="e2e", defaults={"confirmed": True})
    page.goto(f"{base_url}/accounts/login/")
    if journey is not None:
        journey.check(page, f"{username}-login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    if device is not None:
        page.wait_for_url(re.compile(r"/accounts/two-step/code/"))
        if journey is not None:
            journey.check(page, f"{username}-login-code")
        page.locator("input[name=otp_token]").fill(f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
        page.locator("form:has(input[name=otp_token]) button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def overflow_report(page: Page) -> str:
    """'' when the page fits its width; else how much wider it is, and the
    deepest elements whose hiding makes it fit (text that does not wrap is no
    element of its own, so bounding boxes alone do not find it)."""
    return page.evaluate(
        """() => {
          const width = window.innerWidth;
          const over = document.documentElement.scrollWidth - width;
          if (over <= 0) return "";
          const culprits = [];
          const search = (parent) => {
            let deeper = false;
            for (const child of parent.children) {
              const display = child.style.display;
              child.style.display = "none";
              const fits = document.documentElement.scrollWidth <= width;
              child.style.display = display;
              if (fits && culprits.length < 5) {
                deeper = true;
                if (!search(child)) {
                  const classes = typeof child.className === "string" ? child.className.trim().split(/\\s+/) : [];
                  const name = child.tagName.toLowerCase() + classes.filter(Boolean).map((c) => "." + c).join("");
                  culprits.push(`${name} ("${(child.textContent || "").trim().slice(0, 60)}")`);
                }
              }
            }
            return deeper;
          };
          search(document.body);
          return `${over}px wider than the ${width}px screen, because of: ${culprits.join(", ") || "?"}`;
        }"""
    )


def axe_violations(page: Page, source: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA findings for the page as it is now.
    Evaluated, not added as a <script>: the site's CSP allows no inline scripts."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    return page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 10),
          }));
        }""",
        AXE_TAGS,
    )


def untied_fields(page: Page) -> list[str]:
    """Form fields without a label, and error messages no field points at
    (aria-describedby) or whose field is not marked aria-invalid."""
    return page.evaluate(
        """() => {
          const problems = [];
          for (const el of document.querySelectorAll("form :is(input:not([type=hidden]), textarea, select)")) {
            if (!el.labels || ![...el.labels].some((label) => label.textContent.trim())) {
              problems.push(`${el.name || el.id} has no label`);
            }
          }
          for (const error of document.querySelectorAll("form .field__errors")) {
            const field = error.closest(".field");
            const described = [...field.querySelectorAll("[aria-describedby]")]
              .some((el) => el.getAttribute("aria-describedby").split(/\\s+/).includes(error.id));
            if (!error.id || !described) problems.push(`nothing points at the error "${error.textContent.trim()}"`);
            for (const control of field.querySelectorAll("input:not([type=hidden]), textarea, select")) {
              if (control.getAttribute("aria-invalid") !== "true") problems.push(`${control.id} lacks aria-invalid`);
            }
          }
          return problems;
        }"""
    )


class Journey:
    """Walks through pages: after each step, at phone and at desktop width, a
    screenshot, the layout check and axe-core; then the labels and errors of
    its forms. Problems are gathered so one run shows them all; ``finish()``
    fails on them (the ``journey`` fixture calls it if the test did not)."""

    def __init__(self, artifacts: Path, axe: str, name: str) -> None:
        self.artifacts = artifacts
        self.axe = axe
        self.name = name
        self.steps = 0
        self.problems: list[str] = []
        self.findings: list[str] = []
        self.finished = False

    def check(self, page: Page, step: str) -> None:
        page.wait_for_load_state("load")
        self.steps += 1
        label = f"{self.name}-{self.steps:02d}-{step}"
        size = page.viewport_size or PHONE
        seen: set[tuple[str, str]] = set()
        for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            # Let the page's resize handlers run before anything looks.
            page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            if overflow := overflow_report(page):
                self.problems.append(f"{label} ({page.url}) at {width} width: {overflow}")
            page.screenshot(path=self.artifacts / f"{label}-{width}.png", full_page=True)
            # At both widths: some findings (a table that scrolls sideways) come with the layout.
            for violation in axe_violations(page, self.axe):
                key = (violation["id"], json.dumps(violation["targets"]))
                if key in seen:
                    continue
                seen.add(key)
                line = (
                    f"{label} ({page.url}) at {width} width: [{violation['impact']}] {violation['id']}:"
                    f" {violation['help']} at {key[1]}"
                )
                (self.problems if violation["impact"] in AXE_FAILING_IMPACTS else self.findings).append(line)
        page.set_viewport_size(size)
        self.problems.extend(f"{label} ({page.url}): {problem}" for problem in untied_fields(page))

    def finish(self) -> None:
        self.finished = True
        for line in self.findings:
            print("axe (not failing):", line)
        assert not self.problems, "\n" + "\n".join(self.problems)


@pytest.fixture
def journey(artifacts: Path, axe_source: str) -> Iterator[Callable[[str], Journey]]:
    journeys: list[Journey] = []

    def start(name: str) -> Journey:
        journeys.append(Journey(artifacts, axe_source, name))
        return journeys[-1]

    yield start
    for unfinished in (j for j in journeys if not j.finished):
        unfinished.finish()


@pytest.fixture
def open_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """A fresh browser context (own cookies) per person, closed afterwards.
    ``language="en"`` sets the language cookie; Dutch is the default."""
    contexts: list[BrowserContext] = []

    def open_one(*, viewport: dict[str, int] = PHONE, language: str | None = None) -> BrowserContext:
        context = browser.new_context(
            viewport=viewport,
            device_scale_factor=1,
            has_touch=True,
            accept_downloads=True,
            locale="en-GB" if language == "en" else "nl-NL",  # date fields as people here see them
        )
        context.set_default_timeout(10_000)  # a page here answers in well under a second
        if language:
            context.add_cookies([{"name": "handvat_language", "value": language, "url": live_server.url}])
        contexts.append(context)
        return context

    yield open_one
    for context in contexts:
        context.close()
