"""Drives the specialist's image pages in headless Chromium (Debian's, never a downloaded build).

Its own process: Playwright's sync API must not share the test process's eventlet hub, which
serves the gateway meanwhile. Prints JSON of what the page showed.

    python -m services.followup.tests.image_browser <base url> <user> <password> <journey> <screenshot>
"""
import json
import sys

from playwright.sync_api import sync_playwright

from services.gateway.tests.browser import ARGS, CHROMIUM


def visit(base: str, username: str, password: str, journey: str, screenshot: str) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 900, "height": 900})
        page.goto(f"{base}/ui/journeys/{journey}/images")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("#images")
        seen = {"accession": page.inner_text("#accession"),
                "rows": page.locator("tr.image td:nth-child(5)").all_inner_texts()}
        page.locator("tr.image a").first.click()
        page.wait_for_selector("#preview")
        page.wait_for_function("document.querySelector('#preview').complete")
        seen["preview_width"] = page.evaluate("document.querySelector('#preview').naturalWidth")
        seen["identity"] = page.inner_text("#identity")
        seen["header"] = dict(zip(page.locator("#header th").all_inner_texts(),
                                  page.locator("#header td").all_inner_texts(), strict=True))
        seen["presets"] = page.inner_text("#presets")
        seen["original"] = page.get_attribute("#original", "href")
        page.screenshot(path=screenshot, full_page=True)
        browser.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(visit(*sys.argv[1:6])))
