"""The public programme page, rendered once per change and kept in Django's
cache (Redis in production, shared by every web process; local memory in
the embedded default), as pretalx keeps its schedule.

A page is stored under a key made of everything that changes it: the
event (and its time zone and name), the language, the time zone shown, the
filters, and the signed-in participant (their own seats are marked on the
page); and with the programme's *change counter* it was rendered under. The change counter is a number
in the cache per event, moved on by every service that changes what the
programme shows (a release, a seat taken, given up or handed on, an item
saved), last when its transaction has committed: a reader that sees the
last number also sees the change. A counter that is missing (a new cache, an
eviction) starts again from the clock, never from a number used before.
Pages also expire after ``PAGE_SECONDS``, in case a change came from
outside the services (a shell, a data load).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

PAGE_SECONDS = 600
_COUNTER_SECONDS = 7 * 24 * 3600


def _counter_key(event_id: int) -> str:
    return f"programme:changes:{event_id}"


def programme_version(event_id: int) -> int:
    """The event's change counter (started from the clock when missing)."""
    key = _counter_key(event_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), _COUNTER_SECONDS)
        value = cache.get(key)
    return int(value)


# The pages this process served last, with the counter they were rendered
# under: a page whose counter is still the event's is served from here,
# after one small read of the counter from the shared cache (a page of the
# programme is some 150 kB: not read from Redis on every request).
_LOCAL_PAGES = 32
_local: OrderedDict[str, tuple[int, str | bytes]] = OrderedDict()
_local_lock = threading.Lock()


def cached_page(
    event_id: int, parts: tuple, render: Callable[[], str | bytes]
) -> str | bytes:
    """The page of ``event_id`` made of ``parts`` (everything it depends on
    but the change counter) from the cache, or ``render()`` stored there.
    A page is kept with the counter it was rendered under and served only
    while the event's counter is still that number: the counter is read
    from the shared cache on every call (one round trip, with the page when
    this process does not hold it already)."""
    counter_key, key = _counter_key(event_id), page_key(event_id, *parts)
    local = _local.get(key)
    if local is not None:
        version = cache.get(counter_key)
        if version is not None and version == local[0]:
            with _local_lock:
                if key in _local:
                    _local.move_to_end(key)
            return local[1]
        entry = cache.get(key)
    else:
        found = cache.get_many([counter_key, key])
        version, entry = found.get(counter_key), found.get(key)
    if version is None:
        version = programme_version(event_id)
    if entry is None or entry[0] != version:
        entry = (version, render())
        cache.set(key, entry, PAGE_SECONDS)
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > _LOCAL_PAGES:
            _local.popitem(last=False)
    return entry[1]


def _bump(event_id: int) -> None:
    key = _counter_key(event_id)
    try:
        cache.incr(key)
    except ValueError:  # missing: start from the clock, above every old value
        cache.add(key, time.time_ns(), _COUNTER_SECONDS)


def programme_changed(event_id: int) -> None:
    """Move the event's change counter on, now and again once the current
    transaction commits, so every cached page of the programme is rendered
    again on its next request. The second move is the one that counts: a
    page rendered between the two (from data before the commit) is stored
    under a number nobody asks for after the commit. The first makes the
    change show at once inside the transaction (and in tests, whose
    transactions never commit)."""
    _bump(event_id)
    transaction.on_commit(lambda: _bump(event_id))


def page_key(*parts: object) -> str:
    """A cache key for a page made of ``parts`` (any reprs; hashed, so a
    long search text makes no long key)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"programme:page:{digest}"
