"""Tours the patient portal in headless Chromium (Debian's, never a downloaded build): opens the
personal link, visits every page of the menu at desktop and phone size in each language given, and
writes a full-page screenshot of each to var/screenshots/portal/. Run as its own process (Playwright's
sync API must not share the test process's eventlet hub). Prints what it saw as JSON.

    python -m services.gateway.tests.portal_browser <base url> <link token> <out dir> en,nl
"""
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from services.gateway.tests.browser import ARGS, CHROMIUM

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
# What every page is checked for in the browser: its language, no sideways scrolling, a label for every
# field, a <main> and an <h1>, and the skip link first on the keyboard.
CHECKS = """() => ({
  lang: document.documentElement.lang,
  h1: (document.querySelector('main h1') || {}).innerText || null,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  unlabelled: [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter(f => !(f.labels && f.labels.length) && !f.getAttribute('aria-label')).map(f => f.name || f.id),
  menu: [...document.querySelectorAll('nav.menu a')].map(a => a.getAttribute('href')),
})"""


def tour(base: str, token: str, out: str, languages: list[str]) -> dict:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for size, (width, height) in SIZES.items():
            for language in languages:   # the browser's locale (dates, numbers) too
                context = browser.new_context(viewport={"width": width, "height": height}, locale=language)
                page = context.new_page()
                page.goto(f"{base}/ui/patient?token={token}")
                menu = page.evaluate(CHECKS)["menu"]
                for number, path in enumerate(menu):
                    answer = page.goto(f"{base}{path}?lang={language}")
                    name = f"{language}-{size}-{number:02d}-{path.strip('/').replace('/', '-')}.png"
                    page.screenshot(path=str(folder / name), full_page=True)
                    page.keyboard.press("Tab")
                    first_focus = page.evaluate("() => document.activeElement.className")
                    seen[f"{language} {size} {path}"] = {**page.evaluate(CHECKS), "status": answer.status,
                                                         "first_focus": first_focus, "screenshot": name}
                context.close()
        browser.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(tour(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(","))))
