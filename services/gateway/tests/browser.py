"""Drives the staff pages in headless Chromium (Debian's, never a downloaded build).

Run as its own process: Playwright's sync API must not share the test
process's eventlet hub, which serves the gateway meanwhile. Prints JSON.

    python -m services.gateway.tests.browser <base url> <username> <password>
"""
import json
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def sign_in(page, base: str, username: str, password: str, next_path: str, ready: str) -> None:
    """Sign in on the login page, sent on to `next_path`, and wait for its `ready` selector."""
    page.goto(f"{base}/ui/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_selector(ready)


def visit(base: str, username: str, password: str, screenshot: str | None = None) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{base}/ui/board")
        seen = {"login_page": page.url.split("?")[0].endswith("/ui/login")}
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("#board")
        seen["board_url"] = page.url
        seen["cookie"] = [{k: c[k] for k in ("name", "httpOnly", "sameSite")} for c in page.context.cookies()]
        rows = page.locator("tr.journey")
        seen["rows"] = [{"journey": rows.nth(i).get_attribute("data-journey"),
                         "stalled": "stalled" in (rows.nth(i).get_attribute("class") or "")}
                        for i in range(rows.count())]
        rows.first.locator("a").click()
        page.wait_for_selector("#timeline")
        if screenshot:
            page.screenshot(path=screenshot, full_page=True)
        seen["timeline_url"] = page.url
        seen["stage"] = page.inner_text("#stage")
        seen["waiting"] = page.inner_text("#waiting")
        seen["facts"] = page.locator("#timeline tbody tr td:nth-child(3)").all_inner_texts()
        browser.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(visit(*sys.argv[1:4], *(sys.argv[4:5] or [None]))))
