"""One headless Chromium (Debian's, never a downloaded build) that a test steers page by page, at phone size
(390x844), writing a full-page screenshot of every page it lands on as <lang>-NN-<page>.png.

Playwright's sync API must not share the test process's eventlet hub, so the browser runs in a process of
its own (`python -m tests.e2e.walk_browser <out dir> <lang>`) that takes one JSON command a line on stdin
and answers each with one JSON line on stdout. `Browser` is the test's side of it.
"""
import sys
import time
from pathlib import Path

from tests.e2e.browser_process import BrowserProcess, answer_commands

PHONE = {"width": 390, "height": 844}
# What the test reads of a page: its address and status, its language, its <h1> and its main text.
STATE = """() => ({
  url: location.href, lang: document.documentElement.lang, title: document.title,
  h1: (document.querySelector('h1') || {}).innerText || null,
  text: (document.querySelector('main') || document.body).innerText,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
})"""
# Answers every question of a questionnaire part as a patient might: the first choice of each choice
# and yes/no question, the middle of each scale, the smallest whole number allowed, and a few words.
ANSWER_PART = """() => {
  let answered = 0;
  for (const q of document.querySelectorAll('form .question')) {
    const radios = [...q.querySelectorAll('input[type=radio]')];
    const boxes = [...q.querySelectorAll('input[type=checkbox]')];
    const number = q.querySelector('input[type=number]'), text = q.querySelector('textarea');
    if (q.querySelector('.scale')) radios[Math.floor(radios.length / 2)].checked = true;
    else if (radios.length) radios[0].checked = true;
    else if (boxes.length) boxes[0].checked = true;
    else if (number) number.value = number.min || '0';
    else if (text) text.value = 'Gaat goed';
    else continue;
    answered++;
  }
  return answered;
}"""


class Browser(BrowserProcess):
    """The test's handle on the browser process; each call returns the page's state (see STATE)."""

    def __init__(self, out: Path, language: str, root: Path):
        super().__init__("tests.e2e.walk_browser", [str(out), language], root)

    def open(self, url: str, page: str) -> dict:
        """A new browser context (another device: no cookies), at this address."""
        return self._ask("open", url=url, page=page)

    def goto(self, url: str, page: str) -> dict:
        return self._ask("goto", url=url, page=page)

    def click(self, selector: str, page: str | None) -> dict | None:
        """Click and wait for the page it leads to; None for a page that only passes the browser on
        (kept as no screenshot)."""
        return self._ask("click", selector=selector, page=page)

    def wait_for(self, selector: str, page: str, timeout: float = 60) -> dict:
        """Until `selector` shows, across the page's own reloads (a meta refresh)."""
        return self._ask("wait_for", selector=selector, page=page, timeout=timeout)

    def fill(self, selector: str, value: str) -> None:
        self._ask("fill", selector=selector, value=value)

    def check(self, selector: str) -> None:
        self._ask("check", selector=selector)

    def select(self, selector: str, value: str) -> None:
        self._ask("select", selector=selector, value=value)

    def attach(self, selector: str, path: Path) -> None:
        self._ask("attach", selector=selector, path=str(path))

    def answer_part(self) -> int:
        """Answer every question of the questionnaire part on the page; how many were answered."""
        return self._ask("answer_part")

    def shots(self) -> list[str]:
        return self._ask("shots")


def serve(out: Path, language: str) -> None:
    from playwright.sync_api import sync_playwright

    from services.gateway.tests.browser import ARGS, CHROMIUM
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{language}-*.png"):
        old.unlink()
    shots: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = page = None

        def seen(name: str, status: int | None = None) -> dict:
            page.wait_for_load_state()
            shot = f"{language}-{len(shots) + 1:02d}-{name}.png"
            page.screenshot(path=str(out / shot), full_page=True)
            shots.append(shot)
            return {**page.evaluate(STATE), "status": status, "screenshot": shot}

        def run(op: str, command: dict):
            nonlocal context, page
            if op == "open":
                if context is not None:
                    context.close()
                context = browser.new_context(viewport=PHONE, locale=language, device_scale_factor=1)
                page = context.new_page()
                answer = page.goto(command["url"])
                return seen(command["page"], answer.status)
            if op == "goto":
                answer = page.goto(command["url"])
                return seen(command["page"], answer.status)
            if op == "click":
                with page.expect_navigation():
                    page.click(command["selector"])
                return seen(command["page"]) if command["page"] else None
            if op == "wait_for":
                return seen(command["page"]) if _wait(page, command["selector"], command["timeout"]) \
                    else {"error": f"{command['selector']} did not show in {command['timeout']}s"}
            if op == "fill":
                return page.fill(command["selector"], command["value"])
            if op == "check":
                return page.check(command["selector"])
            if op == "select":
                page.select_option(command["selector"], command["value"])
                return None
            if op == "attach":
                return page.set_input_files(command["selector"], command["path"])
            if op == "answer_part":
                return page.evaluate(ANSWER_PART)
            if op == "shots":
                return shots
            return {"error": f"no such command: {op}"}

        answer_commands(run)
        browser.close()


def _wait(page, selector: str, timeout: float) -> bool:
    """Look for `selector` again and again; a page reloading itself meanwhile is looked at once loaded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.query_selector(selector):
                return True
        except Exception:   # the document went away under the query (a reload): look again
            pass
        time.sleep(0.25)
    return False


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2])
