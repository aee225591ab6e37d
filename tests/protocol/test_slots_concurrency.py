"""Signing slots are never double-booked, with real concurrent connections
on PostgreSQL (each thread has its own)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from delegations.enums import ProtocolRank
from protocol import services
from protocol.models import SigningRequest
from tests.factories import (
    DelegationFactory,
    EventFactory,
    SigningCeremonyFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _cleared_requests(event, count):
    return [
        services.signing_request_create(
            delegation=DelegationFactory(event=event, organisation=StateFactory()),
            signatory_name=f"Head {n}",
            signatory_title="President",
            signatory_rank=ProtocolRank.HEAD_OF_STATE,
        )
        for n in range(count)
    ]


def _run_together(target, items):
    barrier = threading.Barrier(len(items))
    outcomes = [None] * len(items)

    def run(index, item):
        try:
            barrier.wait(10)
            outcomes[index] = target(item)
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, item)) for i, item in enumerate(items)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_concurrent_bookings_of_one_slot_give_it_to_exactly_one():
    assert connection.vendor == "postgresql"
    event = EventFactory()
    SigningCeremonyFactory(event=event, slot_count=20)
    requests = _cleared_requests(event, THREADS)

    outcomes = _run_together(lambda r: services.slot_book(request=r, slot=7), requests)

    winners = [o for o in outcomes if isinstance(o, SigningRequest)]
    losers = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(winners), len(losers)) == (1, THREADS - 1)
    assert {tuple(e.messages) for e in losers} == {
        ("This signing slot is already booked.",)
    }
    assert list(
        SigningRequest.objects.filter(slot__isnull=False).values_list("pk", "slot")
    ) == [(winners[0].pk, 7)]


def test_concurrent_first_free_bookings_get_distinct_slots():
    event = EventFactory()
    SigningCeremonyFactory(event=event, slot_count=THREADS - 2)
    requests = _cleared_requests(event, THREADS)

    outcomes = _run_together(lambda r: services.slot_book(request=r), requests)

    booked = sorted(
        SigningRequest.objects.filter(slot__isnull=False).values_list("slot", flat=True)
    )
    assert booked == list(range(1, THREADS - 1))
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert [e.messages for e in refused] == [["Every signing slot is booked."]] * 2


def test_concurrent_swaps_and_bookings_keep_slots_unique():
    event = EventFactory()
    SigningCeremonyFactory(event=event, slot_count=10)
    a, b, c, d = _cleared_requests(event, 4)
    services.slot_book(request=a, slot=1)
    services.slot_book(request=b, slot=2)

    def act(name):
        if name == "swap":
            services.slots_swap(first=a, second=b)
        elif name == "c":
            return services.slot_book(request=c, slot=1)
        else:
            return services.slot_book(request=d, slot=2)

    _run_together(act, ["swap", "c", "d"])

    slots = list(
        SigningRequest.objects.filter(slot__isnull=False).values_list("slot", flat=True)
    )
    assert sorted(slots) == [1, 2]
    assert dict(
        SigningRequest.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "slot")
    ) == {
        a.pk: 2,
        b.pk: 1,
    }
