"""The signing ceremony's doors: public signatories (HTML and JSON), the
focal point's page, the admin's decision and slot pages, the run sheet."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from delegations.enums import ProtocolRank
from protocol import services
from protocol.enums import FullPowersStatus, SigningStatus
from protocol.models import SigningRequest
from tests.conftest import staff_two_factor_pass
from tests.factories import (
    DelegationFactory,
    EventFactory,
    SigningCeremonyFactory,
    StateFactory,
    UserFactory,
    VerifiedUserFactory,
)
from tests.protocol.helpers import pdf_upload

pytestmark = pytest.mark.django_db


def sign(event, name, when, title="President of the Republic"):
    delegation = DelegationFactory(event=event, organisation=StateFactory(name=name))
    request = services.signing_request_create(
        delegation=delegation,
        signatory_name=f"Signatory of {name}",
        signatory_title=title,
        signatory_rank=ProtocolRank.HEAD_OF_STATE,
    )
    return services.signature_record(request=request, recorded_by=None, signed_at=when)


def test_public_signatories_json_lists_signed_states_in_order(client):
    event = EventFactory(is_current=True)
    # 23:30 UTC on 24 October is 06:30 on 25 October in Hanoi.
    sign(event, "Zeta Republic", dt.datetime(2025, 10, 24, 23, 30, tzinfo=dt.UTC))
    sign(
        event,
        "Alpha Kingdom",
        dt.datetime(2025, 10, 26, 2, 0, tzinfo=dt.UTC),
        title="Minister for Foreign Affairs",
    )
    services.signing_request_create(
        delegation=DelegationFactory(event=event, organisation=StateFactory()),
        signatory_name="Not yet",
        signatory_title="President",
        signatory_rank=ProtocolRank.HEAD_OF_STATE,
    )

    response = client.get("/signatories.json")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [
        (s["state"], s["signed_on"], s["signatory_title"]) for s in data["signatories"]
    ] == [
        ("Zeta Republic", "2025-10-25", "President of the Republic"),
        ("Alpha Kingdom", "2025-10-26", "Minister for Foreign Affairs"),
    ]
    page = client.get("/signatories/")
    assert page.status_code == 200
    assert "2 States have signed." in page.content.decode()
    assert "Alpha Kingdom" in page.content.decode()


@pytest.mark.parametrize("url", ["/signatories/", "/signatories.json"])
def test_signatories_query_count_does_not_grow(
    client, django_assert_max_num_queries, url
):
    event = EventFactory(is_current=True)
    when = dt.datetime(2025, 10, 25, 3, 0, tzinfo=dt.UTC)
    sign(event, "First State", when)
    with django_assert_max_num_queries(3) as small:
        client.get(url)
    for n in range(15):
        sign(event, f"State {n}", when + dt.timedelta(minutes=n))
    with django_assert_max_num_queries(3) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_focal_point_requests_uploads_and_sees_the_status(client):
    event = EventFactory(is_current=True)
    dao = VerifiedUserFactory()
    delegation = DelegationFactory(
        event=event, organisation=StateFactory(), focal_point=dao
    )
    client.force_login(dao)
    url = reverse("protocol:portal_signing", args=[delegation.pk])

    refused = client.post(url, {"signatory_name": "Only a name"})
    assert refused.status_code == 200
    assert SigningRequest.objects.count() == 0

    response = client.post(
        url,
        {
            "signatory_name": "Jean Dupont",
            "signatory_title": "Ambassador",
            "signatory_rank": str(ProtocolRank.AMBASSADOR.value),
        },
    )
    assert response.status_code == 302
    request = SigningRequest.objects.get()
    assert request.full_powers_status == FullPowersStatus.MISSING

    client.post(
        reverse("protocol:portal_full_powers_upload", args=[delegation.pk]),
        {"full_powers": pdf_upload()},
    )
    request.refresh_from_db()
    assert request.full_powers_status == FullPowersStatus.UNDER_REVIEW
    page = client.get(url).content.decode()
    assert "Uploaded, under review" in page
    pdf = client.get(reverse("protocol:portal_full_powers", args=[delegation.pk]))
    assert pdf.status_code == 200


def test_another_users_delegation_is_a_404(client):
    delegation = DelegationFactory(
        organisation=StateFactory(), focal_point=UserFactory()
    )
    client.force_login(VerifiedUserFactory())
    for name in ("portal_signing", "portal_full_powers", "portal_speaking"):
        assert (
            client.get(reverse(f"protocol:{name}", args=[delegation.pk])).status_code
            == 404
        )


def test_admin_clears_full_powers_with_the_decision_page_and_books_a_slot(admin_client):
    event = EventFactory()
    SigningCeremonyFactory(event=event)
    request = services.signing_request_create(
        delegation=DelegationFactory(event=event, organisation=StateFactory()),
        signatory_name="Jean Dupont",
        signatory_title="Ambassador",
        signatory_rank=ProtocolRank.AMBASSADOR,
    )
    services.full_powers_upload(request=request, upload=pdf_upload())
    decide = reverse("admin:protocol_signingrequest_decide", args=[request.pk])

    wrong = admin_client.post(
        decide, {"decision": "clear", "name": "Someone Else", "title": "Ambassador"}
    )
    assert wrong.status_code == 200
    assert "not the signatory" in wrong.content.decode()
    ok = admin_client.post(
        decide, {"decision": "clear", "name": "Jean Dupont", "title": "Ambassador"}
    )
    assert ok.status_code == 302
    slot = admin_client.post(
        reverse("admin:protocol_signingrequest_slot", args=[request.pk]), {"slot": "4"}
    )
    assert slot.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.slot) == (SigningStatus.CLEARED, 4)
    assert (
        admin_client.get(
            reverse("admin:protocol_signingrequest_full_powers", args=[request.pk])
        ).status_code
        == 200
    )

    sheet = admin_client.get(reverse("protocol:run_sheet", args=[event.pk]))
    assert sheet.status_code == 200
    assert "Jean Dupont" in sheet.content.decode()
    pdf = admin_client.get(reverse("protocol:run_sheet_pdf", args=[event.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1


def test_run_sheet_needs_staff_with_two_factor_and_permission(client):
    event = EventFactory()
    SigningCeremonyFactory(event=event)
    url = reverse("protocol:run_sheet", args=[event.pk])
    assert client.get(url).status_code == 302
    staff = UserFactory(is_staff=True)
    staff_two_factor_pass(client, staff)
    assert client.get(url).status_code == 403
    portal_user = UserFactory()
    client.force_login(portal_user)
    assert client.get(url).status_code == 403
