"""Column layouts: for each list that can be imported, its columns (header,
the other headers people write for it, whether it is required, what it
holds), how the header row of a file is found and its cells matched to the
columns, and the template file with the headers.

Headers are compared folded (``values.fold``: any case, no accents, no
punctuation), and also without a part in brackets, so "Family name (as in
passport)", "FAMILY NAME", "Surname" and "Last name" are one column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .tabular import Cell, FileProblem, Sheet
from .values import cell_text, fold, neutralise

# The header row is looked for in the first rows (a title or a note above
# the table is common).
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the English header, as in the template and the exports
    synonyms: tuple[str, ...] = ()
    required: bool = False  # the column must be there
    required_new: bool = False  # a value is needed to create a record
    help: str = ""  # what it holds, for the layout table
    example: str = ""
    importable: bool = True  # False: written by exports, ignored by imports


@dataclass
class Layout:
    """The columns of one list."""

    columns: tuple[Column, ...]
    _index: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for column in self.columns:
            for name in (column.header, column.key, *column.synonyms):
                for key in header_keys(name):
                    self._index.setdefault(key, column.key)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def header(self, key: str) -> str:
        return self.column(key).header

    @property
    def importable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.importable)

    def match(self, header: Cell) -> str | None:
        for key in header_keys(cell_text(header)):
            found = self._index.get(key)
            if found is not None:
                return found
        return None

    def without(self, *keys: str) -> Layout:
        return Layout(tuple(c for c in self.columns if c.key not in keys))


def header_keys(text: str) -> list[str]:
    """``text`` folded, folded without any part in brackets, and both
    without spaces."""
    keys = [fold(text)]
    bare = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    if bare != text:
        keys.append(fold(bare))
    # "D.O.B", "E-mail" and "Passport No." meet "DOB", "Email", "Passport no".
    keys += [key.replace(" ", "") for key in keys]
    return [key for key in dict.fromkeys(keys) if key]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: as Excel names columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class SourceColumn:
    """A column of the file that matched a column of the layout."""

    key: str
    index: int
    header: str  # as written in the file

    @property
    def ref(self) -> str:
        return f"{column_letter(self.index)} ({self.header})"


@dataclass
class Row:
    number: int  # the spreadsheet's row number
    cells: dict[str, Cell]  # by column key; only the columns in the file


@dataclass
class Table:
    """A file read against a layout: which of its columns mean what, and
    its data rows (blank ones left out)."""

    layout: Layout
    columns: dict[str, SourceColumn]
    ignored: list[str]
    rows: list[Row]
    header_row: int
    notes: list[str]

    @property
    def layout_keys(self) -> set[str]:
        return {c.key for c in self.layout.columns}

    def ref(self, key: str) -> str:
        """How a problem names the column ``key``: letter and header."""
        source = self.columns.get(key)
        return source.ref if source else self.layout.header(key)


def read_table(sheet: Sheet, layout: Layout) -> Table:
    """Match ``sheet``'s header row to ``layout``. Raises ``FileProblem``
    when no row in the first ten looks like a header, a column appears
    twice, or a required column is missing."""
    best_row, best_matches = None, {}
    for number, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        matches = {}
        for index, cell in enumerate(cells):
            key = layout.match(cell)
            if key is not None:
                matches.setdefault(key, []).append(index)
        if len(matches) > len(best_matches):
            best_row, best_matches = number, matches
    if best_row is None:
        raise FileProblem(
            _(
                "No header row was found: one of the first %(rows)s rows must "
                "name the columns, for example %(example)s. Download the "
                "template to see the columns."
            )
            % {
                "rows": HEADER_SEARCH_ROWS,
                "example": ", ".join(
                    c.header for c in layout.importable if c.required or c.required_new
                )
                or layout.columns[0].header,
            },
            code="no_header",
        )
    header_cells = sheet.rows[best_row - 1]
    columns: dict[str, SourceColumn] = {}
    for key, indexes in best_matches.items():
        if len(indexes) > 1:
            raise FileProblem(
                _("Two columns mean “%(column)s”: %(headers)s. Keep one of them.")
                % {
                    "column": layout.header(key),
                    "headers": _(" and ").join(
                        f"{column_letter(i)} ({cell_text(header_cells[i]).strip()})"
                        for i in indexes
                    ),
                },
                code="duplicate_column",
            )
        index = indexes[0]
        columns[key] = SourceColumn(
            key=key, index=index, header=cell_text(header_cells[index]).strip()
        )
    missing = [
        c.header for c in layout.importable if c.required and c.key not in columns
    ]
    if missing:
        raise FileProblem(
            _(
                "The header row (row %(row)s) has no column %(columns)s. Add it, "
                "or download the template to see the columns."
            )
            % {
                "row": best_row,
                "columns": _(" and no column ").join(f"“{m}”" for m in missing),
            },
            code="missing_column",
        )
    matched = {source.index for source in columns.values()}
    ignored = [
        f"{column_letter(i)} ({cell_text(cell).strip()})"
        for i, cell in enumerate(header_cells)
        if i not in matched and cell_text(cell).strip()
    ]
    wanted = [
        (source.key, source.index)
        for source in columns.values()
        if layout.column(source.key).importable
    ]
    rows = []
    for number, cells in enumerate(sheet.rows[best_row:], start=best_row + 1):
        if not any(cell_text(c).strip() for c in cells):
            continue
        width = len(cells)
        rows.append(
            Row(
                number=number,
                cells={key: cells[i] if i < width else None for key, i in wanted},
            )
        )
    return Table(
        layout=layout,
        columns=columns,
        ignored=ignored,
        rows=rows,
        header_row=best_row,
        notes=list(sheet.notes),
    )


# Templates -------------------------------------------------------------------


def template_rows(layout: Layout, *, example: bool = True) -> list[list[str]]:
    rows = [[c.header for c in layout.importable]]
    if example:
        rows.append([c.example for c in layout.importable])
    return rows


def render_rows(rows: list[list], fmt: str, *, title: str = "") -> bytes:
    """``rows`` as a CSV (UTF-8 with a byte order mark, so Excel reads the
    accents) or XLSX file, every cell neutralised (``values.neutralise``)."""
    safe = [[neutralise(cell) for cell in row] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows(["" if c is None else c for c in row] for row in safe)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font

        safe = [
            [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row]
            for row in safe
        ]

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=(title or "Sheet1")[:31])
        for number, row in enumerate(safe):
            if number == 0:
                cells = []
                for value in row:
                    cell = _write_only_cell(sheet, value)
                    cell.font = Font(bold=True)
                    cells.append(cell)
                sheet.append(cells)
            else:
                sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(fmt)


def _write_only_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, value=value)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
