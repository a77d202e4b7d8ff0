"""One headless Chromium (Debian's, never a downloaded build) that a test steers through the staff pages:
each role in a browser context of its own, signed in through /ui/login; the journey page read, its forms
filled and sent, the timeline waited on, and the page kept as screenshots at desktop and phone size.

Playwright's sync API must not share the test process's eventlet hub, so the browser runs in a process of
its own (`python -m tests.e2e.staff_browser <screenshot dir>`) that takes one JSON command a line on stdin
and answers each with one JSON line on stdout. `StaffBrowser` is the test's side of it.
"""
import sys
import time
from pathlib import Path

from tests.e2e.browser_process import BrowserProcess, answer_commands

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
# What the test reads of a journey page.
STATE = """() => ({
  url: location.href, status: document.title,
  forms: [...document.querySelectorAll('section.action')].map(s => s.id),
  details: !!document.querySelector('#patient'), text: document.querySelector('main').innerText,
  facts: [...document.querySelectorAll('#timeline tbody tr td:nth-child(3)')].map(td => td.innerText),
  done: (document.querySelector('#done') || {}).innerText || null,
  errors: [...document.querySelectorAll('.field-error, .form-error')].map(e => e.innerText),
  overflow: document.documentElement.scrollWidth - window.innerWidth,
})"""


class StaffBrowser(BrowserProcess):
    """The test's handle on the browser process."""

    def __init__(self, out: Path, root: Path):
        super().__init__("tests.e2e.staff_browser", [str(out)], root)

    def sign_in(self, base: str, username: str, password: str, path: str) -> dict:
        """A new browser context (no cookies): the page at `path` asks to sign in first, and opens after."""
        return self._ask("sign_in", base=base, username=username, password=password, path=path)

    def fill(self, form: str, values: dict) -> None:
        """Fill the inputs of the form in section #`form`, by name: text, a select's value, or a list of
        checkboxes to tick."""
        self._ask("fill", form=form, values=values)

    def send(self, form: str, double_click: bool = False) -> dict:
        """Press the form's button (twice in quick succession, as an impatient user might) and wait for
        the page it leads to."""
        return self._ask("send", form=form, double_click=double_click)

    def wait_fact(self, text: str, count: int = 1, timeout: float = 60) -> dict:
        """Until the timeline holds `count` facts that read `text` (the page refreshes itself after a form,
        and is reloaded meanwhile)."""
        return self._ask("wait_fact", text=text, count=count, timeout=timeout)

    def shots(self, name: str) -> dict:
        """journey-<name>-desktop.png and -phone.png, full page; the phone size's state."""
        return self._ask("shots", name=name)


def serve(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from services.gateway.tests.browser import ARGS, CHROMIUM
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("journey-*.png"):
        old.unlink()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = page = None
        def run(op: str, command: dict):
            nonlocal context, page
            if op == "sign_in":
                if context is not None:
                    context.close()
                context = browser.new_context(viewport=DESKTOP, locale="en-GB", device_scale_factor=1)
                page = context.new_page()
                return _sign_in(page, **command)
            if op == "fill":
                return _fill(page, **command)
            if op == "send":
                return _send(page, **command)
            if op == "wait_fact":
                return _wait_fact(page, **command)
            if op == "shots":
                return _shots(page, out, command["name"])
            return None

        answer_commands(run)
        browser.close()


def _sign_in(page, base: str, username: str, password: str, path: str) -> dict:
    page.goto(f"{base}{path}")
    if "/ui/login" not in page.url:
        raise AssertionError(f"{page.url} opened without signing in")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page.evaluate(STATE)


def _fill(page, form: str, values: dict) -> None:
    section = page.locator(f"section#{form}")
    for name, value in values.items():
        if isinstance(value, list):
            for code in value:
                section.locator(f'input[type=checkbox][name="{name}"][value="{code}"]').check()
            continue
        found = section.locator(f'[name="{name}"]')
        if found.evaluate("e => e.tagName") == "SELECT":
            found.select_option(value)
        else:
            found.fill(value)


def _send(page, form: str, double_click: bool) -> dict:
    button = page.locator(f"section#{form} button[type=submit]")
    if not double_click:
        with page.expect_navigation():
            button.click()
        page.wait_for_load_state()
        return page.evaluate(STATE)
    # The second submission may abort the first's navigation: look until a page says how it went.
    button.dblclick(no_wait_after=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            page.wait_for_load_state()
            state = page.evaluate(STATE)
            if state["done"] or state["errors"]:
                return state
        except Exception:   # the page went away under the look: look again
            state = None
        if time.monotonic() > deadline:
            raise AssertionError(f"no answer to the double-clicked form {form!r}: "
                                 f"{state and state['text'][:300]}")
        time.sleep(0.2)


def _wait_fact(page, text: str, count: int, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            state = page.evaluate(STATE)
            if sum(1 for fact in state["facts"] if text in fact) >= count:
                return state
        except Exception:   # the page went away under the look (its own refresh): look again
            state = None
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not on the timeline after {timeout:.0f}s: "
                                 f"{state and state['facts']}")
        time.sleep(1.0)
        if state is not None and not state["text"].count("looks again"):
            page.reload()


def _shots(page, out: Path, name: str) -> dict:
    page.screenshot(path=str(out / f"journey-{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    try:
        page.wait_for_timeout(100)
        page.screenshot(path=str(out / f"journey-{name}-phone.png"), full_page=True)
        return page.evaluate(STATE)
    finally:
        page.set_viewport_size(DESKTOP)


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
