"""Reading the spreadsheets people send: CSV (comma, semicolon or tab;
UTF-8 with or without a byte order mark, UTF-16 as Excel's "Unicode text"
writes it) and XLSX. Anything else, or a file that cannot be decoded, is
refused with one message saying what to do (``FileProblem``).

The reader returns the cells as found (text from CSV; text, numbers, dates
and booleans from XLSX); the column layouts (``columns.py``) find the header
row and the value parsers (``values.py``) turn cells into field values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

# Defaults; each can be changed in settings (read when a file is read).
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# An XLSX is a ZIP archive: refuse one that unpacks to more than this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | None


class FileProblem(Exception):
    """The file as a whole cannot be imported; ``message`` says why and what
    to do, for the person who uploaded it."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Sheet:
    """The rows of the file's first sheet, as read (trailing empty cells
    dropped). ``rows[i]`` is spreadsheet row ``i + 1``."""

    format: str  # "csv" or "xlsx"
    rows: list[list[Cell]]
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def max_file_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_FILE_BYTES", MAX_FILE_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", MAX_ROWS)


def read_sheet(data: bytes) -> Sheet:
    """The rows of ``data`` (the uploaded file's bytes). Raises
    ``FileProblem`` for an empty or oversized file, a file that is not a
    spreadsheet, or one that cannot be decoded."""
    if not data:
        raise FileProblem(_("The file is empty."), code="empty")
    limit = max_file_bytes()
    if len(data) > limit:
        raise FileProblem(
            _(
                "The file is larger than %(limit)s. Split it into several "
                "files and import them one after the other."
            )
            % {"limit": file_size_label(limit)},
            code="too_large",
        )
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            _(
                "This is an old Excel file (.xls). Open it in Excel, save it as "
                "“Excel Workbook (.xlsx)” or “CSV UTF-8”, and upload that file."
            ),
            code="xls",
        )
    if head.startswith(b"%PDF"):
        raise FileProblem(
            _("This is a PDF document, not a spreadsheet. Upload a CSV or XLSX file."),
            code="not_spreadsheet",
        )
    if head.startswith(_IMAGE_MAGIC) or _looks_binary(data):
        raise FileProblem(not_text_message(), code="not_spreadsheet")
    return _read_csv(data)


_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"II*\x00", b"MM\x00*")


def not_text_message() -> str:
    return _(
        "This is not a spreadsheet (it holds binary data). Upload a CSV or XLSX file."
    )


def _looks_binary(data: bytes) -> bool:
    """Control characters that no text file holds (UTF-16 aside, whose
    zero bytes are its own)."""
    sample = data[:1024]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in sample[:2]:
        return False
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) * 0.05


