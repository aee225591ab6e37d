"""With a broker, a large import is checked and imported, and a large
export built, by a real Celery worker (Redis, PostgreSQL); the pages show
the progress and then the result."""

import io

import pytest
from django.urls import reverse

from delegations.models import Participant, TransferLog
from tests.conftest import staff_two_factor_pass
from tests.imports.conftest import HEADER, csv_bytes
from tests.servers import wait_for

pytestmark = pytest.mark.integration


def _status(log) -> str:
    log.refresh_from_db()
    return log.status


def test_large_import_and_export_run_in_the_background(
    celery_worker, client, admin_user, delegations, event, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 20
    staff_two_factor_pass(client, admin_user)
    rows = [HEADER] + [
        [
            f"p{i}@example.org",
            ("Vietnam", "Turkey")[i % 2],
            f"Given {i}",
            f"Family {i}",
            "",
        ]
        for i in range(60)
    ]
    upload = io.BytesIO(csv_bytes(rows))
    upload.name = "big.csv"

    response = client.post(
        reverse("admin:delegations_participant_import_list"),
        {"file": upload, "event": event.pk},
    )
    log = TransferLog.objects.get()
    assert log.status == "running"  # handed to the worker
    wait_for(lambda: _status(log) == "checked", 30, message="checked by the worker")
    page = client.get(response["Location"]).content.decode()
    assert "Import: create 60, update 0" in page

    client.post(response["Location"])
    wait_for(lambda: _status(log) == "done", 30, message="imported by the worker")
    assert (log.created_count, log.payload) == (60, None)
    assert Participant.objects.count() == 60

    export = client.post(
        reverse("admin:delegations_participant_export_list") + "?role__exact=delegate",
        {"kind": "participants", "format": "csv"},
    )
    export_log = TransferLog.objects.get(direction="export")
    assert export["Location"] == reverse(
        "admin:delegations_participant_export_log", args=[export_log.pk]
    )
    wait_for(lambda: _status(export_log) == "done", 30, message="export built")
    download = client.get(
        reverse("admin:delegations_participant_export_download", args=[export_log.pk])
    )
    lines = download.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 61
    assert lines[1].startswith("p0@example.org,Viet Nam,Given 0,Family 0")
