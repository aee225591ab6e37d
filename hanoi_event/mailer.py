"""Sending one message: a persistent connection per worker process, error
classification and a rate limit shared by every worker.

Opening an SMTP connection (TCP, EHLO, STARTTLS, AUTH) costs more than
sending a message over it, so each process keeps one connection open and
reuses it; on any error the connection is dropped and the next message opens
a new one.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)

_state = threading.local()
# Probe an idle connection with NOOP before reuse: servers drop idle clients.
_IDLE_PROBE_SECONDS = 20


def _connection_key() -> tuple:
    return (
        settings.EMAIL_BACKEND,
        getattr(settings, "EMAIL_HOST", ""),
        getattr(settings, "EMAIL_PORT", 0),
        getattr(settings, "EMAIL_HOST_USER", ""),
        getattr(settings, "EMAIL_USE_TLS", False),
        getattr(settings, "EMAIL_USE_SSL", False),
        getattr(settings, "EMAIL_TIMEOUT", None),
        getattr(settings, "EMAIL_FILE_PATH", None),
    )


def _connection():
    key = _connection_key()
    conn = getattr(_state, "connection", None)
    if conn is not None and getattr(_state, "key", None) != key:
        close_connection()
        conn = None
    if conn is None:
        conn = get_connection(fail_silently=False)
        conn.open()
        _state.connection, _state.key = conn, key
        _state.last_used = time.monotonic()
        return conn
    smtp = getattr(conn, "connection", None)
    if (
        isinstance(smtp, smtplib.SMTP)
        and time.monotonic() - _state.last_used > _IDLE_PROBE_SECONDS
    ):
        try:
            if smtp.noop()[0] != 250:
                raise smtplib.SMTPServerDisconnected("NOOP refused")
        except (smtplib.SMTPException, OSError):
            close_connection()
            return _connection()
    return conn


def _forget_inherited_connection() -> None:
    """In a forked child (a prefork worker process): drop the SMTP connection
    and Redis client inherited from the parent without a word on the wire
    (no QUIT: the parent still uses that session); the child opens its own."""
    conn = getattr(_state, "connection", None)
    smtp = getattr(conn, "connection", None)
    if isinstance(smtp, smtplib.SMTP):
        try:
            smtp.close()  # closes this process's copy of the socket only
        except OSError:
            pass
    _state.connection = None
    _state.redis = None


os.register_at_fork(after_in_child=_forget_inherited_connection)


def close_connection() -> None:
    conn = getattr(_state, "connection", None)
    _state.connection = None
    if conn is not None:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a broken connection may fail to close
            logger.debug("closing the mail connection failed", exc_info=True)


def send(message: EmailMessage) -> None:
    """Send over this process's connection; raise on any failure (and drop
    the connection, so the next message starts afresh)."""
    _rate_limit_wait()
    conn = _connection()
    message.connection = conn
    try:
        sent = conn.send_messages([message])
    except BaseException:
        close_connection()
        raise
    _state.last_used = time.monotonic()
    if not sent:
        close_connection()
        raise smtplib.SMTPServerDisconnected("The mail backend sent nothing.")


@dataclass(frozen=True)
class SendError:
    temporary: bool
    reason: str


# Authentication and "TLS required" refusals are configuration problems that an
# operator fixes: keep the messages and retry rather than failing them all.
_RETRYABLE_5XX = {530, 534, 535, 538}


def classify(exc: BaseException) -> SendError:
    """Temporary (retry later) or permanent (mark failed), with a reason."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        detail = "; ".join(
            f"{addr}: {code} {_text(msg)}"
            for addr, (code, msg) in exc.recipients.items()
        )
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        return SendError(not permanent, f"Recipient refused: {detail}")
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        reason = f"SMTP {code} {_text(exc.smtp_error)}"
        # Refused at the greeting or HELO: the answer is about this client's
        # session (blocklisted IP, maintenance), not about the message.
        session_refused = isinstance(
            exc, smtplib.SMTPConnectError | smtplib.SMTPHeloError
        )
        if 500 <= code < 600 and code not in _RETRYABLE_5XX and not session_refused:
            return SendError(False, reason)
        return SendError(True, reason)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SendError(True, f"Server disconnected: {exc}")
    if isinstance(exc, socket.timeout | TimeoutError):
        return SendError(True, f"Timeout: {exc}")
    if isinstance(exc, OSError | smtplib.SMTPException):
        return SendError(True, f"{type(exc).__name__}: {exc}")
    # Bad header values, unencodable addresses: sending again will not help.
    return SendError(False, f"{type(exc).__name__}: {exc}")


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


# Rate limit: EMAIL_RATE_LIMIT messages per second across every worker, counted
# in Redis (the broker) in one-second windows, so adding workers does not
# multiply the rate. Without a Redis broker (the embedded default) it is
# counted in this process only.
_local_window = {"second": 0, "count": 0}


def _rate_limit_wait(*, clock=time.time, sleep=time.sleep) -> None:
    """Wait until this message fits in EMAIL_RATE_LIMIT messages per second,
    counted across all workers. ``clock`` and ``sleep`` are for tests."""
    limit = int(getattr(settings, "EMAIL_RATE_LIMIT", 0) or 0)
    if limit <= 0:
        return
    while True:
        now = clock()
        second = int(now)
        count = _count_in_window(second)
        if count <= limit:
            return
        sleep(max(0.0, second + 1 - now))


def _count_in_window(second: int) -> int:
    client = _redis()
    if client is None:
        if _local_window["second"] != second:
            _local_window.update(second=second, count=0)
        _local_window["count"] += 1
        return _local_window["count"]
    key = f"hanoi:email-rate:{second}"
    pipe = client.pipeline()
    pipe.incr(key)
    pipe.expire(key, 5)
    try:
        return int(pipe.execute()[0])
    except Exception:  # noqa: BLE001 - Redis away: do not stop mail for the limiter
        logger.warning("rate limiter: Redis unavailable, not limiting", exc_info=True)
        return 0


def _redis():
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    client = getattr(_state, "redis", None)
    if client is None or getattr(_state, "redis_url", None) != url:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2)
        _state.redis, _state.redis_url = client, url
    return client
