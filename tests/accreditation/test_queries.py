"""Query counts of the review queue at two sizes: the same for a page of 3
participants as for 30 (photos, what changed since the last review)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation import services
from delegations.enums import ParticipantStatus
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/accreditation/participantreview/"


def _queue(state_delegation, n: int) -> None:
    """``n`` submitted participants, every other one with a decision before
    (rejected, then submitted again under another family name)."""
    for i in range(n):
        person = ParticipantFactory(delegation=state_delegation, photo=f"p/{i}.jpg")
        if i % 2:
            services.accreditation_reject(
                participant=person, reason="Photo too dark.", decided_by=None
            )
            person.refresh_from_db()
            type(person).objects.filter(pk=person.pk).update(
                status=ParticipantStatus.SUBMITTED, family_name=f"Renamed{i}"
            )


def _count(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(QUEUE)
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_review_queue_query_count_does_not_grow_with_the_queue(
    admin_client, state_delegation
):
    _queue(state_delegation, 3)
    small, html = _count(admin_client)
    assert html.count("First review") == 2
    _queue(state_delegation, 27)

    large, html = _count(admin_client)

    assert large == small
    assert html.count("First review") == 16
    # 16 first reviews; 14 show the one field changed since the rejection.
    assert html.count('review">family name (as in passport)</td>') == 14
