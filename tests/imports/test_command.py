"""manage.py import_participants FILE --event SLUG [--dry-run]."""

import io

import pytest
from django.core.management import CommandError, call_command

from delegations.models import Participant, TransferLog
from tests.imports.conftest import HEADER, csv_bytes

GOOD = [
    HEADER,
    ["an@example.org", "Vietnam", "Văn An", "Nguyễn", "Head of Delegation"],
    ["ayse@example.org", "Turkey", "Ayşe", "Yılmaz", ""],
]


def _call(path, event, *extra) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command(
            "import_participants", str(path), "--event", event.slug, *extra, stdout=out
        )
    except SystemExit as exc:
        return out.getvalue(), exc.code
    return out.getvalue(), 0


def test_dry_run_reports_and_writes_nothing(delegations, event, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes(GOOD, delimiter=";", bom=True))

    output, code = _call(path, event, "--dry-run")

    assert code == 0
    assert output.splitlines() == [
        "row 2: create Văn An NGUYỄN <an@example.org> (Viet Nam)",
        "row 3: create Ayşe YILMAZ <ayse@example.org> (Türkiye)",
        "dry run: nothing was written",
        "created=2 updated=0 unchanged=0 errors=0",
    ]
    assert Participant.objects.count() == 0
    log = TransferLog.objects.get()
    assert (log.source, log.dry_run, log.file_name, log.actor) == (
        "command",
        True,
        "members.csv",
        "command line",
    )


def test_import_writes_and_ends_with_the_counts(delegations, event, tmp_path):
    path = tmp_path / "members.xlsx"
    from tests.imports.conftest import xlsx_bytes

    path.write_bytes(xlsx_bytes(GOOD))

    output, code = _call(path, event)
    again, code_again = _call(path, event)

    assert (code, code_again) == (0, 0)
    assert output.splitlines()[-1] == "created=2 updated=0 unchanged=0 errors=0"
    assert again.splitlines() == ["created=0 updated=0 unchanged=2 errors=0"]
    assert Participant.objects.count() == 2


def test_a_file_with_errors_exits_1_and_writes_nothing(delegations, event, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes([*GOOD, ["bad", "Atlantis", "", "", ""]]))

    output, code = _call(path, event)

    assert code == 1
    assert output.splitlines() == [
        "error: row 4, column A (Email), value “bad”: Not a valid email address.",
        "error: row 4, column B (Delegation), value “Atlantis”: Unknown country or "
        "organisation: write the ISO code (VNM or VN), the UN name (Viet Nam) or the "
        "organisation's name.",
        "error: row 4, column C (Given names): Required for a new person.",
        "error: row 4, column D (Family name): Required for a new person.",
        "the file has errors: nothing was written",
        "created=0 updated=0 unchanged=0 errors=4",
    ]
    assert Participant.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_exits_1(delegations, event, tmp_path):
    path = tmp_path / "photo.pdf"
    path.write_bytes(b"%PDF-1.4 ...")

    output, code = _call(path, event)

    assert code == 1
    assert output.splitlines() == [
        "error: This is a PDF document, not a spreadsheet. Upload a CSV or XLSX file.",
        "the file has errors: nothing was written",
        "created=0 updated=0 unchanged=0 errors=1",
    ]


def test_unknown_event_or_missing_file(delegations, event, tmp_path):
    with pytest.raises(CommandError, match="no event with slug 'nope'"):
        call_command("import_participants", str(tmp_path / "x.csv"), "--event", "nope")
    with pytest.raises(CommandError, match="cannot read"):
        call_command(
            "import_participants", str(tmp_path / "x.csv"), "--event", event.slug
        )
