"""The admin doors: the review queue's actions, the participant's status
read-only in the delegations admin, device set-up codes, live counts."""

import pytest

from accreditation.models import AccreditationDecision, Badge
from delegations.enums import ParticipantStatus
from hanoi_event.models import OutboundEmail

pytestmark = pytest.mark.django_db

QUEUE = "/admin/accreditation/participantreview/"


def test_queue_lists_submitted_and_approves_in_bulk(
    admin_client, submitted, state_delegation
):
    from tests.factories import ParticipantFactory

    other = ParticipantFactory(delegation=state_delegation)
    page = admin_client.get(QUEUE)
    assert page.status_code == 200
    assert submitted.full_name in page.content.decode()
    response = admin_client.post(
        QUEUE, {"action": "approve", "_selected_action": [submitted.pk, other.pk]}
    )
    assert response.status_code == 302
    assert Badge.objects.count() == 2
    assert OutboundEmail.objects.filter(kind="accreditation_approved").count() == 2


def test_reject_asks_for_a_reason_first(admin_client, submitted):
    ask = admin_client.post(
        QUEUE, {"action": "reject", "_selected_action": [submitted.pk]}
    )
    assert ask.status_code == 200 and "Reason" in ask.content.decode()
    assert AccreditationDecision.objects.count() == 0
    done = admin_client.post(
        QUEUE,
        {
            "action": "reject",
            "_selected_action": [submitted.pk],
            "reason": "Photo too dark.",
        },
    )
    assert done.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == (
        "rejected",
        "Photo too dark.",
    )


def test_participant_admin_cannot_change_the_status(admin_client, submitted):
    url = f"/admin/delegations/participant/{submitted.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()


def test_device_setup_code_and_live_counts(admin_client, event):
    response = admin_client.post(
        "/admin/checkin/device/add/", {"event": event.pk, "name": "Gate phone"}
    )
    assert response.status_code == 200
    assert 'id="setup-code"' in response.content.decode()
    event.is_current = True
    event.save()
    data = admin_client.get("/admin/checkin/scan/live/data/").json()
    assert (data["inside_now"], data["entered_today"]) == (0, 0)
    assert admin_client.get("/admin/checkin/scan/live/").status_code == 200
    assert ParticipantStatus.APPROVED == "approved"
