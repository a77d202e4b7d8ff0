"""Shows the staff users page in headless Chromium (Debian's, never a downloaded build) at desktop and
phone size, signed in through the sign-in page; writes a full-page screenshot of each to the folder given
(admin-users.png, admin-users-phone.png). Run as its own process (Playwright's sync API must not share
the test process's eventlet hub). Prints what it saw as JSON.

    python -m services.gateway.tests.admin_browser <base url> <username> <password> <out dir>
"""
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from services.gateway.tests.browser import ARGS, CHROMIUM, sign_in

SIZES = {"desktop": ((1280, 800), "admin-users.png"), "phone": ((390, 844), "admin-users-phone.png")}
CHECKS = """() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  unlabelled: [...document.querySelectorAll('input:not([type=hidden]), select')]
      .filter(f => !(f.labels && f.labels.length) && !f.getAttribute('aria-label')).map(f => f.name || f.id),
  users: document.querySelectorAll('#users tr.user').length,
  heading: document.querySelector('h1').innerText,
})"""


def show(base: str, username: str, password: str, out: str) -> dict:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, base, username, password, "/ui/admin/users", "#users")
        for size, ((width, height), name) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            page.wait_for_selector("#users")
            page.screenshot(path=str(folder / name), full_page=True)
            seen[size] = page.evaluate(CHECKS)
        browser.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(show(*sys.argv[1:5])))