def file_size_label(size: int) -> str:
    """10485760 → "10 MB", 2048 → "2 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(size // 1024, 1)} KB"


# XLSX ----------------------------------------------------------------------


def _read_xlsx(data: bytes) -> Sheet:
    damaged = FileProblem(
        _(
            "The file looks like an Excel workbook but cannot be opened (it may "
            "be damaged or protected with a password). Save it again as .xlsx "
            "or as CSV UTF-8 and upload that."
        ),
        code="damaged",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged from exc
    if "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:
            raise FileProblem(
                _(
                    "This is an OpenDocument file (.ods); save it as .xlsx or as "
                    "CSV UTF-8 and upload that."
                ),
                code="not_spreadsheet",
            )
        raise FileProblem(
            _(
                "This is a ZIP archive or a Word document, not a spreadsheet. "
                "Upload a CSV or XLSX file."
            ),
            code="not_spreadsheet",
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(
            _("The workbook is too large once unpacked. Split it into several files."),
            code="too_large",
        )
    from openpyxl import load_workbook

    rows: list[list[Cell]] = []
    limit = max_rows()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise damaged
            sheet = workbook.worksheets[0]
            # Files written by other tools often carry wrong dimensions.
            sheet.reset_dimensions()
            for values in sheet.iter_rows(values_only=True):
                row = _trim(list(values))
                if len(row) > MAX_COLUMNS:
                    raise _too_many_columns()
                rows.append(row)
                if len(rows) > limit + 10:
                    raise _too_many_rows(limit)
        finally:
            workbook.close()
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the parser
        raise damaged from exc
    notes = []
    if len(workbook.sheetnames) > 1:
        notes.append(
            _("Only the first sheet (%(name)s) was read.") % {"name": sheet.title}
        )
    return Sheet(format="xlsx", rows=rows, notes=notes)


def _trim(row: list[Cell]) -> list[Cell]:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]


def _too_many_rows(limit: int) -> FileProblem:
    return FileProblem(
        _(
            "The file has more than %(limit)s rows. Split it into several files "
            "and import them one after the other."
        )
        % {"limit": f"{limit:,}"},
        code="too_many_rows",
    )


def _too_many_columns() -> FileProblem:
    return FileProblem(
        _("The file has more than %(limit)s columns; is it the right file?")
        % {"limit": MAX_COLUMNS},
        code="too_many_columns",
    )


# CSV -----------------------------------------------------------------------

UNDECODABLE = (
    "The file cannot be read as text: it is neither UTF-8 nor UTF-16. In Excel, "
    "choose File, Save As, “CSV UTF-8 (Comma delimited)”, or save it as .xlsx, "
    "and upload that file."
)


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of ``data``: UTF-8 (byte order mark or not) or
    UTF-16 (with a byte order mark, as Excel writes it, or without one when
    every other byte is zero)."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        sample = data[:4096]
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        half = len(sample) // 2
        if half and odd_zeros > half * 0.4 and even_zeros < half * 0.1:
            candidates = ["utf-16-le"]
        elif half and even_zeros > half * 0.4 and odd_zeros < half * 0.1:
            candidates = ["utf-16-be"]
        else:
            candidates = ["utf-8"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileProblem(_(UNDECODABLE), code="undecodable")


def _read_csv(data: bytes) -> Sheet:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise FileProblem(not_text_message(), code="not_spreadsheet")
    delimiter = _sniff_delimiter(text)
    limit = max_rows()
    rows: list[list[Cell]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                raise _too_many_columns()
            if any(len(cell) > MAX_CELL_CHARS for cell in record):
                raise FileProblem(
                    _("Row %(row)s has a cell longer than %(limit)s characters.")
                    % {"row": len(rows) + 1, "limit": f"{MAX_CELL_CHARS:,}"},
                    code="cell_too_long",
                )
            rows.append(_trim(record))
            if len(rows) > limit + 10:
                raise _too_many_rows(limit)
    except csv.Error as exc:
        raise FileProblem(
            _("The CSV file cannot be read near row %(row)s (%(reason)s).")
            % {"row": len(rows) + 1, "reason": exc},
            code="bad_csv",
        ) from exc
    return Sheet(format="csv", rows=rows, encoding=encoding, delimiter=delimiter)


DELIMITERS = (",", ";", "\t")


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, the
    same number on most lines (a comma inside "Korea, Republic of" in a
    semicolon file does not fool it: quoted cells are parsed as such)."""
    sample_lines = []
    for line in io.StringIO(text[:65536], newline=""):
        if line.strip():
            sample_lines.append(line)
        if len(sample_lines) >= 30:
            break
    sample = "".join(sample_lines)
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            records = list(
                csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            )
        except csv.Error:
            continue
        widths = Counter(len(_trim(list(r))) for r in records if any(r))
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (count if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def estimate_rows(data: bytes) -> int:
    """About how many rows ``data`` holds, without reading it all (to decide
    whether an import runs in the background): lines for a text file, the
    sheet's recorded size for a workbook (or a guess from its size)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(data), read_only=True)
            try:
                rows = workbook.worksheets[0].max_row if workbook.worksheets else 0
            finally:
                workbook.close()
            if rows:
                return rows
        except Exception:  # noqa: BLE001 - the real read reports it
            pass
        return len(data) // 40
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[1:2] == b"\x00":
        return data.count(b"\n\x00") or data.count(b"\x00\n")
    return data.count(b"\n")
