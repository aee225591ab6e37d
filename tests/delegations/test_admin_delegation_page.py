"""The delegation's admin page lists its members, quotas and invitations; a
member's name finds the delegation in the list; portal badges and the
two-factor code box."""

import pytest
from django.urls import reverse

from delegations import services
from delegations.enums import DelegationRole, ParticipantStatus
from delegations.models import DelegationRoleQuota
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    StateFactory,
    VerifiedUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegation():
    event = EventFactory(is_current=True)
    DelegationRoleQuota.objects.create(
        event=event, role=DelegationRole.HEAD, max_count=1
    )
    return DelegationFactory(
        event=event, organisation=StateFactory(name="Chile", iso2="CL", iso3="CHL")
    )


def test_delegation_page_lists_members_quotas_and_invitations(admin_client, delegation):
    head = ParticipantFactory(
        delegation=delegation,
        role=DelegationRole.HEAD,
        given_names="Tomás",
        family_name="Soto",
    )
    services.invitation_send(
        delegation=delegation, email="dao@chile.example", invited_by=None
    )

    response = admin_client.get(
        reverse("admin:delegations_delegation_change", args=[delegation.pk])
    )

    html = response.content.decode()
    member_url = reverse("admin:delegations_participant_change", args=[head.pk])
    assert f'<a href="{member_url}">Tomás SOTO</a>' in html
    assert "<li>Head of Delegation: 1 of 1 used</li>" in html
    assert "dao@chile.example" in html
    assert "Pending" in html


def test_member_name_finds_the_delegation_in_the_list(admin_client, delegation):
    ParticipantFactory(delegation=delegation, given_names="Tomás", family_name="Soto")
    ParticipantFactory(delegation=delegation, given_names="Tomás", family_name="Vera")
    DelegationFactory(event=delegation.event)

    response = admin_client.get(
        reverse("admin:delegations_delegation_changelist"), {"q": "Tomás"}
    )

    assert [d.pk for d in response.context["cl"].result_list] == [delegation.pk]


def test_portal_status_badges_have_a_colour_per_status(client):
    user = VerifiedUserFactory(email="p@example.org")
    approved = ParticipantFactory(
        email="p@example.org", user=user, status=ParticipantStatus.APPROVED
    )
    client.force_login(user)
    html = client.get(reverse("portal:participant", args=[approved.pk])).content
    assert (
        b'<span class="badge text-bg-success fs-6 status-badge" '
        b'id="participant-status">Approved</span>' in html
    )


def test_two_factor_code_box_brings_up_a_number_pad(client):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = VerifiedUserFactory(email="staff@example.org", is_staff=True)
    user.set_password("a long passphrase 42")
    user.save()
    TOTP.activate(user, generate_totp_secret())
    client.post(
        reverse("account_login"),
        {"login": "staff@example.org", "password": "a long passphrase 42"},
    )

    html = client.get(reverse("mfa_authenticate")).content.decode()
    box = (
        html.split('name="code"')[0].rsplit("<input", 1)[1]
        + html.split('name="code"')[1].split(">", 1)[0]
    )
    assert 'inputmode="numeric"' in box
    assert 'autocomplete="one-time-code"' in box


def test_focal_points_page_links_to_what_the_apps_offer_the_delegation(client):
    from delegations.enums import OrganisationKind
    from tests.factories import OrganisationFactory

    user = VerifiedUserFactory(email="dao@example.org")
    event = EventFactory(is_current=True)
    state = DelegationFactory(
        event=event,
        organisation=StateFactory(name="Chile", iso2="CL", iso3="CHL"),
        focal_point=user,
    )
    ngo = DelegationFactory(
        event=event,
        organisation=OrganisationFactory(kind=OrganisationKind.NGO),
        focal_point=user,
    )
    client.force_login(user)

    state_html = client.get(reverse("portal:delegation", args=[state.pk])).content
    ngo_html = client.get(reverse("portal:delegation", args=[ngo.pk])).content

    signing = reverse("protocol:portal_signing", args=[state.pk]).encode()
    assert signing in state_html
    assert reverse("protocol:portal_speaking", args=[state.pk]).encode() in state_html
    # Only States sign the Convention.
    assert b"Signing the Convention" not in ngo_html
    assert reverse("protocol:portal_speaking", args=[ngo.pk]).encode() in ngo_html
