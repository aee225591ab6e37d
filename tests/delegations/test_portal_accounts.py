"""Accounts (allauth) and the staff two-factor gate in front of the admin."""

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    generate_totp_secret,
)
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from hanoi_event.mail import ACCOUNT
from hanoi_event.models import OutboundEmail
from tests.conftest import staff_two_factor_pass
from tests.factories import UserFactory, VerifiedUserFactory
from tests.totp import current_totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def _password_session(client, user):
    """Logged in with a password only (no TOTP step recorded)."""
    import time

    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def test_admin_login_page_sends_anonymous_users_to_the_portal_login():
    from django.test import Client

    response = Client().get("/admin/login/?next=/admin/delegations/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fdelegations%2F"


def test_staff_without_totp_is_sent_to_set_it_up_before_the_admin(client):
    staff = VerifiedUserFactory(is_staff=True, is_superuser=True)
    _password_session(client, staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"


def test_two_factor_gate_holds_when_the_site_is_served_under_a_path_prefix(
    client, settings
):
    """Behind a proxy that mounts the site at /hanoi/ (SCRIPT_NAME), the admin
    is still closed to staff who have not passed two-factor."""
    from django.urls import clear_script_prefix, set_script_prefix

    settings.FORCE_SCRIPT_NAME = "/hanoi"
    staff = VerifiedUserFactory(is_staff=True, is_superuser=True)
    _password_session(client, staff)
    # What Django's WSGIHandler does for each request (the test client does not).
    set_script_prefix("/hanoi")
    try:
        response = client.get("/admin/delegations/")
    finally:
        clear_script_prefix()
    assert response.status_code == 302
    assert response["Location"] == (
        "/hanoi/accounts/2fa/totp/activate/?next=%2Fhanoi%2Fadmin%2Fdelegations%2F"
    )


def test_staff_with_totp_but_no_totp_step_in_session_is_asked_for_a_code(client):
    staff = VerifiedUserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    _password_session(client, staff)
    response = client.get("/admin/delegations/")
    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fdelegations%2F"
    )


def test_staff_who_passed_totp_reach_the_admin(client):
    staff = VerifiedUserFactory(is_staff=True, is_superuser=True)
    staff_two_factor_pass(client, staff)
    assert client.get("/admin/").status_code == 200


def test_non_staff_user_gets_403_at_the_admin_login(client):
    user = VerifiedUserFactory()
    _password_session(client, user)
    assert client.get("/admin/login/").status_code == 403


def test_activating_totp_counts_as_the_second_factor_for_the_session(client):
    staff = VerifiedUserFactory(is_staff=True, is_superuser=True)
    _password_session(client, staff)
    # allauth asks for the password again before TOTP can be set up.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(
        reverse("account_reauthenticate"),
        {"password": "correct horse battery staple"},
    )
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(
        reverse("mfa_activate_totp"), {"code": current_totp_code(secret)}
    )
    assert response.status_code == 302
    assert (
        Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).count()
        == 1
    )
    assert client.get("/admin/").status_code == 200


def test_posting_to_totp_activation_with_totp_already_set_up_is_no_second_factor(
    client,
):
    """With a password only: allauth answers a POST to the activation page
    with a redirect (TOTP exists already; or re-authenticate). That is not an
    activation, so the session has still not passed two-factor."""
    staff = VerifiedUserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    _password_session(client, staff)
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 302
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2F"


def test_full_login_with_totp_code_reaches_the_admin(client):
    staff = VerifiedUserFactory(
        email="officer@example.org", is_staff=True, is_superuser=True
    )
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "officer@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_totp_code(secret)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_signup_sends_the_confirmation_through_the_outbox(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "New.Person@Example.org",
                "password1": "a long passphrase 42",
                "password2": "a long passphrase 42",
            },
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email__iexact="new.person@example.org")
    assert EmailAddress.objects.get(user=user).verified is False
    row = OutboundEmail.objects.get(kind=ACCOUNT)
    assert row.to_email.lower() == "new.person@example.org"
    assert row.idempotency_key.startswith(
        "account:account/email/email_confirmation_signup:"
    )
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_login_with_unverified_email_is_held_until_confirmed(client):
    UserFactory(email="unverified@example.org")
    response = client.post(
        reverse("account_login"),
        {"login": "unverified@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(client):
    VerifiedUserFactory(email="target@example.org")
    bodies = [
        client.post(
            reverse("account_login"),
            {"login": "target@example.org", "password": "wrong"},
        ).content.decode()
        for _ in range(6)
    ]
    limited = "Too many failed login attempts. Try again later."
    assert [limited in body for body in bodies] == [False] * 5 + [True]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {
                "email": "x@example.org",
                "password1": "a long passphrase 42",
                "password2": "another passphrase 42",
            },
            "You must type the same password each time.",
        ),
        (
            {
                "email": "not-an-email",
                "password1": "a long passphrase 42",
                "password2": "a long passphrase 42",
            },
            "Enter a valid email address.",
        ),
        (
            {"email": "x@example.org", "password1": "123", "password2": "123"},
            "This password is too short.",
        ),
    ],
)
def test_signup_bad_input_shows_the_error_and_creates_no_account(client, data, error):
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert get_user_model().objects.count() == 0


def test_home_with_an_invitation_for_another_address_stops_redirecting(client):
    from delegations import services
    from tests.factories import DelegationFactory, EventFactory

    delegation = DelegationFactory(event=EventFactory(is_current=True))
    _, token = services.invitation_send(
        delegation=delegation,
        email="dao@example.org",
        invited_by=None,
    )
    client.post(reverse("portal:invitation", args=[token]))  # anonymous: pending
    client.force_login(VerifiedUserFactory(email="someone@example.org"))
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert client.get(reverse("portal:home")).status_code == 200


def test_arabic_pages_are_right_to_left_with_bootstraps_rtl_build(client):
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    body = client.get(reverse("account_login")).content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "vendor/bootstrap/css/bootstrap.rtl.min.css" in body
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    body = client.get(reverse("account_login")).content.decode()
    assert '<html lang="fr" dir="ltr">' in body
    assert "vendor/bootstrap/css/bootstrap.min.css" in body


def test_account_mail_names_the_event_not_an_empty_site(
    client, settings, django_capture_on_commit_callbacks
):
    from tests.factories import EventFactory

    settings.SITE_URL = "https://register.example.org"
    EventFactory(is_current=True, short_name="Hanoi Convention 2025")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "someone@example.org",
                "password1": "a long passphrase 42",
                "password2": "a long passphrase 42",
            },
        )
    (message,) = mail.outbox
    assert (
        message.subject == "[Hanoi Convention 2025] Please Confirm Your Email Address"
    )
    assert message.body.startswith("Hello from Hanoi Convention 2025!")
    assert "Hello from !" not in message.body
    assert "register an account on ." not in message.body
    assert "Thank you for using Hanoi Convention 2025!" in message.body
    assert "register.example.org" in message.body
