"""The number of queries of an import (check and write) and of an export
does not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegations.models import Participant
from tests.factories import ParticipantFactory
from tests.imports.conftest import HEADER, csv_bytes, run


def _file(n: int, *, offset: int = 0) -> bytes:
    rows = [[*HEADER, "Date of birth", "Nationality", "Hotel"]]
    for i in range(n):
        country = ("Vietnam", "Turkey")[i % 2]
        rows.append(
            [
                f"p{offset + i}@example.org",
                country,
                f"Given{i}",
                f"Family{i}",
                "",
                "1980-01-01",
                country,
                "",
            ]
        )
    return csv_bytes(rows)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context.captured_queries)


@pytest.mark.parametrize("dry_run", [True, False])
def test_import_queries_do_not_grow_with_rows(delegations, event, dry_run):
    small = _queries(lambda: run(event, _file(4), dry_run=dry_run))
    large = _queries(lambda: run(event, _file(40, offset=100), dry_run=dry_run))

    assert small == large
    assert Participant.objects.count() == (0 if dry_run else 44)


def test_update_queries_do_not_grow_with_rows(delegations, event):
    run(event, _file(44))

    def changed(n: int, offset: int) -> bytes:
        rows = [["Email", "Delegation", "Hotel"]]
        rows += [[f"p{offset + i}@example.org", "", "Melia"] for i in range(n)]
        return csv_bytes(rows)

    small = _queries(lambda: run(event, changed(4, 0)))
    large = _queries(lambda: run(event, changed(40, 4)))

    assert small == large
    assert Participant.objects.filter(hotel="Melia").count() == 44


def test_export_queries_do_not_grow_with_rows(admin_client, delegations):
    url = reverse("admin:delegations_participant_export_list")

    def export():
        response = admin_client.post(url, {"kind": "participants", "format": "csv"})
        assert response.status_code == 200

    for _i in range(3):
        ParticipantFactory(delegation=delegations["VNM"])
    small = _queries(export)
    for i in range(30):
        ParticipantFactory(delegation=delegations["TUR" if i % 2 else "VNM"])
    large = _queries(export)

    assert small == large
