"""The check-in API: device tokens, scans, uploads, the device's own queue."""

import pytest

from checkin import services
from checkin.models import Scan

pytestmark = pytest.mark.django_db


def test_enrol_with_the_setup_code_once(client, setup):
    device, code = services.device_create(event=setup.event, name="Phone 2", by=None)
    first = client.post(
        "/api/checkin/enroll/",
        {"setup_code": code.lower()},
        content_type="application/json",
    )
    assert first.status_code == 201
    again = client.post(
        "/api/checkin/enroll/", {"setup_code": code}, content_type="application/json"
    )
    assert again.status_code == 400
    assert "not valid" in again.json()["detail"]


def test_scan_through_the_api(api, setup):
    response = api.post(
        "/api/checkin/scans/",
        {"gate": setup.entry.pk, "code": setup.qr, "nonce": "n-1"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["verdict"], body["badge"]["number"]) == ("valid", "00001")
    assert body["person"]["name"] == setup.person.full_name
    repeat = api.post(
        "/api/checkin/scans/",
        {"gate": setup.entry.pk, "code": setup.qr, "nonce": "n-1"},
        content_type="application/json",
    )
    assert (repeat.status_code, repeat.json()["id"]) == (200, body["id"])


def test_a_100kb_code_is_unknown_not_an_error(api, setup):
    response = api.post(
        "/api/checkin/scans/",
        {"gate": setup.entry.pk, "code": "x" * 100_000},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["verdict"] == "unknown"


def test_revoked_device_is_refused(api, setup):
    services.device_revoke(device=setup.device)
    response = api.get("/api/checkin/config/")
    assert response.status_code == 401


def test_no_token_is_refused(client, setup):
    assert client.get("/api/checkin/config/").status_code == 401
    bad = client.get("/api/checkin/config/", HTTP_AUTHORIZATION="Device nope")
    assert bad.status_code == 401


def test_upload_is_idempotent_and_late(api, setup):
    queue = {
        "scans": [
            {
                "gate": setup.entry.pk,
                "code": setup.qr,
                "nonce": "q1",
                "offline_verdict": "valid",
                "scanned_at": "2025-10-25T01:00:00Z",
            },
            {
                "gate": setup.entry.pk,
                "code": setup.qr,
                "nonce": "q2",
                "offline_verdict": "valid",
                "scanned_at": "2025-10-25T01:01:00Z",
            },
        ]
    }
    first = api.post(
        "/api/checkin/scans/upload/", queue, content_type="application/json"
    )
    again = api.post(
        "/api/checkin/scans/upload/", queue, content_type="application/json"
    )
    assert [r["verdict"] for r in first.json()["results"]] == [
        "valid",
        "already_inside",
    ]
    assert [r["created"] for r in again.json()["results"]] == [False, False]
    assert Scan.objects.count() == 2
    assert list(Scan.objects.order_by("nonce").values_list("late", "disputed")) == [
        (True, False),
        (True, True),
    ]


def test_a_device_cannot_read_another_devices_scans(api, client, setup):
    mine = api.post(
        "/api/checkin/scans/",
        {"gate": setup.entry.pk, "code": setup.qr, "nonce": "m1"},
        content_type="application/json",
    ).json()
    other, code = services.device_create(event=setup.event, name="Phone 3", by=None)
    other, token = services.device_enroll(setup_code=code)
    headers = {"HTTP_AUTHORIZATION": f"Device {token}"}
    assert client.get("/api/checkin/scans/", **headers).json() == {"scans": []}
    assert client.get(f"/api/checkin/scans/{mine['id']}/", **headers).status_code == 404
    assert (
        client.get(f"/api/checkin/scans/{mine['id']}/photo/", **headers).status_code
        == 404
    )
    assert api.get(f"/api/checkin/scans/{mine['id']}/").status_code == 200


def test_offline_data_has_no_names(api, setup):
    badges = api.get("/api/checkin/badges/").json()["badges"]
    assert badges == [
        {
            "id": setup.badge.pk,
            "number": 1,
            "version": 1,
            "category_id": setup.badge.category_id,
            "zone_ids": setup.badge.zone_ids,
            "flagged": False,
            "revoked": False,
        }
    ]
    from accreditation.services import badge_reprint

    badge_reprint(badge=setup.badge, reason="Lost", by=None)
    assert api.get("/api/checkin/revocations/").json()["badge_ids"] == [setup.badge.pk]


def test_schema_lists_the_checkin_endpoints(client, setup):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/checkin/scans/upload/" in schema
