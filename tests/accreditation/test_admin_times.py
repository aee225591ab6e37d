"""Times on the accreditation and check-in admin pages are shown in the
event's time zone (Asia/Ho_Chi_Minh) with the zone written, whatever zone
the request runs in."""

import datetime as dt

import pytest

from accreditation import services
from accreditation.models import AccreditationDecision, Badge, BadgePrintJob
from checkin.models import Device, Gate, Scan
from checkin.services import scan_perform
from delegations.models import Participant

pytestmark = pytest.mark.django_db

UTC_TIME = dt.datetime(2025, 10, 24, 3, 5, tzinfo=dt.UTC)
SHOWN = "24 October 2025 at 10:05 GMT+7"


@pytest.fixture
def approved(submitted, staff):
    Participant.objects.filter(pk=submitted.pk).update(submitted_at=UTC_TIME)
    services.accreditation_approve(participant=submitted, decided_by=staff)
    AccreditationDecision.objects.update(decided_at=UTC_TIME)
    Badge.objects.update(issued_at=UTC_TIME)
    return services.valid_badge(submitted)


def test_review_queue_shows_times_in_the_events_zone(admin_client, submitted, staff):
    Participant.objects.filter(pk=submitted.pk).update(submitted_at=UTC_TIME)
    listing = admin_client.get(
        "/admin/accreditation/participantreview/"
    ).content.decode()
    assert SHOWN in listing

    services.accreditation_reject(
        participant=submitted, reason="Photo too dark.", decided_by=staff
    )
    AccreditationDecision.objects.update(decided_at=UTC_TIME)
    page = admin_client.get(
        f"/admin/accreditation/participantreview/{submitted.pk}/change/"
    ).content.decode()
    assert f"{SHOWN} Rejected ({staff}) Photo too dark." in page


def test_badge_and_decision_pages_show_times_in_the_events_zone(
    admin_client, approved, staff
):
    services.badge_revoke(badge=approved, reason="Lost", by=staff)
    Badge.objects.update(revoked_at=UTC_TIME)

    for url in (
        "/admin/accreditation/badge/",
        f"/admin/accreditation/badge/{approved.pk}/change/",
        "/admin/accreditation/accreditationdecision/",
        f"/admin/accreditation/accreditationdecision/"
        f"{AccreditationDecision.objects.get().pk}/change/",
    ):
        page = admin_client.get(url).content.decode()
        assert SHOWN in page, url
        assert "03:05" not in page, url
    badge_page = admin_client.get(
        f"/admin/accreditation/badge/{approved.pk}/change/"
    ).content.decode()
    assert badge_page.count(SHOWN) == 2  # issued, revoked


def test_print_job_shows_its_start_in_the_events_zone(admin_client, approved, staff):
    job = services.print_job_start(
        event=approved.event, badges=[approved], card_size="cr80", by=staff
    )
    BadgePrintJob.objects.update(created_at=UTC_TIME)
    job.refresh_from_db()

    assert str(job) == f"1 badges, {SHOWN}"
    assert (
        SHOWN
        in admin_client.get("/admin/accreditation/badgeprintjob/").content.decode()
    )


def test_scans_and_devices_show_times_in_the_events_zone(admin_client, approved):
    from checkin import services as checkin

    gate = Gate.objects.create(
        event=approved.event,
        name="North entry",
        zone=approved.event.zones.get(code="venue"),
    )
    device, code = checkin.device_create(event=approved.event, name="Phone", by=None)
    checkin.device_enroll(setup_code=code)
    scan, _ = scan_perform(
        gate=gate, code=approved.display_number, device=device, nonce="n1"
    )
    Scan.objects.update(received_at=UTC_TIME, scanned_at=UTC_TIME)
    Device.objects.update(enrolled_at=UTC_TIME, last_seen_at=UTC_TIME)

    scans = admin_client.get("/admin/checkin/scan/").content.decode()
    assert scans.count(SHOWN) == 2  # received, scanned
    assert (
        admin_client.get(f"/admin/checkin/scan/{scan.pk}/change/")
        .content.decode()
        .count(SHOWN)
        == 2
    )
    devices = admin_client.get("/admin/checkin/device/").content.decode()
    assert devices.count(SHOWN) == 2  # enrolled, last seen


def test_live_counts_time_has_the_zone(admin_client, event):
    event.is_current = True
    event.save()

    as_of = admin_client.get("/admin/checkin/scan/live/data/").json()["as_of"]

    assert as_of.endswith(" GMT+7") and len(as_of) == len("10:05:07 GMT+7")
