"""Playwright fixtures for browser tests (``@pytest.mark.browser``).

- ``browser``: one headless Chromium (Debian's /usr/bin/chromium) for the
  session. A missing Chromium fails the tests that need it; it never skips them.
- ``page``: a page in a fresh browser context (own cookies) per test.
- ``admin_login(page, live_server, user, password)``: signs a staff user into
  the admin through the login form; the one place to change when the login
  flow changes.

Playwright's sync API runs an event loop in the test's thread, and Django
refuses database work in a thread with a running loop unless
DJANGO_ALLOW_ASYNC_UNSAFE is set: the tests themselves are synchronous, so it
is set here, when the plugin loads.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
# How long a page may take to load or an element to appear, in milliseconds.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM_PATH).is_file():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM_PATH}: install Debian's chromium "
            "package (scripts/test.sh does)."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def admin_login(page, live_server, user, password: str) -> None:
    """Sign ``user`` into the admin through the login form; returns on the
    admin's index page (fails the test otherwise)."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("#login-form [name=username]").fill(user.get_username())
    page.locator("#login-form [name=password]").fill(password)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("#login-form")).to_have_count(0)
