"""Shared fixtures. Real-server fixtures (Redis, Celery worker, SMTP) live in
tests/servers.py and are loaded here as a plugin."""

import pytest

pytest_plugins = ["tests.servers", "tests.browser"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 takes about a second a password here; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_celery_producer_pools():
    """Start each test with fresh kombu pools. kombu keeps producer pools in a
    process-wide registry keyed by connection; a test that pointed Celery at
    a broker and closed its pools (the ``broker`` fixture) would otherwise
    leave a closed pool there, and even eager ``apply_async`` acquires a
    producer from it ("Acquire on closed pool")."""
    from hanoi_event.celery import app
    from tests.servers import reset_broker_pools

    reset_broker_pools(app)


@pytest.fixture
def event(db):
    from tests.factories import EventFactory

    return EventFactory()


def staff_two_factor_pass(client, user) -> None:
    """Sign ``user`` into ``client`` as if through the full login: a TOTP
    authenticator exists and the session records the passed TOTP step (the
    records allauth keeps), so StaffTwoFactorMiddleware lets it into the admin."""
    import time

    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists():
        TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def admin_client(db, admin_user, client):
    """pytest-django's admin_client, past the staff two-factor gate."""
    staff_two_factor_pass(client, admin_user)
    return client
