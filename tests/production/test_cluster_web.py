"""Two web processes (gunicorn, deploy/gunicorn.conf.py) on different ports
behind one address (a round-robin proxy), sharing PostgreSQL and Redis
(CACHE_URL): a session made on one is valid on the other; failed logins
counted on both hit one limit; a TOTP code used on one is refused on the
other. Nothing of this lives in a process's memory."""

import re
import tempfile
from pathlib import Path

import pytest
import requests
from allauth.mfa.totp.internal.auth import TOTP

from tests.processes import RedisServer
from tests.production.cluster import Gunicorn, RoundRobinProxy
from tests.servers import _test_database_url
from tests.totp import current_totp_code

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SECRET = "JBSWY3DPEHPK3PXP"
TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture(scope="module")
def two_web_processes(django_db_setup):
    """Started once for the module (each test uses its own accounts): two
    gunicorn processes on the test database and a Redis of their own."""
    import os

    redis_server = RedisServer()
    redis_server.start()
    base = redis_server.url.rsplit("/", 1)[0]
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": _test_database_url(),
        "CACHE_URL": f"{base}/1",
        "CELERY_BROKER_URL": f"{base}/0",
        # No collectstatic here: DEBUG serves the pages' static URLs unhashed.
        # What is shared between processes does not depend on it.
        "DJANGO_DEBUG": "true",
        "LOG_LEVEL": "WARNING",
    }
    log_dir = Path(tempfile.mkdtemp(prefix="hanoi-web-"))
    webs = [Gunicorn(env, log_dir, "web-a"), Gunicorn(env, log_dir, "web-b")]
    proxy = RoundRobinProxy([web.url for web in webs])
    try:
        for web in webs:
            web.start()
        proxy.start()
        yield webs, proxy
    finally:
        proxy.stop()
        for web in webs:
            web.stop()
        redis_server.stop()
        for web in webs:
            print(f"--- {web.log_path} ---\n{web.log_path.read_text()[-3000:]}")


def _csrf(session, url):
    html = session.get(url, timeout=10).text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _set_password(user, password):
    """Hashed as the web processes hash (this test process uses MD5 for speed,
    which they do not accept)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user.password = PBKDF2PasswordHasher().encode(password, "clustersalt1234")
    user.save()


def _login(session, base, email, password, *, form_from=None):
    token = _csrf(session, f"{form_from or base}/accounts/login/")
    return session.post(
        f"{base}/accounts/login/",
        {"csrfmiddlewaretoken": token, "login": email, "password": password},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )


def _code(session, base, code):
    token = _csrf(session, f"{base}/accounts/2fa/authenticate/")
    return session.post(
        f"{base}/accounts/2fa/authenticate/",
        {"csrfmiddlewaretoken": token, "code": code},
        headers={"Referer": f"{base}/accounts/2fa/authenticate/"},
        timeout=10,
    )


def test_a_session_made_on_one_web_process_is_valid_on_the_other(
    two_web_processes,
):
    from tests.factories import EventFactory, VerifiedUserFactory

    (web_a, web_b), _proxy = two_web_processes
    EventFactory(is_current=True)
    user = VerifiedUserFactory(email="mai@member.example")
    _set_password(user, PASSWORD)
    session = requests.Session()

    signed_in = _login(session, web_a.url, "mai@member.example", PASSWORD)
    # The cookie is the same on both ports (cookies ignore the port).
    on_b = session.get(f"{web_b.url}/portal/", allow_redirects=False, timeout=10)
    anonymous = requests.get(f"{web_b.url}/portal/", allow_redirects=False)

    assert signed_in.url == f"{web_a.url}/portal/"
    assert on_b.status_code == 200
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/")


def test_failed_logins_through_both_processes_hit_one_limit(two_web_processes):
    from tests.factories import EventFactory, VerifiedUserFactory

    (web_a, _web_b), proxy = two_web_processes
    EventFactory(is_current=True)
    user = VerifiedUserFactory(email="fp@example.org")
    _set_password(user, PASSWORD)
    session = requests.Session()

    # login_failed: 5 per address in 5 minutes (settings.ACCOUNT_RATE_LIMITS).
    # The form (and its CSRF token) from web A; each POST through the proxy,
    # which alternates between the two processes (only this test uses it).
    failures = [
        _login(session, proxy.url, "fp@example.org", "wrong", form_from=web_a.url)
        for _ in range(5)
    ]
    sixth = _login(session, proxy.url, "fp@example.org", PASSWORD, form_from=web_a.url)

    assert proxy.served == [0, 1, 0, 1, 0, 1]
    assert [TOO_MANY in r.text for r in failures] == [False] * 5
    assert TOO_MANY in sixth.text
    assert sixth.url.endswith("/accounts/login/")


def test_a_totp_code_used_on_one_process_is_refused_on_the_other(
    two_web_processes,
):
    from tests.factories import EventFactory, VerifiedUserFactory

    (web_a, web_b), _proxy = two_web_processes
    EventFactory(is_current=True)
    staff = VerifiedUserFactory(
        email="organizer@example.org", is_staff=True, is_superuser=True
    )
    _set_password(staff, PASSWORD)
    TOTP.activate(staff, SECRET)
    first, second = requests.Session(), requests.Session()

    _login(first, web_a.url, "organizer@example.org", PASSWORD)
    code = current_totp_code(SECRET, margin=10)
    accepted = _code(first, web_a.url, code)
    _login(second, web_b.url, "organizer@example.org", PASSWORD)
    replayed = _code(second, web_b.url, code)
    admin_for_second = second.get(
        f"{web_b.url}/admin/", allow_redirects=False, timeout=10
    )

    assert accepted.url == f"{web_a.url}/portal/"
    assert first.get(f"{web_b.url}/admin/", timeout=10).url == f"{web_b.url}/admin/"
    assert replayed.url == f"{web_b.url}/accounts/2fa/authenticate/"
    assert "Incorrect code." in replayed.text
    assert admin_for_second.status_code == 302
