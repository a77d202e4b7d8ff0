"""Shows the operations page in headless Chromium (Debian's, never a downloaded build) at desktop and phone
size, signed in through the sign-in page; writes a full-page screenshot of each to the folder given
(admin-operations.png, admin-operations-phone.png). Run as its own process (Playwright's sync API must not
share the test process's eventlet hub). Prints what it saw as JSON.

    python -m services.gateway.tests.operations_browser <base url> <username> <password> <out dir>
"""
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from services.gateway.tests.browser import ARGS, CHROMIUM, sign_in
from services.gateway.tests.staff_browser import SIZES

NAMES = {"desktop": "admin-operations.png", "phone": "admin-operations-phone.png"}
CHECKS = """() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  heading: document.querySelector('h1').innerText,
  nav: [...document.querySelectorAll('header a')].map(a => a.innerText),
  letters: document.querySelectorAll('#letters tr.letter').length,
  emails: document.querySelectorAll('#mail tr.email').length,
  buttons: [...document.querySelectorAll('main button')].filter(b => b.offsetWidth > 0).map(b => b.innerText),
  unnamed: [...document.querySelectorAll('main button')].filter(b => !b.getAttribute('aria-label')).length,
})"""


def show(base: str, username: str, password: str, out: str) -> dict:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_context().new_page()
        sign_in(page, base, username, password, "/ui/admin/operations", "#dead-letters")
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            page.wait_for_selector("#dead-letters")
            page.screenshot(path=str(folder / NAMES[size]), full_page=True)
            seen[size] = page.evaluate(CHECKS)
        browser.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(show(*sys.argv[1:5])))
