"""Shows My work in headless Chromium (Debian's, never a downloaded build) at desktop and phone size: signs in
through the sign-in page with no page asked for (so it lands where every role lands), and writes a
full-page screenshot of each size to the folder given. Run as its own process (Playwright's sync API must
not share the test process's eventlet hub). Prints what it saw as JSON.

    python -m services.gateway.tests.work_browser <base url> <username> <password> <out dir>
"""
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from services.gateway.tests.browser import ARGS, CHROMIUM, sign_in
from services.gateway.tests.staff_browser import SIZES

CHECKS = """() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  nav: document.querySelector('#my-work').innerText,
  summary: document.querySelector('#summary').innerText,
  sections: [...document.querySelectorAll('section.work')].map(s => s.dataset.kind),
  links: [...document.querySelectorAll('section.work a.do')].map(a => a.getAttribute('href')),
  names: [...document.querySelectorAll('section.work .name')].map(n => n.innerText),
  unavailable: [...document.querySelectorAll('section.work .unavailable')].map(p => p.innerText),
})"""


def show(base: str, username: str, password: str, out: str) -> dict:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for size, (width, height) in SIZES.items():
            page = browser.new_context(viewport={"width": width, "height": height}).new_page()
            sign_in(page, base, username, password, "", "section.work")
            page.screenshot(path=str(folder / f"{size}-work.png"), full_page=True)
            seen[size] = {**page.evaluate(CHECKS), "url": page.url}
            page.context.close()
        browser.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(show(*sys.argv[1:5])))
