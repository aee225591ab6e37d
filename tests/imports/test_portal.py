"""The focal point's member list upload: same check and report, scoped to
the delegation; rows for other delegations refused; quotas and the portal's
rules as if each member were nominated by hand; nobody else gets in."""

import io

import pytest
from django.urls import reverse

from delegations.enums import DelegationRole
from delegations.models import Participant, TransferLog
from tests.conftest import staff_two_factor_pass
from tests.factories import ParticipantFactory, VerifiedUserFactory
from tests.imports.conftest import csv_bytes, people, xlsx_bytes

MEMBERS = [
    ["Family name", "Given names", "Email", "Role", "Nationality"],
    ["Nguyễn", "Văn An", "an@example.org", "Head of Delegation", "Vietnam"],
    ["Trần", "Thị Bình", "binh@example.org", "Adviser", "VN"],
]


@pytest.fixture
def focal_point(client, delegations):
    user = VerifiedUserFactory()
    delegations["VNM"].focal_point = user
    delegations["VNM"].save()
    client.force_login(user)
    return user


def _url(delegation) -> str:
    return reverse("portal:delegation_import", args=[delegation.pk])


def _upload(client, delegation, data: bytes, name="members.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(_url(delegation), {"file": upload})


def test_focal_point_uploads_checks_and_confirms(
    client, focal_point, delegations, event
):
    vnm = delegations["VNM"]
    page = client.get(reverse("portal:delegation", args=[vnm.pk]))
    assert _url(vnm) in page.content.decode()

    response = _upload(client, vnm, xlsx_bytes(MEMBERS))
    log = TransferLog.objects.get()
    preview = client.get(response["Location"]).content.decode()

    assert response["Location"] == reverse(
        "portal:delegation_import_log", args=[vnm.pk, log.pk]
    )
    assert "Import: add 2, update 0" in preview
    assert Participant.objects.count() == 0

    confirmed = client.post(response["Location"])

    assert confirmed["Location"] == reverse("portal:delegation", args=[vnm.pk])
    assert people(event) == [
        ("an@example.org", "VNM", "Văn An", "Nguyễn"),
        ("binh@example.org", "VNM", "Thị Bình", "Trần"),
    ]
    log.refresh_from_db()
    assert (log.source, log.delegation, log.user, log.status) == (
        "portal",
        vnm,
        focal_point,
        "done",
    )


def test_template_has_no_delegation_column(client, focal_point, delegations):
    response = client.get(_url(delegations["VNM"]), {"template": "csv"})

    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["Email", "Given names", "Family name"]
    assert "Delegation" not in header


def test_rows_for_another_delegation_are_refused(
    client, focal_point, delegations, event
):
    rows = [
        ["Email", "Country", "Given names", "Family name"],
        ["an@example.org", "Viet Nam", "An", "Nguyễn"],
        ["ayse@example.org", "Turkey", "Ayşe", "Yılmaz"],
        ["x@example.org", "Atlantis", "X", "Y"],
    ]

    _upload(client, delegations["VNM"], csv_bytes(rows), name="m.csv")

    log = TransferLog.objects.get()
    assert [(p["row"], p["column"], p["code"]) for p in log.report["problems"]] == [
        (3, "B (Country)", "other_delegation"),
        (4, "B (Country)", "unknown_country"),
    ]
    assert log.report["problems"][0]["message"] == (
        "Only members of Viet Nam can be imported here."
    )
    assert (
        client.post(
            reverse(
                "portal:delegation_import_log", args=[delegations["VNM"].pk, log.pk]
            )
        ).status_code
        == 302
    )
    assert Participant.objects.count() == 0


def test_a_member_of_another_delegation_is_refused_without_naming_it(
    client, focal_point, delegations
):
    ParticipantFactory(delegation=delegations["TUR"], email="an@example.org")

    _upload(client, delegations["VNM"], xlsx_bytes(MEMBERS))

    log = TransferLog.objects.get()
    assert [p["message"] for p in log.report["problems"]] == [
        "This person is already registered for this event."
    ]
    assert Participant.objects.count() == 1


def test_quota_applies_as_in_a_nomination(client, focal_point, delegations):
    ParticipantFactory(
        delegation=delegations["VNM"],
        email="head@example.org",
        role=DelegationRole.HEAD,
    )

    _upload(client, delegations["VNM"], xlsx_bytes(MEMBERS))

    log = TransferLog.objects.get()
    assert [(p["row"], p["code"]) for p in log.report["problems"]] == [(2, "quota")]
    assert log.status == "failed"
    assert Participant.objects.count() == 1


def test_quota_is_checked_again_at_confirmation(client, focal_point, delegations):
    response = _upload(client, delegations["VNM"], xlsx_bytes(MEMBERS))
    # Between the check and the confirmation, a head is nominated by hand.
    ParticipantFactory(
        delegation=delegations["VNM"],
        email="head@example.org",
        role=DelegationRole.HEAD,
    )

    client.post(response["Location"])

    log = TransferLog.objects.get()
    assert log.status == "failed"
    assert [(p["row"], p["code"]) for p in log.report["problems"]] == [(2, "quota")]
    assert Participant.objects.count() == 1


def test_focal_point_cannot_import_into_another_delegation(
    client, focal_point, delegations
):
    turkey = delegations["TUR"]

    assert client.get(_url(turkey)).status_code == 404
    assert _upload(client, turkey, xlsx_bytes(MEMBERS)).status_code == 404
    assert TransferLog.objects.count() == 0
    assert Participant.objects.count() == 0


def test_nobody_else_sees_or_confirms_the_check(client, focal_point, delegations):
    vnm = delegations["VNM"]
    response = _upload(client, vnm, xlsx_bytes(MEMBERS))
    log_url = response["Location"]

    # Another focal point, of another delegation.
    other = VerifiedUserFactory()
    delegations["TUR"].focal_point = other
    delegations["TUR"].save()
    client.force_login(other)
    assert client.get(log_url).status_code == 404
    assert client.post(log_url).status_code == 404
    log = TransferLog.objects.get()
    other_url = reverse(
        "portal:delegation_import_log", args=[delegations["TUR"].pk, log.pk]
    )
    assert client.post(other_url).status_code == 404

    client.logout()
    assert client.get(log_url).status_code == 302  # to the login page
    assert Participant.objects.count() == 0


def test_a_broken_file_gets_its_message(client, focal_point, delegations):
    response = _upload(
        client, delegations["VNM"], b"\x89PNG\r\n\x1a\n\x00\x00", name="p.png"
    )

    page = client.get(response["Location"]).content.decode()
    assert 'id="import-fatal"' in page
    assert "This is not a spreadsheet (it holds binary data)." in page


@pytest.mark.parametrize("actor", ["anonymous", "member", "other_focal", "staff"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_check_page_walk(client, focal_point, delegations, actor, method):
    vnm = delegations["VNM"]
    log_url = _upload(client, vnm, xlsx_bytes(MEMBERS))["Location"]
    client.logout()
    if actor == "member":
        member = VerifiedUserFactory()
        ParticipantFactory(delegation=vnm, user=member, email=member.email)
        client.force_login(member)
    elif actor == "other_focal":
        other = VerifiedUserFactory()
        delegations["TUR"].focal_point = other
        delegations["TUR"].save()
        client.force_login(other)
    elif actor == "staff":
        staff_two_factor_pass(client, VerifiedUserFactory(is_staff=True))
    before = Participant.objects.count()

    response = client.get(log_url) if method == "GET" else client.post(log_url)

    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 404
    assert Participant.objects.count() == before
    assert TransferLog.objects.get().status == "checked"
