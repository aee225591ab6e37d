"""Query counts of the device API's lists at two sizes: badges and
revocations changed since a time, and the device's own scans, read in a
fixed number of queries whatever their number."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accreditation import services as accreditation
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _badges(setup, n: int) -> list:
    """``n`` more approved participants with badges; every third revoked."""
    badges = []
    for i in range(n):
        person = ParticipantFactory(delegation=setup.person.delegation)
        accreditation.accreditation_approve(participant=person, decided_by=None)
        badge = accreditation.valid_badge(person)
        if i % 3 == 0:
            accreditation.badge_revoke(badge=badge, reason="Lost", by=None)
        badges.append(badge)
    return badges


def _get(api, path: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries), response.json()


@pytest.mark.parametrize("path", ["badges", "revocations"])
def test_changed_since_lists_query_count_does_not_grow(api, setup, path):
    since = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    url = f"/api/checkin/{path}/?since={since.replace('+', '%2B')}"
    _badges(setup, 3)
    small, small_data = _get(api, url)
    _badges(setup, 30)

    large, large_data = _get(api, url)

    assert large == small
    if path == "badges":
        assert (len(small_data["badges"]), len(large_data["badges"])) == (4, 34)
    else:
        # Every third new badge revoked: 1 of the first 3, then 10 of 30 more.
        assert (len(small_data["badge_ids"]), len(large_data["badge_ids"])) == (1, 11)


def test_own_scans_list_query_count_does_not_grow(api, setup):
    def scan_all(badges):
        for badge in badges:
            code = accreditation.badge_qr_text(badge)
            response = api.post(
                "/api/checkin/scans/",
                {"gate": setup.entry.pk, "code": code},
                content_type="application/json",
            )
            assert response.status_code == 201

    scan_all(_badges(setup, 3))
    small, small_data = _get(api, "/api/checkin/scans/")
    scan_all(_badges(setup, 30))

    large, large_data = _get(api, "/api/checkin/scans/")

    assert large == small
    assert (len(small_data["scans"]), len(large_data["scans"])) == (3, 33)
    assert {s["verdict"] for s in large_data["scans"]} == {"valid", "revoked"}
