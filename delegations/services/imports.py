"""Imports of lists (participants, delegations, organisations, and the lists
other apps register, such as programme items): the one path the admin, the
portal and the command line all take.

1. ``import_upload``: the file is recorded (a ``TransferLog`` holding it)
   and checked: every row in memory, every problem reported, nothing
   written. A large file (more than ``IMPORT_BACKGROUND_ROWS`` rows) is
   checked by a worker when a broker is configured; the log shows the
   progress.
2. ``import_confirm``: a checked file without errors is imported: in one
   transaction, after locking what concurrent writers wait for (the
   delegations, for the quotas), the file is checked again against the data
   as it is now and, only if every row is still good, written in bulk with
   the history records. The log's result is written in the same
   transaction, so a worker killed half-way leaves nothing behind and a
   repeated task does nothing.

``import_file`` does both in this process (command line, benchmarks).
Uploaded files are dropped once imported or refused, and a day after the
check if nobody confirms (they hold passport data).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hanoi_event.background import enqueue

from ..models import Delegation, TransferLog
from ..resources import importer as engine
from ..resources.report import ImportReport, Problem

logger = logging.getLogger(__name__)

IMPORT_CHECK_TASK = "delegations.import_check"
IMPORT_APPLY_TASK = "delegations.import_apply"
BACKGROUND_ROWS = 1000
KEEP_FILES = dt.timedelta(days=1)
_CHANGE_REASON_MAX = 100  # simple-history's history_change_reason

Status = TransferLog.Status


def background_rows() -> int:
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS)


def runs_in_background(rows: int) -> bool:
    """True when a broker is configured and ``rows`` is above the threshold
    (without a broker, tasks would run in the request anyway)."""
    eager = getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True)
    return not eager and rows > background_rows()


def actor_of(user, source: str) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return user.get_username() if not user.email else user.email
    if source == TransferLog.Source.COMMAND:
        return _("command line")
    return ""


def _context(log: TransferLog) -> engine.ImportContext:
    reason = _("Import of %(file)s") % {"file": log.file_name}
    return engine.ImportContext(
        event=log.event,
        user=log.user,
        delegation=log.delegation,
        change_reason=reason[:_CHANGE_REASON_MAX],
    )


def expire_stale_files(*, now: dt.datetime | None = None) -> int:
    """Drop the files older than a day: uploads nobody confirmed (the check
    stays in the log, as expired) and exports made in the background.
    Idempotent. Returns how many logs changed."""
    cutoff = (now or timezone.now()) - KEEP_FILES
    stale = TransferLog.objects.filter(created_at__lt=cutoff)
    expired = stale.filter(status__in=[Status.CHECKED, Status.RUNNING]).update(
        status=Status.EXPIRED, payload=None, phase=""
    )
    dropped = stale.filter(payload__isnull=False).update(payload=None)
    return expired + dropped


# 1. Upload and check ----------------------------------------------------------


def import_upload(
    *,
    kind: str,
    data: bytes,
    file_name: str,
    user=None,
    source: str,
    event=None,
    delegation: Delegation | None = None,
) -> TransferLog:
    """Record the upload of ``data`` and check it. Returns the log: checked
    (``Status.CHECKED``, or ``FAILED`` with the problems in its report), or
    still running when a worker checks it. Writes only the log."""
    engine.importer_for(kind)  # an unknown kind fails here, not in a worker
    expire_stale_files()
    from ..resources.tabular import estimate_rows

    log = TransferLog.objects.create(
        direction=TransferLog.Direction.IMPORT,
        kind=kind,
        source=source,
        status=Status.RUNNING,
        phase="check",
        event=event,
        delegation=delegation,
        user=user if user is not None and user.is_authenticated else None,
        actor=actor_of(user, source),
        file_name=(file_name or "upload")[-255:],
        file_size=len(data),
        payload=data,
        total_rows=0,
    )
    rows = estimate_rows(data)
    if runs_in_background(rows):
        TransferLog.objects.filter(pk=log.pk).update(total_rows=rows)
        if enqueue(IMPORT_CHECK_TASK, log.pk):
            log.refresh_from_db()
            return log
    import_check_run(log_id=log.pk)
    log.refresh_from_db()
    return log


def _progress(log_id: int):
    def report(done: int, total: int) -> None:
        TransferLog.objects.filter(pk=log_id).update(
            processed_rows=done, total_rows=total
        )

    return report


def import_check_run(*, log_id: int) -> None:
    """Check the file of log ``log_id`` (the task's work). Does nothing
    unless the log is waiting for its check."""
    log = TransferLog.objects.filter(
        pk=log_id, status=Status.RUNNING, phase="check"
    ).first()
    if log is None:
        return
    importer = engine.importer_for(log.kind)
    try:
        report, _state, _plans = engine.check(
            importer,
            _context(log),
            bytes(log.payload or b""),
            log.file_name,
            progress=_progress(log.pk),
        )
    except Exception:
        logger.exception("import check %s failed", log.pk)
        _fail(log, _("The file could not be checked (an error on our side)."))
        raise
    _record(log, report, status=Status.CHECKED if report.ok else Status.FAILED)


def _record(log: TransferLog, report: ImportReport, *, status: str) -> None:
    log.status = status
    log.phase = ""
    log.total_rows = report.total_rows
    log.processed_rows = report.total_rows
    # The counts say what was (or, once checked, will be) written: nothing
    # when the file was refused.
    ok = report.ok
    log.created_count = report.created if ok else 0
    log.updated_count = report.updated if ok else 0
    log.unchanged_count = report.unchanged if ok else 0
    log.error_count = report.error_count
    log.message = report.fatal.message if report.fatal else ""
    log.report = report.to_json()
    fields = [
        "status",
        "phase",
        "total_rows",
        "processed_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "message",
        "report",
    ]
    if status != Status.CHECKED:
        log.payload = None
        log.finished_at = timezone.now()
        fields += ["payload", "finished_at"]
    log.save(update_fields=fields)


def _fail(log: TransferLog, message: str) -> None:
    TransferLog.objects.filter(pk=log.pk).update(
        status=Status.FAILED,
        phase="",
        payload=None,
        message=message,
        error_count=1,
        finished_at=timezone.now(),
    )


# 2. Confirm and import ----------------------------------------------------------


def import_confirm(*, log: TransferLog) -> TransferLog:
    """Import the checked file of ``log``: now, or in the background for a
    large file when a broker is configured. Idempotent: a second call (a
    double click) finds the log no longer waiting and does nothing."""
    claimed = TransferLog.objects.filter(
        pk=log.pk, status=Status.CHECKED, direction=TransferLog.Direction.IMPORT
    ).update(status=Status.RUNNING, phase="write", processed_rows=0)
    if claimed and not (
        runs_in_background(log.total_rows) and enqueue(IMPORT_APPLY_TASK, log.pk)
    ):
        import_apply_run(log_id=log.pk)
    log.refresh_from_db()
    return log


def import_apply_run(*, log_id: int) -> None:
    """Import the file of log ``log_id`` (the task's work): one transaction
    holding the writes and the log's result."""
    log = TransferLog.objects.filter(
        pk=log_id, status=Status.RUNNING, phase="write"
    ).first()
    if log is None:
        return
    importer = engine.importer_for(log.kind)
    try:
        with transaction.atomic():
            report = apply_file(
                importer, _context(log), bytes(log.payload or b""), log.file_name
            )
            _record(log, report, status=Status.DONE if report.ok else Status.FAILED)
    except Exception:
        logger.exception("import %s failed", log.pk)
        _fail(log, _("The import failed (an error on our side); nothing was written."))
        raise


def apply_file(
    importer: engine.Importer,
    context: engine.ImportContext,
    data: bytes,
    file_name: str,
) -> ImportReport:
    """Check ``data`` again and, if every row is good, write it, all in one
    transaction. Returns the report (with the problems if it refused)."""
    with transaction.atomic():
        importer.lock(context)
        report, state, plans = engine.check(importer, context, data, file_name)
        if not report.ok:
            return report
        try:
            with transaction.atomic():
                importer.write(state, engine.created_first(plans), context)
        except ValidationError as exc:
            # A service's own rule refused a row that the check let through
            # (a record changed in between): nothing is kept.
            report.fatal = Problem(
                row=None,
                column="",
                value="",
                message=_(
                    "The data changed while this file was being imported; nothing "
                    "was written (%(reason)s). Check the file again."
                )
                % {"reason": " ".join(exc.messages)},
                code="conflict",
            )
        except IntegrityError:
            logger.warning(
                "import of %s refused by the database", file_name, exc_info=True
            )
            report.fatal = Problem(
                row=None,
                column="",
                value="",
                message=_(
                    "Someone changed the same records while this file was being "
                    "imported; nothing was written. Check the file again."
                ),
                code="conflict",
            )
    return report


def import_file(
    *,
    kind: str,
    data: bytes,
    file_name: str,
    event=None,
    user=None,
    delegation: Delegation | None = None,
    source: str = TransferLog.Source.COMMAND,
    dry_run: bool = False,
) -> tuple[TransferLog, ImportReport]:
    """Check ``data`` and, unless ``dry_run`` or it has errors, import it,
    in this process. Logged like any import. Returns the log and the full
    report."""
    importer = engine.importer_for(kind)
    log = TransferLog.objects.create(
        direction=TransferLog.Direction.IMPORT,
        kind=kind,
        source=source,
        status=Status.RUNNING,
        phase="check" if dry_run else "write",
        event=event,
        delegation=delegation,
        user=user,
        actor=actor_of(user, source),
        file_name=(file_name or "upload")[-255:],
        file_size=len(data),
        dry_run=dry_run,
    )
    context = _context(log)
    if dry_run:
        report, _state, _plans = engine.check(importer, context, data, file_name)
        _record(log, report, status=Status.CHECKED if report.ok else Status.FAILED)
        TransferLog.objects.filter(pk=log.pk, status=Status.CHECKED).update(
            status=Status.DONE, finished_at=timezone.now()
        )
    else:
        with transaction.atomic():
            report = apply_file(importer, context, data, file_name)
            _record(log, report, status=Status.DONE if report.ok else Status.FAILED)
    log.refresh_from_db()
    return log, report


# Reads for the pages -------------------------------------------------------------


def import_progress(log: TransferLog) -> dict:
    """What the progress pages poll."""
    return {
        "status": log.status,
        "phase": log.phase,
        "processed": log.processed_rows,
        "total": log.total_rows,
        "finished": log.status != Status.RUNNING,
    }


def import_logs_for_delegation(delegation: Delegation):
    return TransferLog.objects.filter(
        Q(delegation=delegation), direction=TransferLog.Direction.IMPORT
    )
