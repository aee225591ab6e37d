"""Invitations of focal points: one-time, expiring, hashed; accept flow."""

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from delegations import services
from delegations.enums import DelegationStatus, InvitationStatus
from delegations.mail import INVITATION
from delegations.models import Invitation
from hanoi_event.models import OutboundEmail
from tests.factories import DelegationFactory, EventFactory, VerifiedUserFactory

pytestmark = pytest.mark.django_db

BASE = "https://portal.example/"


@pytest.fixture(autouse=True)
def _site_url(settings):
    # Links in emails are SITE_URL + path (hanoi_event.links).
    settings.SITE_URL = BASE.rstrip("/")


@pytest.fixture
def delegation():
    event = EventFactory(is_current=True, invitation_validity_days=14)
    return DelegationFactory(event=event)


def _invite(delegation, email="dao@example.org"):
    return services.invitation_send(delegation=delegation, email=email, invited_by=None)


def test_invitation_stores_only_the_hash_of_the_token(delegation):
    invitation, token = _invite(delegation)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    assert len(token) >= 40


def test_invitation_expires_after_the_event_setting(delegation):
    delegation.event.invitation_validity_days = 3
    delegation.event.save()
    before = timezone.now()
    invitation, _ = _invite(delegation)
    assert before + dt.timedelta(days=3) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + dt.timedelta(days=3)


