"""Finding 1 of issue 8: the admin's own login form must never authenticate
anyone. Every sign-in goes through allauth (its rate limits, then the TOTP
step); /admin/login/ only sends people there."""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import staff_two_factor_pass
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def _password_session(client, user):
    """Signed in with a password only: the TOTP step was not passed."""
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def victim():
    user = VerifiedUserFactory(
        email="victim@example.org", is_staff=True, is_superuser=True
    )
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return user


@pytest.fixture
def signals():
    seen = {"logged_in": [], "failed": []}

    def on_login(sender, user, **kwargs):
        seen["logged_in"].append(user.pk)

    def on_failed(sender, credentials, **kwargs):
        seen["failed"].append(credentials)

    user_logged_in.connect(on_login)
    user_login_failed.connect(on_failed)
    yield seen
    user_logged_in.disconnect(on_login)
    user_login_failed.disconnect(on_failed)


def test_staff_without_totp_step_cannot_become_another_staff_member(
    client, victim, signals
):
    attacker = VerifiedUserFactory(email="attacker@example.org", is_staff=True)
    TOTP.activate(attacker, generate_totp_secret())
    _password_session(client, attacker)
    signals["logged_in"].clear()

    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": victim.email, "password": PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 302
    assert signals == {"logged_in": [], "failed": []}
    assert client.session["_auth_user_id"] == str(attacker.pk)
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2F"


def test_staff_who_passed_totp_cannot_switch_user_through_the_admin_login(
    client, victim, signals
):
    attacker = VerifiedUserFactory(email="attacker@example.org", is_staff=True)
    staff_two_factor_pass(client, attacker)
    signals["logged_in"].clear()

    response = client.post(
        reverse("admin:login"), {"username": victim.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signals == {"logged_in": [], "failed": []}
    assert client.session["_auth_user_id"] == str(attacker.pk)


def test_anonymous_post_to_the_admin_login_checks_no_password(client, victim, signals):
    """Twelve guesses in a row: each is sent to allauth's login page, where
    the rate limits apply; none is checked here."""
    for attempt in range(12):
        response = client.post(
            reverse("admin:login"),
            {"username": victim.email, "password": f"guess {attempt}"},
        )
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post(
        reverse("admin:login"), {"username": victim.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert signals == {"logged_in": [], "failed": []}
    assert "_auth_user_id" not in client.session


def test_signed_in_staff_are_not_sent_to_another_site_from_the_admin_login(client):
    staff = VerifiedUserFactory(is_staff=True)
    staff_two_factor_pass(client, staff)
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    response = client.get(reverse("admin:login") + "?next=/admin/auth/")
    assert response["Location"] == "/admin/auth/"


def test_recovery_codes_need_the_totp_step_for_staff(client, victim):
    """A staff session that has not passed TOTP (one from before TOTP was set
    up) must not reach the recovery codes with the password alone."""
    _password_session(client, victim)
    for name in ("mfa_view_recovery_codes", "mfa_index", "mfa_deactivate_totp"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(
            reverse("mfa_reauthenticate") + "?next="
        ), name
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/2fa/reauthenticate/?next=%2Faccounts%2F2fa%2Frecovery-codes%2F"
    )
