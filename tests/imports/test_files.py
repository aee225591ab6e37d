"""Reading the files missions send: encodings, delimiters, XLSX, headers,
names in every script; and the one clear message for a file that cannot
be imported (with nothing written)."""

import datetime as dt
import io
import unicodedata
import zipfile

import pytest

from delegations.models import Participant
from tests.imports.conftest import HEADER, csv_bytes, people, problems, run, xlsx_bytes

ROWS = [
    HEADER,
    ["an.nguyen@example.org", "Viet Nam", "Văn An", "Nguyễn", "Head of Delegation"],
    ["ayse@example.org", "Türkiye", "Ayşe", "Yılmaz", "Delegate"],
]
EXPECTED = [
    ("an.nguyen@example.org", "VNM", "Văn An", "Nguyễn"),
    ("ayse@example.org", "TUR", "Ayşe", "Yılmaz"),
]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(csv_bytes(ROWS), id="utf8-comma"),
        pytest.param(csv_bytes(ROWS, bom=True), id="utf8-bom-comma"),
        pytest.param(csv_bytes(ROWS, delimiter=";", bom=True), id="utf8-bom-semicolon"),
        pytest.param(csv_bytes(ROWS, delimiter=";"), id="utf8-semicolon"),
        # Excel's "Unicode Text": UTF-16 little-endian with a BOM, tabs.
        pytest.param(
            csv_bytes(ROWS, delimiter="\t", encoding="utf-16"), id="utf16-tab"
        ),
        pytest.param(
            csv_bytes(ROWS, delimiter=";", encoding="utf-16"), id="utf16-semi"
        ),
        pytest.param(
            csv_bytes(ROWS, delimiter="\t", encoding="utf-16-le"), id="utf16le-no-bom"
        ),
        pytest.param(xlsx_bytes(ROWS), id="xlsx"),
    ],
)
def test_each_format_imports_the_same_people(delegations, event, data):
    report = run(event, data)

    assert report.ok, problems(report)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert people(event) == EXPECTED


def test_semicolon_file_with_commas_in_unquoted_cells(delegations, event):
    data = (
        b"Email;Country;First name;Last name\r\n"
        b"kim@example.org;Korea, Republic of;Min-jun;Kim\r\n"
        b"lee@example.org;Korea, Republic of;Seo-yeon;Lee\r\n"
    )

    report = run(event, data)

    assert report.ok, problems(report)
    assert people(event) == [
        ("kim@example.org", "KOR", "Min-jun", "Kim"),
        ("lee@example.org", "KOR", "Seo-yeon", "Lee"),
    ]


def test_decomposed_vietnamese_from_a_mac_is_stored_composed(delegations, event):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert nfd != unicodedata.normalize("NFC", nfd)
    rows = [HEADER, ["anh@example.org", "VNM", f"  {nfd.split(' ', 1)[1]} ", "Nguyễn"]]

    run(event, csv_bytes([[unicodedata.normalize("NFD", c) for c in r] for r in rows]))

    person = Participant.objects.get()
    assert person.given_names == "Thị Ánh"
    assert unicodedata.is_normalized("NFC", person.given_names)
    assert unicodedata.is_normalized("NFC", person.family_name)
    assert person.family_name == "Nguyễn"


def test_arabic_and_chinese_names(delegations, event):
    rows = [
        HEADER,
        ["a@example.org", "FRA", "محمد بن سلمان", "العتيبي", ""],
        ["c@example.org", "FRA", "小明", "王", ""],
    ]

    report = run(event, xlsx_bytes(rows))

    assert report.ok
    assert people(event) == [
        ("a@example.org", "FRA", "محمد بن سلمان", "العتيبي"),
        ("c@example.org", "FRA", "小明", "王"),
    ]


def test_headers_in_any_case_without_accents_and_their_variants(delegations, event):
    rows = [
        ["E-MAIL", "country", "Prénom", "SURNAME", "Passport No.", "D.O.B"],
        ["x@example.org", "VN", "An", "Lê", "C123", "17/05/1970"],
    ]

    report = run(event, csv_bytes(rows))

    assert report.ok, problems(report)
    person = Participant.objects.get()
    assert (person.given_names, person.family_name, person.passport_number) == (
        "An",
        "Lê",
        "C123",
    )
    assert person.date_of_birth == dt.date(1970, 5, 17)
    assert report.ignored_columns == []


def test_title_rows_above_the_header_and_unknown_columns_are_skipped(
    delegations, event
):
    rows = [
        ["Delegation of Viet Nam: list of members"],
        [],
        [
            "No.",
            "Family name (as in passport)",
            "Given names (as in passport)",
            "Email",
        ],
        ["1", "Trần", "Bình", "binh@example.org"],
    ]

    report = run(event, csv_bytes(rows), delegation=delegations["VNM"])

    assert report.ok, problems(report)
    assert report.ignored_columns == ["A (No.)"]
    assert people(event) == [("binh@example.org", "VNM", "Bình", "Trần")]


