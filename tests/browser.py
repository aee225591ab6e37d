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

from tests.totp import current_totp_code

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
    """Sign staff ``user`` into the admin the way staff do: the portal's
    login page (email and password), then the TOTP code (two-factor is
    required for the admin). Gives the user a verified email address and a
    TOTP authenticator first when they have none. Returns on the admin's
    index page (fails the test otherwise)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache
    from playwright.sync_api import expect

    EmailAddress.objects.update_or_create(
        user=user,
        email=user.email.lower(),
        defaults={"verified": True, "primary": True},
    )
    authenticator = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    secret = decrypt(authenticator.data["secret"])
    # allauth refuses a code used in the last 30 s (kept in the cache) and
    # rate-limits logins: start clean.
    cache.clear()

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.wait_for_url("**/accounts/login/**")
    page.locator("[name=login]").fill(user.email)
    page.locator("[name=password]").fill(password)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.locator("[name=code]").fill(current_totp_code(secret))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("[name=code]")).to_have_count(0)
