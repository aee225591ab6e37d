"""Exports of lists (participants, the security clearance list,
delegations, organisations, and what other apps register): the records the
caller selected (the admin passes its filtered changelist), as CSV or XLSX,
with every cell a spreadsheet would run as a formula neutralised.

Each export is logged (who, when, which list, how many rows). A large one
(more than ``IMPORT_BACKGROUND_ROWS`` rows) is built by a worker when a
broker is configured: the log shows the progress and then offers the file,
kept for a day.
"""

from __future__ import annotations

import logging

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hanoi_event.background import enqueue

from ..models import TransferLog
from ..resources import exporter_for
from ..resources.columns import render_rows
from .imports import actor_of, expire_stale_files, runs_in_background

logger = logging.getLogger(__name__)

EXPORT_BUILD_TASK = "delegations.export_build"
FORMATS = ("csv", "xlsx")
Status = TransferLog.Status


class ExportRefused(Exception):
    pass


def export_file_name(*, kind: str, fmt: str, event=None) -> str:
    exporter = exporter_for(kind)
    parts = [exporter.file_stem or kind]
    if event is not None:
        parts.append(event.slug)
    parts.append(timezone.localdate().strftime("%Y%m%d"))
    return "-".join(parts) + "." + fmt


def export_build(*, kind: str, queryset: QuerySet, fmt: str, user) -> bytes:
    """The file: the exporter's rows of ``queryset`` (header first), cells
    neutralised. Reads only."""
    if fmt not in FORMATS:
        raise ExportRefused(_("Unknown format."))
    exporter = exporter_for(kind)
    rows = exporter.rows(queryset, user)
    return render_rows(rows, fmt, title=str(exporter.verbose_name))


def export_start(
    *,
    kind: str,
    queryset: QuerySet,
    fmt: str,
    user,
    event=None,
    source: str = TransferLog.Source.ADMIN,
) -> tuple[TransferLog, bytes | None]:
    """Export ``queryset`` for ``user`` (who must have the exporter's
    permissions). Small exports, or any without a broker, are built now:
    returns (log, file). Large ones go to a worker: returns (log, None);
    the file is on the log once done. Writes the log."""
    exporter = exporter_for(kind)
    if not exporter.allowed(user):
        raise ExportRefused(_("You may not export this list."))
    if fmt not in FORMATS:
        raise ExportRefused(_("Unknown format."))
    expire_stale_files()
    ids = list(queryset.values_list("pk", flat=True))
    log = TransferLog.objects.create(
        direction=TransferLog.Direction.EXPORT,
        kind=kind,
        source=source,
        status=Status.RUNNING,
        phase="export",
        event=event,
        user=user,
        actor=actor_of(user, source),
        file_name=export_file_name(kind=kind, fmt=fmt, event=event),
        total_rows=len(ids),
        options={"format": fmt, "ids": ids},
    )
    if runs_in_background(len(ids)) and enqueue(EXPORT_BUILD_TASK, log.pk):
        return log, None
    data = export_build(kind=kind, queryset=queryset, fmt=fmt, user=user)
    _finish(log, data, keep=False)
    return log, data


def _finish(log: TransferLog, data: bytes, *, keep: bool) -> None:
    log.status = Status.DONE
    log.phase = ""
    log.processed_rows = log.total_rows
    log.file_size = len(data)
    log.payload = data if keep else None
    log.finished_at = timezone.now()
    # The ids were only the worker's selection.
    log.options = {"format": log.options.get("format", "")}
    log.save(
        update_fields=[
            "status",
            "phase",
            "processed_rows",
            "file_size",
            "payload",
            "finished_at",
            "options",
        ]
    )


def export_run(*, log_id: int) -> None:
    """Build the file of export log ``log_id`` (the task's work); does
    nothing unless it is waiting."""
    log = (
        TransferLog.objects.filter(
            pk=log_id, status=Status.RUNNING, direction=TransferLog.Direction.EXPORT
        )
        .select_related("user")
        .first()
    )
    if log is None:
        return
    exporter = exporter_for(log.kind)
    ids = log.options.get("ids", [])
    try:
        if log.user is None or not exporter.allowed(log.user):
            raise ExportRefused(_("You may not export this list."))
        queryset = exporter.model._default_manager.filter(pk__in=ids)
        rows = exporter.rows(queryset, log.user, order=ids)
        data = render_rows(rows, log.options.get("format", "csv"))
    except Exception as exc:
        logger.exception("export %s failed", log.pk)
        TransferLog.objects.filter(pk=log.pk).update(
            status=Status.FAILED,
            phase="",
            message=str(exc)
            if isinstance(exc, ExportRefused)
            else _("The export failed."),
            finished_at=timezone.now(),
        )
        if not isinstance(exc, ExportRefused):
            raise
        return
    _finish(log, data, keep=True)
