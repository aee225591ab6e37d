"""Structured logs: one JSON object a line (``LOG_FORMAT=json``).

Each record has ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``,
``process`` and, when present, the exception with its traceback, the request's
method, path and status (Django's request loggers pass the request) and any
``extra={...}`` values that JSON can hold. No request body, cookie or header is
logged. Celery's own loggers (worker and task logs) get the same format
through ``celery_json_logs`` (connected in hanoi_event/celery.py).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

# Attributes every LogRecord has: whatever else is on a record came from
# ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", "")
            entry["path"] = request.path
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry or key == "request":
                continue
            entry[key] = _jsonable(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _jsonable(value):
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


def celery_json_logs(logger: logging.Logger, **kwargs) -> None:
    """Celery's ``after_setup_logger`` / ``after_setup_task_logger`` signal
    handler: with ``LOG_FORMAT=json``, Celery's handlers (set up with the
    worker's ``-l`` level) write JSON too."""
    from django.conf import settings

    if getattr(settings, "LOG_FORMAT", "text") != "json":
        return
    for handler in logger.handlers:
        handler.setFormatter(JsonFormatter())
