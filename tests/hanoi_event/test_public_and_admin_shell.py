"""The site's home page, its icon, the admin's sidebar and the outbox list:
what a new visitor or organizer meets first."""

import pytest
from django.urls import reverse

from delegations.mail import INVITATION
from hanoi_event.enums import EmailStatus
from hanoi_event.mail import BULK
from hanoi_event.models import OutboundEmail
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_home_page_tells_an_anonymous_visitor_about_the_event(client):
    EventFactory(
        is_current=True,
        name="Signing Ceremony of the Convention",
        venue="National Convention Center",
        city="Hanoi",
        theme="Countering Cybercrime",
        contact_email="secretariat@example.org",
    )

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<h1 class="h2" id="event-name">Signing Ceremony of the Convention</h1>' in html
    )
    assert "National Convention Center, Hanoi" in html
    assert "Countering Cybercrime" in html
    assert 'href="mailto:secretariat@example.org"' in html
    assert f'href="{reverse("account_login")}"' in html
    assert f'href="{reverse("portal:organisation_request")}"' in html


def test_home_page_without_an_event_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No event is open for registration yet." in response.content.decode()


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (
        302,
        "/static/favicon.svg",
    )
    EventFactory(is_current=True)
    assert (
        '<link rel="icon" href="/static/favicon.svg"'
        in client.get("/").content.decode()
    )


def test_admin_sidebar_groups_by_what_organizers_do(admin_client):
    response = admin_client.get(reverse("admin:index"))
    groups = {
        str(group["title"]): [str(item["title"]) for item in group["items"]]
        for group in response.context["sidebar_navigation"]
    }
    titles = list(groups)
    assert titles[0] == "Delegations and people"
    assert titles[-1] == "Settings"
    assert groups["Delegations and people"][:2] == ["Delegations", "Participants"]
    assert groups["Email"] == ["Outgoing emails", "Bulk sends", "Email templates"]
    assert "Periodic tasks" in groups["Settings"]
    assert "Users" in groups["Settings"]
    # The technical apps have no group of their own.
    for technical in (
        "MFA",
        "Accounts",
        "Periodic Tasks",
        "Authentication and Authorization",
    ):
        assert technical not in groups


def test_outbox_list_labels_each_kind_and_fits_six_columns(admin_client):
    OutboundEmail.objects.create(
        to_email="a@example.org",
        kind=INVITATION,
        subject="Invitation",
        text_body="x",
        idempotency_key="k1",
        status=EmailStatus.SENT,
    )
    OutboundEmail.objects.create(
        to_email="b@example.org",
        kind=BULK,
        subject="Bulk",
        text_body="x",
        idempotency_key="k2",
    )
    response = admin_client.get(reverse("admin:hanoi_event_outboundemail_changelist"))
    rows = response.content.decode().split('id="result_list"')[1]
    rows = rows.split("</table>")[0]
    assert rows.count("Invitation to a delegation&#x27;s focal point") == 1
    assert rows.count("Message to many (bulk send)") == 1
    assert response.context["cl"].list_display[1:] == [
        "created_at",
        "to_email",
        "kind_label",
        "short_subject",
        "status_badge",
        "sent_at",
    ]
