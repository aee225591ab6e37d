"""Import and export in the admin: the check with its report, the
confirmation, the template, the log; exports of the filtered list, the
security clearance list only with the passport permission, formula cells
neutralised."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from delegations.enums import ParticipantStatus
from delegations.models import Delegation, Organisation, Participant, TransferLog
from tests.conftest import staff_two_factor_pass
from tests.factories import ParticipantFactory, UserFactory
from tests.imports.conftest import HEADER, csv_bytes, xlsx_bytes

IMPORT_URL = reverse("admin:delegations_participant_import_list")
EXPORT_URL = reverse("admin:delegations_participant_export_list")


def staff_with(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def registration_staff(client, db):
    user = staff_with("view_participant", "add_participant", "change_participant")
    staff_two_factor_pass(client, user)
    return user


def _upload(client, event, data: bytes, name: str = "members.csv"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(IMPORT_URL, {"file": upload, "event": event.pk})


def _log_url(log) -> str:
    return reverse("admin:delegations_participant_import_log", args=[log.pk])


def test_import_page_shows_the_layout_and_templates(registration_staff, client, event):
    response = client.get(IMPORT_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="column-layout"' in content
    assert "Surname, Last name" in content
    assert "?template=xlsx" in content


def test_import_needs_add_and_change_permissions(client, event):
    staff_two_factor_pass(client, staff_with("view_participant", "change_participant"))

    assert client.get(IMPORT_URL).status_code == 403
    changelist = client.get(reverse("admin:delegations_participant_changelist"))
    assert IMPORT_URL not in changelist.content.decode()
    assert EXPORT_URL in changelist.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_has_the_headers(registration_staff, client, fmt):
    response = client.get(IMPORT_URL, {"template": fmt})

    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="participants-template.{fmt}"'
    )
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == [
        "Email",
        "Delegation",
        "Given names",
        "Family name",
        "Honorific",
    ]
    assert rows[0][-1] == "Consent to List of Participants"
    assert "Status" not in rows[0]


def test_a_file_with_errors_shows_every_problem_and_cannot_be_confirmed(
    registration_staff, client, delegations, event
):
    data = csv_bytes(
        [HEADER, ["a@example.org", "VNM", "A", "B", ""], ["b@", "Narnia", "C", "D", ""]]
    )

    response = _upload(client, event, data)
    log = TransferLog.objects.get()
    page = client.get(response["Location"])

    assert response["Location"] == _log_url(log)
    content = page.content.decode()
    assert 'id="import-problems"' in content
    assert "Narnia" in content and "Not a valid email address." in content
    assert 'id="import-confirm"' not in content
    assert client.post(_log_url(log)).status_code == 302
    assert Participant.objects.count() == 0
    assert TransferLog.objects.get().status == "failed"


def test_check_then_confirm_imports_once(
    registration_staff, client, delegations, event
):
    ParticipantFactory(delegation=delegations["VNM"], email="old@example.org", hotel="")
    data = xlsx_bytes(
        [
            [*HEADER, "Hotel"],
            ["new@example.org", "Vietnam", "Mới", "Người", "", ""],
            ["old@example.org", "VN", "", "", "", "Sofitel"],
        ]
    )

    response = _upload(client, event, data, name="members.xlsx")
    log = TransferLog.objects.get()
    preview = client.get(response["Location"]).content.decode()

    assert 'id="import-confirm"' in preview
    assert "Import: create 1, update 1" in preview
    assert "Sofitel" in preview
    assert Participant.objects.count() == 1

    client.post(_log_url(log))
    client.post(_log_url(log))  # a double click imports once

    log.refresh_from_db()
    assert (log.status, log.created_count, log.updated_count, log.payload) == (
        "done",
        1,
        1,
        None,
    )
    assert Participant.objects.count() == 2
    assert Participant.objects.get(email="old@example.org").hotel == "Sofitel"
    history = Participant.objects.get(email="new@example.org").history.get()
    assert history.history_user == registration_staff


def test_another_staff_member_cannot_open_or_confirm_my_import(
    registration_staff, client, delegations, event
):
    _upload(client, event, csv_bytes([HEADER, ["a@example.org", "VNM", "A", "B", ""]]))
    log = TransferLog.objects.get()
    other = staff_with("view_participant", "add_participant", "change_participant")
    client.logout()
    staff_two_factor_pass(client, other)

    assert client.get(_log_url(log)).status_code == 404
    assert client.post(_log_url(log)).status_code == 404
    assert Participant.objects.count() == 0


def test_the_log_lists_imports(admin_client, delegations, event):
    _upload(
        admin_client, event, csv_bytes([HEADER, ["a@example.org", "VNM", "A", "B", ""]])
    )
    log = TransferLog.objects.get()

    listing = admin_client.get(reverse("admin:delegations_transferlog_changelist"))
    detail = admin_client.get(
        reverse("admin:delegations_transferlog_change", args=[log.pk])
    )

    assert "members.csv" in listing.content.decode()
    assert detail.status_code == 200
    assert 'id="import-report"' in detail.content.decode()


def test_delegations_and_organisations_import_in_the_admin(
    admin_client, reference, event
):
    org_data = csv_bytes(
        [
            ["Name", "Kind", "Acronym", "Website"],
            ["Cyber Peace Institute", "NGO", "CPI", "cyberpeaceinstitute.org"],
        ]
    )
    upload = io.BytesIO(org_data)
    upload.name = "orgs.csv"
    response = admin_client.post(
        reverse("admin:delegations_organisation_import_list"), {"file": upload}
    )
    admin_client.post(response["Location"])
    org = Organisation.objects.get(name="Cyber Peace Institute")
    assert (org.kind, org.website) == ("ngo", "https://cyberpeaceinstitute.org")

    data = csv_bytes([["Country"], ["Vietnam"], ["CPI"], ["Ivory Coast"]])
    upload = io.BytesIO(data)
    upload.name = "delegations.csv"
    response = admin_client.post(
        reverse("admin:delegations_delegation_import_list"),
        {"file": upload, "event": event.pk},
    )
    admin_client.post(response["Location"])

    assert set(
        Delegation.objects.filter(event=event).values_list(
            "organisation__name", flat=True
        )
    ) == {"Côte d'Ivoire", "Cyber Peace Institute", "Viet Nam"}


# Exports ---------------------------------------------------------------------------


def _rows(response) -> list[list]:
    if response["Content-Type"].startswith("text/csv"):
        assert response.content.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [
        ["" if v is None else v for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


@pytest.fixture
def export_data(delegations):
    ParticipantFactory(
        delegation=delegations["VNM"],
        email="a@example.org",
        given_names='=HYPERLINK("http://evil")',
        family_name="Nguyễn",
        phone="+84 24 1234",
        status=ParticipantStatus.APPROVED,
        passport_number="C1234567",
        passport_expiry=dt.date(2031, 1, 1),
        date_of_birth=dt.date(1970, 5, 17),
    )
    ParticipantFactory(
        delegation=delegations["TUR"],
        email="b@example.org",
        given_names="@SUM(1)",
        family_name="-2+3",
        status=ParticipantStatus.SUBMITTED,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_respects_filters_and_neutralises_formulas(
    registration_staff, client, export_data, fmt
):
    url = EXPORT_URL + "?status__exact=approved"
    page = client.get(url)
    assert "1 record of 2" in page.content.decode()

    response = client.post(url, {"kind": "participants", "format": fmt})

    rows = _rows(response)
    assert len(rows) == 2
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["Email"] == "a@example.org"
    assert record["Given names"] == '\'=HYPERLINK("http://evil")'
    assert record["Phone"] == "'+84 24 1234"
    assert record["Family name"] == "Nguyễn"
    # No passport permission: no passport data.
    assert "Passport number" not in header and "Date of birth" not in header
    assert TransferLog.objects.get().direction == "export"


def test_exported_file_imports_back_unchanged(admin_client, export_data, event):
    response = admin_client.post(EXPORT_URL, {"kind": "participants", "format": "xlsx"})

    upload = io.BytesIO(response.content)
    upload.name = "export.xlsx"
    check = admin_client.post(IMPORT_URL, {"file": upload, "event": event.pk})
    log = TransferLog.objects.filter(direction="import").get()

    assert check.status_code == 302
    assert (log.status, log.created_count, log.updated_count, log.unchanged_count) == (
        "checked",
        0,
        0,
        2,
    )


def test_security_clearance_list_needs_the_passport_permission(
    registration_staff, client, export_data
):
    page = client.get(EXPORT_URL).content.decode()
    assert "security_clearance" not in page

    response = client.post(EXPORT_URL, {"kind": "security_clearance", "format": "csv"})

    assert response.status_code == 200  # the form again, with an error
    assert "Content-Disposition" not in response


def test_accreditation_officer_exports_the_security_clearance_list(client, export_data):
    staff_two_factor_pass(client, staff_with("view_participant", "view_passport"))

    response = client.post(EXPORT_URL, {"kind": "security_clearance", "format": "csv"})

    assert response["Content-Disposition"].startswith(
        'attachment; filename="security-clearance-'
    )
    rows = _rows(response)
    assert rows[0] == [
        "Family name",
        "Given names",
        "Gender",
        "Nationality",
        "Nationality (ISO)",
        "Passport number",
        "Passport expiry",
        "Date of birth",
        "Function / title",
        "Role",
        "Delegation",
    ]
    assert rows[2][:8] == [
        "Nguyễn",
        '\'=HYPERLINK("http://evil")',
        "",
        "",
        "",
        "C1234567",
        "2031-01-01",
        "1970-05-17",
    ]
    assert rows[1][0] == "'-2+3"
    log = TransferLog.objects.get()
    assert (log.kind, log.total_rows) == ("security_clearance", 2)


def test_delegations_export(admin_client, delegations):
    response = admin_client.post(
        reverse("admin:delegations_delegation_export_list"),
        {"kind": "delegations", "format": "csv"},
    )

    rows = _rows(response)
    assert rows[0][:3] == ["Delegation", "ISO alpha-3", "Kind"]
    assert sorted(r[1] for r in rows[1:]) == ["CIV", "FRA", "KOR", "TUR", "VNM"]


def test_the_export_button_carries_the_filters(registration_staff, client, export_data):
    changelist = client.get(
        reverse("admin:delegations_participant_changelist") + "?status__exact=approved"
    )

    assert f"{EXPORT_URL}?status__exact=approved" in changelist.content.decode()
