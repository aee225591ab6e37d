"""The production-like run (``scripts/prod_like.sh``: DJANGO_DEBUG=false,
collectstatic, gunicorn, a Celery worker and beat under honcho, PostgreSQL and
Redis on loopback started by the script) and a browser smoke test over it:
the public page with its hashed, compressed static files and security
headers, readiness with a worker's heartbeat that beat sent, and a staff
sign-in with TOTP into the admin."""

import os
import re
import signal
import subprocess
import urllib.request

import pytest

from tests.processes import ROOT, free_port, wait_for
from tests.totp import current_totp_code

pytestmark = [pytest.mark.integration, pytest.mark.browser]

SECRET = "JBSWY3DPEHPK3PXP"
CREATE_STAFF = f"""
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user(
    "organizer", "organizer@example.org", "prod-like-pass-2025",
    is_staff=True, is_superuser=True)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
TOTP.activate(user, "{SECRET}")
"""


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:  # not listening yet
        return 0, {}, b""


@pytest.fixture
def prod_like(tmp_path):
    port = free_port()
    log_path = tmp_path / "prod_like.log"
    env = {
        k: v
        for k, v in os.environ.items()
        # tests/browser.py sets DJANGO_ALLOW_ASYNC_UNSAFE for this process
        # only; check --deploy rightly refuses it.
        if k
        not in {
            "DATABASE_URL",
            "CACHE_URL",
            "CELERY_BROKER_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update({"PORT": str(port), "LOG_LEVEL": "WARNING"})
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["bash", "scripts/prod_like.sh"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def line():
        if process.poll() is not None:
            raise AssertionError(log_path.read_text()[-4000:])
        return re.search(r"^PROD_LIKE (.*)$", log_path.read_text(), re.MULTILINE)

    try:
        found = wait_for(line, 240, 0.2, "scripts/prod_like.sh to set up")
        values = dict(part.split("=", 1) for part in found.group(1).split())
        base = f"http://localhost:{port}"
        wait_for(
            lambda: (
                _get(f"{base}/health/background")[0] == 200
                if process.poll() is None
                else pytest.fail(log_path.read_text()[-4000:])
            ),
            90,
            0.3,
            "gunicorn, a worker and beat",
        )
        yield {"base": base, "database_url": values["DATABASE_URL"], "log": log_path}
    finally:
        # honcho passes SIGTERM on; the script then stops its servers.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        print(log_path.read_text()[-6000:])


def test_prod_like_run_serves_the_site_with_worker_and_beat(prod_like, page):
    base = prod_like["base"]
    ready = _get(f"{base}/health/ready")
    import json

    body = json.loads(ready[2])
    status, headers, html = _get(f"{base}/", {"X-Forwarded-Proto": "https"})
    css = re.search(rb'href="(/static/portal/portal\.[0-9a-f]{12}\.css)"', html)
    static_status, static_headers, _ = _get(
        f"{base}{css.group(1).decode()}", {"Accept-Encoding": "gzip"}
    )
    subprocess.run(
        [".venv/bin/python", "manage.py", "shell", "-c", CREATE_STAFF],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": prod_like["database_url"],
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "only-creates-a-user-" + "x" * 40,
        },
        check=True,
        capture_output=True,
    )

    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Security Policy" in m.text else None,
    )
    page.goto(f"{base}/")
    stylesheet_rules = page.evaluate(
        "() => [...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0)"
    )
    page.goto(f"{base}/admin/")
    page.wait_for_url("**/accounts/login/**")
    page.locator("[name=login]").fill("organizer@example.org")
    page.locator("[name=password]").fill("prod-like-pass-2025")
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.locator("[name=code]").fill(current_totp_code(SECRET))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(f"{base}/admin/")

    assert ready[0] == 200
    assert body["checks"]["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["checks"]["cache"] == {"ok": True, "backend": "RedisCache"}
    assert body["background"]["worker"]["node"].startswith("worker1@")
    assert body["background"]["beat"]["ok"] is True
    assert status == 200
    assert headers["Server"] == "gunicorn"
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert static_status == 200
    assert static_headers["Content-Encoding"] == "gzip"
    assert "immutable" in static_headers["Cache-Control"]
    assert stylesheet_rules > 1000  # Bootstrap and portal.css, from WhiteNoise
    assert page.locator("#site-name, h1").first.is_visible()
    assert violations == []