def test_xlsx_native_dates_numbers_and_only_the_first_sheet(delegations, event):
    rows = [
        [*HEADER, "Passport number", "Passport expiry", "Date of birth", "Arrival"],
        [
            "n@example.org",
            "VNM",
            "An",
            "Phạm",
            "",
            12345678,
            dt.datetime(2031, 1, 31),
            dt.date(1980, 2, 29),
            dt.datetime(2025, 10, 24, 14, 30),
        ],
    ]

    report = run(event, xlsx_bytes(rows, sheets=2), name="list.xlsx")

    assert report.ok, problems(report)
    assert report.notes == ["Only the first sheet (Members) was read."]
    person = Participant.objects.get()
    assert person.passport_number == "12345678"
    assert person.passport_expiry == dt.date(2031, 1, 31)
    assert person.date_of_birth == dt.date(1980, 2, 29)
    # 14:30 in Hanoi is 07:30 UTC.
    assert person.arrival_at == dt.datetime(2025, 10, 24, 7, 30, tzinfo=dt.UTC)


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty", "The file is empty."),
        (
            b"%PDF-1.7\n...",
            "not_spreadsheet",
            "This is a PDF document, not a spreadsheet. Upload a CSV or XLSX file.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "xls",
            "This is an old Excel file (.xls). Open it in Excel, save it as “Excel "
            "Workbook (.xlsx)” or “CSV UTF-8”, and upload that file.",
        ),
        (
            "Email;Nom;Prénom\nx@example.org;Lê;Thu\n".encode("latin-1"),
            "undecodable",
            "The file cannot be read as text: it is neither UTF-8 nor UTF-16. In "
            "Excel, choose File, Save As, “CSV UTF-8 (Comma delimited)”, or save it "
            "as .xlsx, and upload that file.",
        ),
        (
            _zip({"word/document.xml": b"<w/>"}),
            "not_spreadsheet",
            "This is a ZIP archive or a Word document, not a spreadsheet. Upload a "
            "CSV or XLSX file.",
        ),
        (
            b"PK\x03\x04garbage",
            "damaged",
            "The file looks like an Excel workbook but cannot be opened (it may be "
            "damaged or protected with a password). Save it again as .xlsx or as "
            "CSV UTF-8 and upload that.",
        ),
        (
            b"binary\x00data\x00here",
            "not_spreadsheet",
            "This is not a spreadsheet (it holds binary data). Upload a CSV or XLSX "
            "file.",
        ),
        (
            b"name,town\nAn,Hanoi\n",
            "no_header",
            "No header row was found: one of the first 10 rows must name the "
            "columns, for example Email, Delegation, Given names, Family name. "
            "Download the template to see the columns.",
        ),
        (
            b"Given names,Family name,Delegation\nAn,Le,VNM\n",
            "missing_column",
            "The header row (row 1) has no column “Email”. Add it, or download the "
            "template to see the columns.",
        ),
        (
            b"Email,Surname,Last name,Delegation\nx@example.org,A,B,VNM\n",
            "duplicate_column",
            "Two columns mean “Family name”: B (Surname) and C (Last name). Keep "
            "one of them.",
        ),
        (
            b"Email,Delegation,Given names,Family name\n\n,,\n",
            "no_rows",
            "The file has a header row (row 1) but no rows below it.",
        ),
    ],
    ids=[
        "empty",
        "pdf",
        "xls",
        "latin1",
        "docx",
        "bad-zip",
        "binary",
        "no-header",
        "missing-email",
        "two-surnames",
        "no-rows",
    ],
)
def test_a_file_that_cannot_be_imported_gets_one_clear_message(
    delegations, event, data, code, message
):
    report = run(event, data)

    assert report.fatal is not None
    assert (report.fatal.code, report.fatal.message) == (code, message)
    assert report.error_count == 1
    assert Participant.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(delegations, event, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1024
    data = csv_bytes(
        [HEADER] + [[f"p{i}@example.org", "VNM", "A", "B", ""] for i in range(60)]
    )

    report = run(event, data)

    assert report.fatal.code == "too_large"
    assert report.fatal.message == (
        "The file is larger than 1 KB. Split it into several files and import "
        "them one after the other."
    )
    assert Participant.objects.count() == 0


def test_a_file_over_the_row_limit_is_refused(delegations, event, settings):
    settings.IMPORT_MAX_ROWS = 5
    data = csv_bytes(
        [HEADER] + [[f"p{i}@example.org", "VNM", "A", "B", ""] for i in range(6)]
    )

    report = run(event, data)

    assert report.fatal.code == "too_many_rows"
    assert report.fatal.message == (
        "The file has more than 5 rows. Split it into several files and import "
        "them one after the other."
    )
    assert Participant.objects.count() == 0
