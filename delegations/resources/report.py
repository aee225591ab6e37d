"""What an import check found, for the preview page, the portal, the
command line and the import log: every problem with its row, column, value
and reason, and for every good row whether it creates, updates (which
fields, from what to what) or leaves a record unchanged."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

# The log keeps at most this many problems and row results (the counts are
# always complete).
STORED_PROBLEMS = 1000
STORED_ROWS = 2000
HIDDEN = "•••"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row number; None for the file as a whole
    column: str  # "C (Surname)"; empty for the file or the whole row
    value: str
    message: str
    code: str

    def as_line(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        if self.value:
            parts.append(_("value “%(value)s”") % {"value": self.value})
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


def _problem_order(problem: Problem) -> tuple:
    """By row, then by column as the spreadsheet orders them (B before AA)."""
    letters = problem.column.split(" ", 1)[0] if problem.column else ""
    return (problem.row or 0, len(letters), letters)


@dataclass(frozen=True)
class Change:
    field: str  # label
    old: str
    new: str


@dataclass
class RowResult:
    row: int
    action: str  # CREATE, UPDATE or UNCHANGED
    label: str  # who or what the row is about
    group: str = ""  # the delegation, the event day, ...
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_line(self) -> str:
        verb = {
            CREATE: _("create"),
            UPDATE: _("update"),
            UNCHANGED: _("unchanged"),
        }[self.action]
        line = _("row %(row)s: %(verb)s %(label)s") % {
            "row": self.row,
            "verb": verb,
            "label": self.label,
        }
        if self.group:
            line += f" ({self.group})"
        if self.changes:
            line += ": " + "; ".join(
                f"{c.field} “{c.old}” → “{c.new}”" if c.old else f"{c.field} “{c.new}”"
                for c in self.changes
            )
        for note in self.notes:
            line += f" [{note}]"
        return line


@dataclass
class ImportReport:
    kind: str
    file_name: str = ""
    fatal: Problem | None = None  # the file as a whole was refused
    columns: list[tuple[str, str]] = field(default_factory=list)  # (file, ours)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problem_count: int = 0  # all of them, including those not stored
    row_count_stored: int = 0

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.error_count

    @property
    def error_count(self) -> int:
        if self.fatal is not None:
            return 1
        return max(self.problem_count, len(self.problems))

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.problem_count += 1

    def finish(self) -> None:
        """Sort the problems by row and count the rows' outcomes."""
        self.problems.sort(key=_problem_order)
        self.created = sum(1 for r in self.rows if r.action == CREATE)
        self.updated = sum(1 for r in self.rows if r.action == UPDATE)
        self.unchanged = sum(1 for r in self.rows if r.action == UNCHANGED)
        self.problem_count = max(self.problem_count, len(self.problems))

    def summary_line(self) -> str:
        """The command line's last line. Counts are of what was (or, for a
        check, would be) written: zero when the file has errors."""
        ok = self.ok
        return f"created={self.created if ok else 0} updated={self.updated if ok else 0} unchanged={self.unchanged if ok else 0} errors={self.error_count}"

    # Stored in TransferLog.report ----------------------------------------

    def to_json(self) -> dict:
        # Only what is stored is converted (asdict of 10,000 rows is slow).
        rows = [r for r in self.rows if r.action != UNCHANGED][:STORED_ROWS]
        data = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in ("fatal", "problems", "rows", "columns")
        }
        data["fatal"] = asdict(self.fatal) if self.fatal else None
        data["columns"] = [list(c) for c in self.columns]
        data["problems"] = [asdict(p) for p in self.problems[:STORED_PROBLEMS]]
        data["rows"] = [asdict(r) for r in rows]
        data["row_count_stored"] = len(rows)
        return data

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        if not data:
            return cls(kind="")
        data = dict(data)
        fatal = data.pop("fatal", None)
        problems = [Problem(**p) for p in data.pop("problems", [])]
        rows = []
        for row in data.pop("rows", []):
            row = dict(row)
            row["changes"] = [Change(**c) for c in row.get("changes", [])]
            rows.append(RowResult(**row))
        data["columns"] = [tuple(c) for c in data.get("columns", [])]
        known = {f for f in cls.__dataclass_fields__}
        report = cls(**{k: v for k, v in data.items() if k in known})
        report.fatal = Problem(**fatal) if fatal else None
        report.problems = problems
        report.rows = rows
        return report

    @property
    def rows_not_shown(self) -> int:
        changed = self.created + self.updated
        return max(changed - len([r for r in self.rows if r.action != UNCHANGED]), 0)

    @property
    def problems_not_shown(self) -> int:
        return max(self.problem_count - len(self.problems), 0)
