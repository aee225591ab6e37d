"""The participant import's rules: countries by code, name and variant;
one person per email and event; every bad value reported with its row,
column and value; quotas; the portal's rules; nothing written when any row
is bad."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress

from delegations.enums import DelegationRole, ParticipantStatus, ProtocolRank
from delegations.models import Participant, TransferLog
from tests.factories import ParticipantFactory, VerifiedUserFactory
from tests.imports.conftest import HEADER, csv_bytes, people, problems, run


@pytest.mark.parametrize(
    ("written", "iso3"),
    [
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("VIỆT NAM", "VNM"),
        ("vn", "VNM"),
        ("VNM", "VNM"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("turkiye", "TUR"),
        ("Ivory Coast", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("COTE D IVOIRE", "CIV"),
        ("Korea, Republic of", "KOR"),
        ("South Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("KR", "KOR"),
        ("France", "FRA"),
        ("the French Republic", None),
    ],
)
def test_delegations_are_found_by_code_name_and_variant(
    delegations, event, written, iso3
):
    report = run(event, csv_bytes([HEADER, ["x@example.org", written, "A", "B", ""]]))

    if iso3 is None:
        assert problems(report) == [(2, "B (Delegation)", written, "unknown_country")]
        assert people(event) == []
    else:
        assert report.ok, problems(report)
        assert people(event) == [("x@example.org", iso3, "A", "B")]


def test_nationality_by_variant_and_a_non_state_is_refused(delegations, event):
    rows = [
        ["Email", "Delegation", "Given names", "Family name", "Nationality"],
        ["a@example.org", "FRA", "A", "B", "Ivory Coast"],
        ["b@example.org", "FRA", "C", "D", "UNODC"],
    ]

    report = run(event, csv_bytes(rows))

    assert [(p.row, p.column, p.value, p.message) for p in report.problems] == [
        (
            3,
            "E (Nationality)",
            "UNODC",
            "A nationality is a State, not an organisation.",
        )
    ]
    assert people(event) == []


def test_an_existing_participant_is_updated_by_email_not_duplicated(delegations, event):
    existing = ParticipantFactory(
        delegation=delegations["VNM"],
        email="an.nguyen@example.org",
        given_names="Van An",
        family_name="Nguyen",
        function_title="Director",
    )
    rows = [
        ["Email", "Delegation", "Given names", "Family name", "Function"],
        ["  AN.Nguyen@Example.ORG ", "VNM", "Văn An", "Nguyễn", "Director"],
    ]

    report = run(event, csv_bytes(rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    [row] = report.rows
    assert [(c.field, c.old, c.new) for c in row.changes] == [
        ("Given names", "Van An", "Văn An"),
        ("Family name", "Nguyen", "Nguyễn"),
    ]
    assert Participant.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.given_names, existing.family_name) == ("Văn An", "Nguyễn")
    assert existing.history.first().history_change_reason == "Import of list.csv"


def test_the_same_file_twice_changes_nothing_the_second_time(delegations, event):
    data = csv_bytes(
        [
            [*HEADER, "Date of birth", "Arrival", "Visa letter", "Nationality"],
            [
                "a@example.org",
                "VNM",
                "A",
                "B",
                "",
                "1970-01-02",
                "2025-10-24 09:00",
                "yes",
                "VN",
            ],
        ]
    )
    assert run(event, data).created == 1

    report = run(event, data)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Participant.objects.get().history.count() == 1


def test_empty_cells_leave_stored_values_alone(delegations, event):
    person = ParticipantFactory(
        delegation=delegations["VNM"], email="a@example.org", phone="+84 1"
    )
    rows = [
        ["Email", "Delegation", "Phone", "Hotel"],
        ["a@example.org", "", "", "Daewoo"],
    ]

    report = run(event, csv_bytes(rows))

    assert report.ok, problems(report)
    person.refresh_from_db()
    assert (person.phone, person.hotel) == ("+84 1", "Daewoo")


def test_every_bad_value_is_reported_and_nothing_is_written(delegations, event):
    rows = [
        [
            "Email",
            "Country",
            "Given names",
            "Family name",
            "Role",
            "Date of birth",
            "Gender",
            "Function / title",
            "Visa letter",
            "Arrival",
        ],
        ["ok@example.org", "VNM", "Good", "Row", "", "", "", "", "", ""],
        ["bad-email", "VNM", "A", "B", "", "", "", "", "", ""],
        ["c@example.org", "Narnia", "A", "B", "", "", "", "", "", ""],
        ["d@example.org", "VNM", "", "", "", "", "", "", "", ""],
        ["e@example.org", "VNM", "A", "B", "", "31/02/1980", "", "", "", ""],
        ["f@example.org", "VNM", "A", "B", "", "", "", "x" * 256, "", ""],
        ["g@example.org", "VNM", "A", "B", "Boss", "", "Unknown", "", "maybe", "soon"],
        ["OK@example.org", "VNM", "Dup", "Licate", "", "", "", "", "", ""],
        ["", "VNM", "No", "Email", "", "", "", "", "", ""],
        ["h@example.org", "Korea", "A", "B", "", "", "", "", "", ""],
    ]

    report = run(event, csv_bytes(rows))

    assert problems(report) == [
        (3, "A (Email)", "bad-email", "invalid_email"),
        (4, "B (Country)", "Narnia", "unknown_country"),
        (5, "C (Given names)", "", "required"),
        (5, "D (Family name)", "", "required"),
        (6, "F (Date of birth)", "•••", "invalid_date"),
        (7, "H (Function / title)", "x" * 77 + "...", "too_long"),
        (8, "E (Role)", "Boss", "invalid_choice"),
        (8, "G (Gender)", "Unknown", "invalid_choice"),
        (8, "I (Visa letter)", "maybe", "invalid_choice"),
        (8, "J (Arrival)", "soon", "invalid_datetime"),
        (9, "A (Email)", "ok@example.org", "duplicate"),
        (10, "A (Email)", "", "required"),
        (11, "B (Country)", "Korea", "ambiguous_country"),
    ]
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert messages[7, "H (Function / title)"] == (
        "Too long: at most 255 characters (this one has 256)."
    )
    assert messages[9, "A (Email)"] == "The same email as row 2: one person, one row."
    assert messages[3, "A (Email)"] == "Not a valid email address."
    assert report.error_count == 13
    assert report.summary_line() == "created=0 updated=0 unchanged=0 errors=13"
    assert Participant.objects.count() == 0
    log = TransferLog.objects.get()
    assert (log.status, log.error_count, log.created_count) == ("failed", 13, 0)
    assert log.payload is None


def test_a_quota_the_file_would_exceed_is_an_error(delegations, event):
    ParticipantFactory(
        delegation=delegations["VNM"],
        email="s1@example.org",
        role=DelegationRole.SECURITY,
    )
    ParticipantFactory(
        delegation=delegations["VNM"],
        email="gone@example.org",
        role=DelegationRole.SECURITY,
        status=ParticipantStatus.WITHDRAWN,
    )
    rows = [
        HEADER,
        ["s2@example.org", "VNM", "A", "B", "Security"],
        ["s3@example.org", "VNM", "C", "D", "Security"],
        ["h1@example.org", "VNM", "E", "F", "Head of Delegation"],
        ["h2@example.org", "VNM", "G", "H", "HoD"],
        ["h3@example.org", "TUR", "I", "J", "Head of Delegation"],
    ]

    report = run(event, csv_bytes(rows))

    assert problems(report) == [
        (3, "E (Role)", "Security", "quota"),
        (5, "E (Role)", "Head of Delegation", "quota"),
    ]
    assert report.problems[0].message == (
        "The quota for Security is 2 per delegation; with this row Viet Nam would "
        "have 3."
    )
    assert Participant.objects.count() == 2


def test_an_approved_record_changed_in_a_reviewed_field_goes_back_to_review(
    delegations, event
):
    person = ParticipantFactory(
        delegation=delegations["VNM"],
        email="a@example.org",
        status=ParticipantStatus.APPROVED,
        protocol_rank=ProtocolRank.OFFICIAL,
    )
    rows = [
        ["Email", "Delegation", "Rank", "Hotel"],
        ["a@example.org", "VNM", "Minister", "Melia"],
    ]

    report = run(event, csv_bytes(rows))

    assert report.rows[0].notes == ["approved: goes back to review"]
    person.refresh_from_db()
    assert person.status == ParticipantStatus.SUBMITTED
    assert (person.protocol_rank, person.hotel) == (ProtocolRank.MINISTER, "Melia")
    assert person.decided_at is None


def test_a_withdrawn_registration_is_not_changed(delegations, event):
    ParticipantFactory(
        delegation=delegations["VNM"],
        email="a@example.org",
        status=ParticipantStatus.WITHDRAWN,
        hotel="",
    )
    rows = [["Email", "Delegation", "Hotel"], ["a@example.org", "", "Melia"]]

    report = run(event, csv_bytes(rows))

    assert [p.message for p in report.problems] == [
        "This registration was withdrawn; an import cannot change it."
    ]


def test_an_email_of_another_delegation_is_refused(delegations, event):
    ParticipantFactory(delegation=delegations["TUR"], email="a@example.org")

    report = run(event, csv_bytes([HEADER, ["a@example.org", "VNM", "A", "B", ""]]))

    assert [p.message for p in report.problems] == [
        "This person is already registered for this event, in the delegation of "
        "Türkiye."
    ]
    assert Participant.objects.get().delegation == delegations["TUR"]


def test_model_rules_passport_expiry_and_travel_dates(delegations, event):
    rows = [
        [*HEADER, "Passport expiry", "Arrival", "Departure"],
        ["a@example.org", "VNM", "A", "B", "", "2025-10-25", "", ""],
        [
            "b@example.org",
            "VNM",
            "C",
            "D",
            "",
            "",
            "2025-10-26 10:00",
            "2025-10-25 10:00",
        ],
    ]

    report = run(event, csv_bytes(rows))

    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "F (Passport expiry)", "The passport expires before the event ends."),
        (3, "H (Departure)", "Departure cannot be before arrival."),
    ]
    assert Participant.objects.count() == 0


def test_new_people_are_linked_to_their_verified_account(delegations, event):
    user = VerifiedUserFactory(email="known@example.org")
    EmailAddress.objects.filter(user=user).update(email="Known@Example.org")

    run(event, csv_bytes([HEADER, ["known@example.org", "VNM", "A", "B", ""]]))

    person = Participant.objects.get()
    assert person.user == user
    assert person.status == ParticipantStatus.NOMINATED


def test_history_names_the_importer(delegations, event, admin_user):
    run(
        event,
        csv_bytes([HEADER, ["a@example.org", "VNM", "A", "B", ""]]),
        user=admin_user,
    )

    record = Participant.objects.get().history.get()
    assert record.history_user == admin_user
    assert record.history_type == "+"
    assert record.history_change_reason == "Import of list.csv"


def test_dates_in_the_usual_forms(delegations, event):
    forms = [
        "1970-05-17",
        "17/05/1970",
        "17.05.1970",
        "17-05-1970",
        "17 May 1970",
        "May 17 1970",
    ]
    rows = [[*HEADER, "Date of birth"]] + [
        [f"p{i}@example.org", "VNM", "A", "B", "", value]
        for i, value in enumerate(forms)
    ]

    report = run(event, csv_bytes(rows))

    assert report.ok, problems(report)
    assert set(Participant.objects.values_list("date_of_birth", flat=True)) == {
        dt.date(1970, 5, 17)
    }
