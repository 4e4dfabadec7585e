"""Browser journeys: Playwright drives Debian's Chromium against Django's live server.

Every page a journey visits is scanned with axe (WCAG 2.x A and AA rules) and every request
the page makes is checked to stay on our own host.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.screening.staff import PASSWORD, app_of, code_now, make_editor

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def check_accessibility(page: Page) -> None:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


class Visitor:
    """A page plus the checks that run on everything it shows."""

    def __init__(self, page: Page, base_url: str, *, scan_page: Page | None = None) -> None:
        self.page = page
        # Axe runs as a script: for a page with JavaScript off, the same markup is scanned in
        # a second page that has it on (scan_page), at the same address.
        self.scan_page = scan_page
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.scanned: list[str] = []
        page.on("request", self._on_request)
        page.on("response", self._on_response)

    def _on_request(self, request) -> None:
        if urlsplit(request.url).netloc != self.host and not request.url.startswith("data:"):
            self.foreign_requests.append(request.url)

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.status} {response.url}")

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def check(self) -> None:
        """Scan the page now shown; called after every navigation."""
        self.page.wait_for_load_state()
        if self.scan_page is None:
            check_accessibility(self.page)
        else:
            self.scan_page.goto(self.base_url + "/help/")
            self.scan_page.set_content(self.page.content())
            check_accessibility(self.scan_page)
        self.scanned.append(urlsplit(self.page.url).path)

    def click_and_check(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.check()

    def finish(self) -> None:
        assert self.foreign_requests == [], "requests to other hosts"
        assert self.failed_requests == [], "requests that failed"


class Keyboard:
    """A person who uses the keyboard alone: Tab, arrow keys, Space and Enter."""

    def __init__(self, visitor: Visitor) -> None:
        self.visitor = visitor
        self.page = visitor.page

    def tab_to(self, predicate: str, limit: int = 60) -> None:
        """Press Tab until ``predicate`` (JavaScript, about document.activeElement) holds."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate(predicate):
                return
        raise AssertionError(f"Tab never reached: {predicate}")

    def choose(self, label: str) -> None:
        """Tab onto the option (or its radio group), then arrow keys or Space select it."""
        target = (
            "(() => { const el = document.activeElement;"
            " return el && el.labels && el.labels.length > 0 &&"
            f" el.labels[0].textContent.trim() === {label!r}; }})()"
        )
        group = (
            "(() => { const el = document.activeElement;"
            " return el && (el.type === 'radio' || el.type === 'checkbox'); })()"
        )
        self.tab_to(group)
        for _ in range(12):
            if self.page.evaluate(target):
                self.page.keyboard.press("Space")
                return
            kind = self.page.evaluate("document.activeElement.type")
            self.page.keyboard.press("ArrowDown" if kind == "radio" else "Tab")
        raise AssertionError(f"could not reach the option {label!r}")

    def _press_enter_on(self, tag: str, name: str) -> None:
        self.tab_to(
            "(() => { const el = document.activeElement;"
            f" return el && el.tagName === {tag!r} && el.textContent.trim() === {name!r}; }})()"
        )
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.visitor.check()

    def submit(self, name: str) -> None:
        """Tab to the button called ``name`` and press Enter; the next page is checked."""
        self._press_enter_on("BUTTON", name)

    def follow(self, name: str) -> None:
        """Tab to the link called ``name`` and press Enter; the next page is checked."""
        self._press_enter_on("A", name)


def log_in(page: Page, base_url: str, user, password: str, *, next_path: str = "") -> None:
    """Sign in through the admin's login page, both steps, as a staff member does."""
    page.goto(f"{base_url}/admin/login/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("6-digit code from your authenticator app").fill(code_now(app_of(user)))
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def editor_page(seed_content, browser: Browser, live_server) -> Page:
    """A separate browser, signed in to the admin as a content editor (both steps)."""
    editor = make_editor(password=PASSWORD)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, live_server.url, editor, PASSWORD, next_path="/admin/")
    expect(page.get_by_role("link", name="Articles", exact=True)).to_be_visible()
    yield page
    context.close()


@pytest.fixture
def visitor(page: Page, live_server) -> Iterator[Visitor]:
    visitor = Visitor(page, live_server.url)
    yield visitor
    visitor.finish()


pytestmark = pytest.mark.browser
