"""manage.py import_participants FILE --event SLUG [--dry-run]

Checks the file and, unless --dry-run or it has errors, imports it: the
same check, rules and report as the admin and the portal. Prints every
problem (row, column, value, reason), every row created or updated with the
changed fields, and ends with one line:

    created=<n> updated=<n> unchanged=<n> errors=<n>

Exits 1 when the file has errors (and then writes nothing).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from delegations.models import TransferLog
from delegations.resources.report import UNCHANGED
from delegations.services.imports import import_file
from hanoi_event.models import Event


class Command(BaseCommand):
    help = "Import participants from a CSV or XLSX file into an event."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (comma, semicolon or tab) or XLSX file")
        parser.add_argument("--event", required=True, help="the event's slug")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and report only; write nothing",
        )
        parser.add_argument(
            "--user",
            help="email of the account the history records name (optional)",
        )

    def handle(self, *args, **options):
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            slugs = ", ".join(Event.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"no event with slug {options['event']!r} (events: {slugs})"
            )
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        user = None
        if options["user"]:
            user = (
                get_user_model().objects.filter(email__iexact=options["user"]).first()
            )
            if user is None:
                raise CommandError(f"no account with email {options['user']!r}")
        _log, report = import_file(
            kind="participants",
            data=data,
            file_name=path.name,
            event=event,
            user=user,
            source=TransferLog.Source.COMMAND,
            dry_run=options["dry_run"],
        )
        out = self.stdout
        if report.fatal:
            out.write(f"error: {report.fatal.message}")
        for note in report.notes:
            out.write(f"note: {note}")
        if report.ignored_columns:
            out.write("ignored columns: " + ", ".join(report.ignored_columns))
        for problem in report.problems:
            out.write(f"error: {problem.as_line()}")
        if report.ok:
            for row in report.rows:
                if row.action != UNCHANGED:
                    out.write(row.as_line())
            if options["dry_run"]:
                out.write("dry run: nothing was written")
        else:
            out.write("the file has errors: nothing was written")
        out.write(report.summary_line())
        if not report.ok:
            raise SystemExit(1)
