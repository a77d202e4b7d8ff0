"""Tours the patient portal in headless Chromium (Debian's, never a downloaded build): opens the
personal link, visits every page of the menu at desktop and phone size in each language given (and from the
questionnaire, the part it offers to go on with), then the pages a patient without a session sees (the
"link has expired" page and the new-link page), and writes a full-page screenshot of each to
var/screenshots/portal/. Given axe-core's script, it checks every page at
phone size with it (the page's CSP allows no script: those contexts bypass it). Run as its own process
(Playwright's sync API must not share the test process's eventlet hub). Prints what it saw as JSON.

    python -m services.gateway.tests.portal_browser <base url> <link token> <out dir> en,nl [axe.min.js]
"""
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from services.gateway.tests.browser import ARGS, CHROMIUM

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
AXE_SIZES = ("phone",)
SESSIONLESS = (("expired", "/p/journey"), ("new-link", "/p/new-link"))   # without a session: 401, the form
FOLLOW = {"/p/questionnaire": "#resume"}   # a menu page's link the tour follows: a part's form
# What every page is checked for in the browser: its language, no sideways scrolling, a label for every
# field, a <main> and an <h1>, and the skip link first on the keyboard.
CHECKS = """() => ({
  lang: document.documentElement.lang,
  h1: (document.querySelector('main h1') || {}).innerText || null,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  unlabelled: [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter(f => !(f.labels && f.labels.length) && !f.getAttribute('aria-label')).map(f => f.name || f.id),
  menu: [...document.querySelectorAll('nav.menu a')].map(a => a.getAttribute('href')),
  what: [...document.querySelectorAll('#access-log td:nth-child(3)')].map(td => td.innerText),
})"""
# axe-core's serious and critical findings on the page, each with the elements it names.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


def tour(base: str, token: str, out: str, languages: list[str], axe: str | None = None) -> dict:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for size, (width, height) in SIZES.items():
            checked = axe if size in AXE_SIZES else None
            for language in languages:   # the browser's locale (dates, numbers) too
                context = browser.new_context(viewport={"width": width, "height": height}, locale=language,
                                              bypass_csp=bool(checked))
                page = context.new_page()
                page.goto(f"{base}/ui/patient?token={token}")
                menu = page.evaluate(CHECKS)["menu"]
                for number, path in enumerate(menu):
                    name = f"{language}-{size}-{number:02d}-{path.strip('/').replace('/', '-')}"
                    seen[f"{language} {size} {path}"] = _visit(page, f"{base}{path}?lang={language}", folder,
                                                               name, checked)
                    link = page.query_selector(FOLLOW[path]) if path in FOLLOW else None
                    if link is not None:
                        onward = link.get_attribute("href")
                        name = f"{language}-{size}-{number:02d}b-{onward.strip('/').replace('/', '-')}"
                        seen[f"{language} {size} {onward}"] = _visit(page, f"{base}{onward}", folder, name,
                                                                     checked)
                context.clear_cookies()   # no session now: what an expired or unknown link shows
                for number, (label, path) in enumerate(SESSIONLESS):
                    name = f"{language}-{size}-{90 + number}-{label}"
                    seen[f"{language} {size} {label}"] = _visit(page, f"{base}{path}?lang={language}", folder,
                                                                name, checked)
                context.close()
        browser.close()
    return seen


def _visit(page, url: str, folder: Path, name: str, axe: str | None) -> dict:
    answer = page.goto(url)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    page.keyboard.press("Tab")
    first_focus = page.evaluate("() => document.activeElement.className")
    seen = {**page.evaluate(CHECKS), "status": answer.status, "first_focus": first_focus,
            "screenshot": f"{name}.png"}
    if axe:
        page.add_script_tag(path=axe)
        seen["axe"] = page.evaluate(AXE_RUN)
    return seen


if __name__ == "__main__":
    print(json.dumps(tour(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(","), *sys.argv[5:6])))
