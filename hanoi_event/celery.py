"""The Celery application.

Without ``CELERY_BROKER_URL`` the settings make every task run in-process
(``CELERY_TASK_ALWAYS_EAGER``), so the embedded default needs no broker.

Importing this module also applies one fix to kombu's Redis transport (every
process that uses the app gets it: workers, beat, web), described in
``_fix_redis_channel_close``: without it a worker could exit for good when
Redis went away.
"""

import functools
import logging
import os
from queue import Empty

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from .logging import celery_json_logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanoi_event.settings")

logger = logging.getLogger(__name__)


def _fix_redis_channel_close() -> None:
    """Let a kombu Redis channel close when its connection is already gone.

    The fault (kombu 5.7.0 with celery 5.7.0; issue 16): Redis goes away while
    the worker's task channel waits for a BRPOP reply (it has room for more
    prefetched tasks: a run's start, its end, any moment the prefetch is not
    full). The consumer logs "Connection to broker lost", then
    ``Consumer.on_connection_error_after_connected`` cleans up in two steps:

    1. ``connection.collect()`` closes the channels. kombu's
       ``Channel.close()`` first reads the pending BRPOP reply
       (``_brpop_read()``, added by kombu PR #1733 so that a message popped
       at that moment is not lost). On a dead connection that read raises
       ``ConnectionError`` *before* the channel is marked closed: nothing
       else of ``close()`` runs (unacknowledged messages not restored, pools
       not dropped). kombu ignores the error, then detaches the transport
       from the connection (``transport.client = None``).
    2. ``connection.close()`` (added in celery 5.7 by celery PR #10242, "close
       broken connection in error handler", for GH-9705) closes the same,
       still open channel again. This time it gets past the read, drops its
       pools and restores its unacknowledged messages, for which it needs a
       new Redis pool, built from ``transport.client`` - now ``None``:
       ``AttributeError: 'NoneType' object has no attribute 'hostname'``
       (the signature of kombu issue #582). ``ignore_errors`` passes only
       connection and channel errors, so the AttributeError reaches the
       worker: "Unrecoverable error", the worker exits.

    The fix: a connection error while reading the pending BRPOP reply counts
    as "nothing to read" (as ``Empty`` already does): the reply went with the
    connection. ``close()`` then goes on as usual and marks the channel
    closed in step 1, so step 2 finds it closed and does nothing; the
    consumer reconnects once Redis answers. The unacknowledged messages are
    restored when Redis still answers; otherwise they are lost with Redis
    and the outbox sweeper hands their rows to the workers again (a lost
    broker message never loses mail). Messages acknowledged on the dead
    channel later are dropped by celery.

    Idempotent; harmless on a kombu without the fault. When a kombu release
    fixes ``Channel.close()``, remove this (the test
    ``test_kombu_redis_channel_close_still_needs_the_fix`` says when).
    """
    from kombu.transport import redis as kombu_redis

    channel_class = kombu_redis.Channel
    if getattr(channel_class.close, "hanoi_fixed", False):
        return
    kombu_close = channel_class.close

    @functools.wraps(kombu_close)
    def close(self):
        if getattr(self, "_in_poll", None):
            try:
                self._brpop_read()
            except Empty:
                pass
            except self.connection_errors as exc:
                logger.info("Redis channel closed without its BRPOP reply: %r", exc)
        kombu_close(self)

    close.hanoi_fixed = True
    close.kombu_close = kombu_close
    channel_class.close = close


_fix_redis_channel_close()

# LOG_FORMAT=json: Celery's own log handlers write JSON too (hanoi_event/logging.py).
after_setup_logger.connect(celery_json_logs, weak=False)
after_setup_task_logger.connect(celery_json_logs, weak=False)

app = Celery("hanoi_event")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