def test_invitation_queues_the_invitation_email_with_the_link(
    delegation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(delegation)
    row = OutboundEmail.objects.get()
    assert row.kind == INVITATION
    assert row.to_email == "dao@example.org"
    assert row.idempotency_key == f"invitation:{invitation.pk}"
    assert f"{BASE}portal/invitation/{token}/" in row.text_body
    assert len(mail.outbox) == 1
    assert delegation.__class__.objects.get().status == DelegationStatus.INVITED


def test_a_new_invitation_revokes_the_pending_one(delegation):
    first, first_token = _invite(delegation)
    second, _ = _invite(delegation, email="other@example.org")
    first.refresh_from_db()
    assert first.status == InvitationStatus.REVOKED
    assert second.status == InvitationStatus.PENDING
    with pytest.raises(services.InvitationError) as excinfo:
        services.invitation_check(token=first_token)
    assert excinfo.value.reason == "revoked"


def test_accepting_makes_the_user_focal_point_and_delegation_registering(delegation):
    invitation, token = _invite(delegation)
    user = VerifiedUserFactory(email="dao@example.org")
    services.invitation_accept(token=token, user=user)
    invitation.refresh_from_db()
    delegation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == user
    assert delegation.focal_point == user
    assert delegation.status == DelegationStatus.REGISTERING


def test_invitation_accept_twice_is_refused(delegation):
    _, token = _invite(delegation)
    user = VerifiedUserFactory(email="dao@example.org")
    services.invitation_accept(token=token, user=user)
    with pytest.raises(services.InvitationError) as excinfo:
        services.invitation_accept(token=token, user=user)
    assert excinfo.value.reason == "accepted"


def test_accept_by_another_address_is_refused(delegation):
    _, token = _invite(delegation)
    intruder = VerifiedUserFactory(email="intruder@example.org")
    with pytest.raises(services.InvitationError) as excinfo:
        services.invitation_accept(token=token, user=intruder)
    assert excinfo.value.reason == "wrong_account"
    delegation.refresh_from_db()
    assert delegation.focal_point is None


def test_expired_link_page_says_expired_and_gives_the_contact(client, delegation):
    invitation, token = _invite(delegation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("portal:invitation", args=[token]))
    assert response.status_code == 410
    body = response.content.decode()
    assert "This invitation link has expired." in body
    assert "secretariat@example.org" in body
    assert Invitation.objects.get().effective_status == InvitationStatus.EXPIRED


def test_revoked_link_page_says_revoked(client, delegation):
    invitation, token = _invite(delegation)
    services.invitation_revoke(invitation=invitation)
    response = client.get(reverse("portal:invitation", args=[token]))
    assert response.status_code == 410
    assert "This invitation link was withdrawn by the secretariat." in (
        response.content.decode()
    )


def test_used_link_page_says_used(client, delegation):
    _, token = _invite(delegation)
    services.invitation_accept(
        token=token, user=VerifiedUserFactory(email="dao@example.org")
    )
    response = client.get(reverse("portal:invitation", args=[token]))
    assert response.status_code == 410
    assert "This invitation link has already been used." in response.content.decode()


def test_unknown_token_page_is_404(client, delegation):
    response = client.get(reverse("portal:invitation", args=["not-a-token"]))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_anonymous_accept_goes_to_signup_with_the_invited_address(client, delegation):
    _, token = _invite(delegation)
    response = client.post(reverse("portal:invitation", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?email=dao%40example.org"
    signup = client.get(response["Location"])
    assert 'value="dao@example.org"' in signup.content.decode()
    assert "readonly" in signup.content.decode()


def test_signup_with_another_address_during_an_invitation_is_refused(
    client, delegation
):
    _, token = _invite(delegation)
    client.post(reverse("portal:invitation", args=[token]))
    response = client.post(
        reverse("account_signup"),
        {
            "email": "someone.else@example.org",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 200
    assert "Sign up with the invited address, dao@example.org." in (
        response.content.decode()
    )


def test_existing_account_is_sent_to_login(client, delegation):
    VerifiedUserFactory(email="dao@example.org")
    _, token = _invite(delegation)
    response = client.post(reverse("portal:invitation", args=[token]))
    assert response["Location"] == "/accounts/login/?email=dao%40example.org"


def test_login_returns_to_the_invitation_and_accepting_there_works(client, delegation):
    user = VerifiedUserFactory(email="dao@example.org")
    _, token = _invite(delegation)
    client.post(reverse("portal:invitation", args=[token]))
    response = client.post(
        reverse("account_login"),
        {"login": "dao@example.org", "password": "correct horse battery staple"},
    )
    assert response["Location"] == reverse("portal:invitation", args=[token])
    page = client.get(response["Location"])
    assert "Accept and become the focal point" in page.content.decode()
    accepted = client.post(reverse("portal:invitation", args=[token]))
    assert accepted["Location"] == reverse("portal:delegation", args=[delegation.pk])
    delegation.refresh_from_db()
    assert delegation.focal_point == user


def test_signed_in_with_another_address_cannot_accept(client, delegation):
    _, token = _invite(delegation)
    client.force_login(VerifiedUserFactory(email="other@example.org"))
    response = client.post(reverse("portal:invitation", args=[token]))
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.focal_point is None
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_resend_gives_a_new_link_and_revokes_the_old(delegation):
    invitation, old_token = _invite(delegation)
    new, new_token = services.invitation_resend(invitation=invitation, invited_by=None)
    assert new.pk != invitation.pk
    assert new.email == "dao@example.org"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert services.invitation_check(token=new_token) == new


# Admin: invite, status, resend, revoke -----------------------------------------


def test_admin_invite_action_shows_one_email_per_delegation(admin_client, delegation):
    other = DelegationFactory(event=delegation.event)
    response = admin_client.post(
        reverse("admin:delegations_delegation_changelist"),
        {
            "action": "invite_focal_points",
            "_selected_action": [delegation.pk, other.pk],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('name="invite-') >= 4
    assert str(delegation.organisation) in body


def test_admin_invite_action_sends_one_invitation_per_delegation(
    admin_client, delegation, django_capture_on_commit_callbacks
):
    other = DelegationFactory(event=delegation.event)
    data = {
        "action": "invite_focal_points",
        "apply": "1",
        "_selected_action": [delegation.pk, other.pk],
        "invite-TOTAL_FORMS": "2",
        "invite-INITIAL_FORMS": "2",
        "invite-0-delegation_id": str(delegation.pk),
        "invite-0-email": "first@example.org",
        "invite-1-delegation_id": str(other.pk),
        "invite-1-email": "second@example.org",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:delegations_delegation_changelist"), data
        )
    assert response.status_code == 302
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "first@example.org",
        "second@example.org",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "first@example.org",
        "second@example.org",
    ]


def test_admin_invite_action_with_a_bad_email_sends_nothing(admin_client, delegation):
    data = {
        "action": "invite_focal_points",
        "apply": "1",
        "_selected_action": [delegation.pk],
        "invite-TOTAL_FORMS": "1",
        "invite-INITIAL_FORMS": "1",
        "invite-0-delegation_id": str(delegation.pk),
        "invite-0-email": "not an email",
    }
    response = admin_client.post(
        reverse("admin:delegations_delegation_changelist"), data
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert Invitation.objects.count() == 0


def test_admin_invitation_list_shows_the_effective_status(admin_client, delegation):
    invitation, _ = _invite(delegation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = admin_client.get(reverse("admin:delegations_invitation_changelist"))
    assert response.status_code == 200
    assert "Expired" in response.content.decode()


def test_admin_revoke_and_resend_actions(admin_client, delegation):
    invitation, _ = _invite(delegation)
    url = reverse("admin:delegations_invitation_changelist")
    admin_client.post(url, {"action": "revoke", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    admin_client.post(url, {"action": "resend", "_selected_action": [invitation.pk]})
    assert list(
        Invitation.objects.filter(status=InvitationStatus.PENDING).values_list(
            "email", flat=True
        )
    ) == ["dao@example.org"]


@pytest.mark.parametrize("page", ["changelist", "change"])
@pytest.mark.parametrize(
    "model", ["invitation", "registrationcode", "organisationrequest"]
)
def test_portal_admin_pages_answer(admin_client, delegation, model, page):
    from delegations.enums import OrganisationKind
    from tests.factories import RegistrationCodeFactory

    code = RegistrationCodeFactory(event=delegation.event)
    objects = {
        "invitation": _invite(delegation)[0],
        "registrationcode": code,
        "organisationrequest": services.organisation_request_create(
            user=VerifiedUserFactory(),
            event=delegation.event,
            code=code.code,
            name="Press Agency",
            kind=OrganisationKind.MEDIA,
        ),
    }
    args = [objects[model].pk] if page == "change" else []
    response = admin_client.get(reverse(f"admin:delegations_{model}_{page}", args=args))
    assert response.status_code == 200


def test_delegation_admin_links_the_note_verbale_through_the_portal_view(
    admin_client, delegation, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    services.delegation_upload_note_verbale(
        delegation=delegation, document=ContentFile(b"%PDF-1.4\n", "n.pdf")
    )
    response = admin_client.get(
        reverse("admin:delegations_delegation_change", args=[delegation.pk])
    )
    url = reverse("portal:delegation_note_verbale", args=[delegation.pk])
    assert f'href="{url}"' in response.content.decode()
    assert admin_client.get(url).status_code == 200


def test_inviting_the_same_address_twice_at_once_sends_one_invitation(
    delegation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, token = _invite(delegation)
        again, no_token = _invite(delegation, email="DAO@example.org")
    assert again == first
    assert (token is not None, no_token) == (True, None)
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_admin_invite_form_posted_twice_sends_one_invitation(
    admin_client, delegation, django_capture_on_commit_callbacks
):
    data = {
        "action": "invite_focal_points",
        "apply": "1",
        "_selected_action": [delegation.pk],
        "invite-TOTAL_FORMS": "1",
        "invite-INITIAL_FORMS": "1",
        "invite-0-delegation_id": str(delegation.pk),
        "invite-0-email": "first@example.org",
    }
    url = reverse("admin:delegations_delegation_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, data)
        admin_client.post(url, data)
    assert Invitation.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["first@example.org"]]


def test_expiry_date_in_the_email_is_in_the_emails_language(delegation):
    """An organizer using the admin in French sends the (English) invitation:
    its expiry date is written in English, as the rest of the message, and
    in the event's time zone (20:00 UTC on 14 October is 03:00 on 15 October
    in Hanoi)."""
    from django.utils import translation

    now = dt.datetime(2025, 9, 30, 20, 0, tzinfo=dt.UTC)
    with translation.override("fr"):
        services.invitation_send(
            delegation=delegation,
            email="dao@example.org",
            invited_by=None,
            now=now,
        )
    row = OutboundEmail.objects.get()
    assert row.language == "en"
    assert "It expires on 15 October 2025." in row.text_body


def _future_deadline(delegation, days=40):
    event = delegation.event
    event.registration_deadline = timezone.now() + dt.timedelta(days=days)
    event.save()
    return timezone.localtime(event.registration_deadline, event.tzinfo).date()


def test_member_link_complete_by_date_is_in_the_emails_language(delegation):
    from django.utils import translation
    from django.utils.formats import date_format

    from tests.factories import ParticipantFactory

    due = _future_deadline(delegation)
    member = ParticipantFactory(
        delegation=delegation, email="m@example.org", preferred_language="en"
    )
    with translation.override("fr"):
        services.participant_send_link(participant=member)
    row = OutboundEmail.objects.get()
    assert row.language == "en"
    with translation.override("en"):
        english = date_format(due, "j F Y")
    assert f"Please complete it by {english}." in row.text_body


def test_member_link_never_gives_a_date_that_has_passed(delegation):
    from tests.factories import ParticipantFactory

    # The factory's event was in October 2025: its deadline is behind us.
    member = ParticipantFactory(delegation=delegation, email="m@example.org")
    services.participant_send_link(participant=member)

    body = OutboundEmail.objects.get().text_body
    assert "complete it by" not in body
    assert "expires" not in body
    assert "2025." not in body


def test_member_link_names_the_focal_point_who_sent_it(delegation):
    from tests.factories import ParticipantFactory

    _future_deadline(delegation)
    focal_point = VerifiedUserFactory(email="dao@mfa.example")
    delegation.focal_point = focal_point
    delegation.save()
    ParticipantFactory(
        delegation=delegation,
        email="dao@mfa.example",
        honorific="ms",
        given_names="Ana",
        family_name="Pérez",
    )
    member = ParticipantFactory(delegation=delegation, email="m@example.org")
    services.participant_send_link(participant=member)

    body = OutboundEmail.objects.get(to_email="m@example.org").text_body
    assert (
        f"Ms. Ana PÉREZ (dao@mfa.example), focal point of the delegation of "
        f"{delegation.organisation}, has nominated you" in body
    )
