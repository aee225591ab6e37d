"""The import engine every list shares: read the file, match its columns,
check every row in memory against look-ups loaded once (so the number of
queries does not grow with the rows), report every problem, and write
nothing unless the whole file is good.

An ``Importer`` says what one list means: its layout, what it loads before
the rows (``prepare``), what a row turns into (``check_row``), what only the
whole file shows (``check_all``: duplicates, quotas), what it locks before
the check that precedes writing (``lock``) and how it writes (``write``, in
bulk). ``delegations.services.imports`` runs it in a transaction and logs
it; registered importers are found by their ``kind``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .columns import Layout, Row, Table, read_table
from .report import CREATE, HIDDEN, ImportReport, Problem, RowResult
from .tabular import FileProblem, max_rows, read_sheet
from .values import CellError, cell_text

Progress = Callable[[int, int], None]


@dataclass
class ImportContext:
    """Who imports what, where: ``event`` (None for lists that belong to no
    event), ``delegation`` when a focal point imports their own members,
    ``user`` for the history records."""

    event: Any = None
    user: Any = None
    delegation: Any = None
    change_reason: str = ""


@dataclass
class Plan:
    """What one good row will do."""

    row: int
    action: str  # report.CREATE / UPDATE / UNCHANGED
    obj: Any
    label: str
    group: str = ""
    fields: list[str] = field(default_factory=list)  # changed field names
    changes: list = field(default_factory=list)  # report.Change
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def result(self) -> RowResult:
        return RowResult(
            row=self.row,
            action=self.action,
            label=self.label,
            group=self.group,
            changes=list(self.changes),
            notes=list(self.notes),
        )


class RowProblems:
    """Collects one row's problems, naming the column as the file does."""

    def __init__(self, report: ImportReport, table: Table, row: Row, hidden=()):
        self.report, self.table, self.row = report, table, row
        self.hidden = hidden
        self.count = 0
        self.keys: set[str | None] = set()

    def add(self, key: str | None, message: str, code: str, value=None) -> None:
        if value is None and key is not None:
            value = self.row.cells.get(key)
        shown = "" if value is None else cell_text(value).strip()
        if key in self.hidden and shown:
            shown = HIDDEN
        if len(shown) > 80:
            shown = shown[:77] + "..."
        self.report.add(
            Problem(
                row=self.row.number,
                column=self.table.ref(key) if key else "",
                value=shown,
                message=str(message),
                code=code,
            )
        )
        self.count += 1
        self.keys.add(key)

    def cell_error(self, key: str, error: CellError) -> None:
        self.add(key, error.message, error.code)

    def validation_error(self, error: ValidationError, fallback_key: str) -> None:
        """A model's ``clean()`` refusal, each message under its field's
        column (or ``fallback_key``'s)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                key = name if name in self.table.layout_keys else fallback_key
                for item in errors:
                    for message in item.messages:
                        self.add(key, message, item.code or "invalid")
        else:
            for item in error.error_list:
                for message in item.messages:
                    self.add(fallback_key, message, item.code or "invalid")


class Importer:
    """One list that can be imported. Subclasses set the attributes and
    implement the hooks."""

    kind: str = ""
    verbose_name: str = ""
    layout: Layout
    needs_event: bool = True
    # Django permissions the admin import needs (all of them).
    permissions: tuple[str, ...] = ()
    # Columns whose values are never shown or stored in a report.
    hidden_columns: tuple[str, ...] = ()

    def layout_for(self, context: ImportContext) -> Layout:
        return self.layout

    def prepare(self, context: ImportContext, table: Table) -> Any:
        """Load what the rows are checked against (a few queries)."""
        return None

    def check_row(self, state: Any, row: Row, problems: RowProblems) -> Plan | None:
        raise NotImplementedError

    def check_all(
        self, state: Any, plans: list[Plan], report: ImportReport, table: Table
    ) -> None:
        """Problems only the whole file shows (duplicates, quotas)."""

    def lock(self, context: ImportContext) -> None:
        """Lock what concurrent writers must wait for (in the transaction,
        before the final check)."""

    def write(self, state: Any, plans: list[Plan], context: ImportContext) -> None:
        raise NotImplementedError


def check(
    importer: Importer,
    context: ImportContext,
    data: bytes,
    file_name: str,
    *,
    progress: Progress | None = None,
) -> tuple[ImportReport, Any, list[Plan]]:
    """Read and check the whole file; write nothing. Returns the report and,
    for ``apply``, the loaded state and the plans of the good rows."""
    report = ImportReport(kind=importer.kind, file_name=file_name)
    layout = importer.layout_for(context)
    try:
        sheet = read_sheet(data)
        table = read_table(sheet, layout)
        if len(table.rows) > max_rows():
            raise FileProblem(
                _(
                    "The file has more than %(limit)s rows. Split it into several "
                    "files and import them one after the other."
                )
                % {"limit": f"{max_rows():,}"},
                code="too_many_rows",
            )
        if not table.rows:
            raise FileProblem(
                _("The file has a header row (row %(row)s) but no rows below it.")
                % {"row": table.header_row},
                code="no_rows",
            )
    except FileProblem as exc:
        report.fatal = Problem(
            row=None, column="", value="", message=exc.message, code=exc.code
        )
        return report, None, []
    report.columns = [
        (source.ref, layout.header(key)) for key, source in table.columns.items()
    ]
    report.columns.sort()
    report.ignored_columns = table.ignored
    report.notes = table.notes
    report.total_rows = len(table.rows)
    state = importer.prepare(context, table)
    plans: list[Plan] = []
    total = len(table.rows)
    hidden = set(importer.hidden_columns)
    for number, row in enumerate(table.rows, start=1):
        problems = RowProblems(report, table, row, hidden)
        plan = importer.check_row(state, row, problems)
        if plan is not None and not problems.count:
            plans.append(plan)
        if progress is not None and number % 500 == 0:
            progress(number, total)
    importer.check_all(state, plans, report, table)
    bad_rows = {p.row for p in report.problems}
    plans = [plan for plan in plans if plan.row not in bad_rows]
    report.rows = [plan.result() for plan in plans]
    report.finish()
    if progress is not None:
        progress(total, total)
    return report, state, plans


def created_first(plans: list[Plan]) -> list[Plan]:
    return sorted(plans, key=lambda p: (p.action != CREATE, p.row))


# Registry: the lists that can be imported (apps above delegations add theirs
# from their AppConfig.ready()).

_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise LookupError(f"no importer for {kind!r}") from None


def importers() -> dict[str, Importer]:
    return dict(_IMPORTERS)
