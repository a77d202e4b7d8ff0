"""Shows the staff board with names and Find a patient's results in headless Chromium (Debian's, never a
downloaded build), at desktop and phone size, signed in through the sign-in page, searching from the
box in the staff nav; writes a full-page screenshot of each to the folder given. Run as its own process
(Playwright's sync API must not share the test process's eventlet hub). Prints what it saw as JSON.

    python -m services.gateway.tests.staff_browser <base url> <username> <password> <out dir> <query>
"""
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from services.gateway.tests.browser import ARGS, CHROMIUM, sign_in

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
CHECKS = """(table) => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  unlabelled: [...document.querySelectorAll('input:not([type=hidden]), select')]
      .filter(f => !(f.labels && f.labels.length) && !f.getAttribute('aria-label')).map(f => f.name || f.id),
  names: [...document.querySelectorAll(table + ' .name')].map(a => a.innerText),
})"""


def show(base: str, username: str, password: str, out: str, query: str) -> dict:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for size, (width, height) in SIZES.items():
            page = browser.new_context(viewport={"width": width, "height": height}).new_page()
            sign_in(page, base, username, password, "/ui/board", "#board")
            page.screenshot(path=str(folder / f"{size}-board.png"), full_page=True)
            seen[f"{size} board"] = page.evaluate(CHECKS, "#board")
            page.fill("header input[name=q]", query)
            page.press("header input[name=q]", "Enter")
            page.wait_for_selector("#results")
            page.screenshot(path=str(folder / f"{size}-search.png"), full_page=True)
            seen[f"{size} search"] = {**page.evaluate(CHECKS, "#results"), "url": page.url}
            page.context.close()
        browser.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(show(*sys.argv[1:6])))
