"""Side-event applications in the portal (a delegation's focal point),
review with the applicant told through the outbox, placement by hand."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hanoi_event.models import OutboundEmail
from sessions.enums import ApplicationStatus
from sessions.mail import SIDE_EVENT_DECISION
from sessions.models import SideEventApplication, SideEventSpeaker
from sessions.services import application_place, application_review, placement_check
from tests.factories import (
    DelegationFactory,
    ProgrammeItemFactory,
    RoomFactory,
    SideEventApplicationFactory,
    SideEventSlotFactory,
    UserFactory,
)

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal_point(future_event):
    user = UserFactory(email="dao@example.org")
    delegation = DelegationFactory(event=future_event, focal_point=user)
    return user, delegation


def _post_data(slot_ids=(), **overrides):
    data = {
        "title": "Electronic evidence across borders",
        "abstract": "Practical tools for prosecutors.",
        "organiser": "Ministry of Justice",
        "co_sponsors": "UNODC",
        "format": "panel",
        "expected_audience": "80",
        "preferred_slots": [str(pk) for pk in slot_ids],
        "speakers-TOTAL_FORMS": "3",
        "speakers-INITIAL_FORMS": "0",
        "speakers-MIN_NUM_FORMS": "1",
        "speakers-MAX_NUM_FORMS": "12",
        "speakers-0-name": "Amina Diallo",
        "speakers-0-function_title": "Prosecutor",
        "speakers-0-organisation": "Ministry of Justice",
        "speakers-0-email": "amina@example.org",
        "speakers-0-nationality": "Senegal",
    }
    data.update(overrides)
    return data


def test_focal_point_applies_and_edits_until_the_deadline(
    client, focal_point, future_event
):
    user, delegation = focal_point
    slot = SideEventSlotFactory(
        event=future_event, starts_at=at(2, "09:00"), ends_at=at(2, "10:15")
    )
    client.force_login(user)

    response = client.post(
        reverse("agenda:application_new", args=[delegation.pk]), _post_data([slot.pk])
    )

    assert response.status_code == 302
    application = SideEventApplication.objects.get()
    assert (
        application.delegation,
        application.status,
        application.expected_audience,
    ) == (
        delegation,
        ApplicationStatus.PENDING,
        80,
    )
    assert list(application.preferred_slots.all()) == [slot]
    assert list(application.speakers.values_list("name", "email")) == [
        ("Amina Diallo", "amina@example.org")
    ]
    edit = client.post(
        reverse("agenda:application_edit", args=[application.pk]),
        _post_data(title="E-evidence", **{"speakers-0-name": "Dr Amina Diallo"}),
    )
    assert edit.status_code == 302
    application.refresh_from_db()
    assert application.title == "E-evidence"
    assert list(application.speakers.values_list("name", flat=True)) == [
        "Dr Amina Diallo"
    ]


def test_a_passed_deadline_is_a_clear_refusal(client, focal_point, future_event):
    user, delegation = focal_point
    future_event.side_event_application_deadline = dt.datetime(
        2025, 9, 15, 16, 59, tzinfo=dt.UTC
    )
    future_event.save()
    client.force_login(user)

    response = client.post(
        reverse("agenda:application_new", args=[delegation.pk]), _post_data()
    )

    assert response.status_code == 400
    assert (
        "The deadline for side-event applications was 15 September 2025 at 23:59 GMT+7 "
        "(Asia/Ho_Chi_Minh): applications can no longer be made or changed."
    ) in response.content.decode().replace("&#x27;", "'")
    assert SideEventApplication.objects.count() == 0


def test_bad_input_shows_field_errors_and_saves_nothing(client, focal_point):
    user, delegation = focal_point
    client.force_login(user)
    url = reverse("agenda:application_new", args=[delegation.pk])

    zero = client.post(url, _post_data(expected_audience="0"))
    nameless = client.post(url, _post_data(**{"speakers-0-name": ""}))

    assert zero.status_code == 400
    assert zero.context["form"].non_field_errors() == [
        "The expected audience must be at least 1."
    ]
    assert nameless.status_code == 400
    assert nameless.context["formset"].errors[0] == {
        "name": ["This field is required."]
    }
    assert SideEventApplication.objects.count() == 0


def test_another_delegation_and_other_users_get_404(client, focal_point, future_event):
    _user, delegation = focal_point
    application = SideEventApplicationFactory(delegation=delegation)
    client.force_login(UserFactory())

    assert (
        client.get(reverse("agenda:application_new", args=[delegation.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("agenda:application_edit", args=[application.pk]), _post_data()
        ).status_code
        == 404
    )
    assert (
        "Side-event applications are made by a delegation's focal point."
        in client.get(reverse("agenda:side_events"))
        .content.decode()
        .replace("&#x27;", "'")
    )


def test_review_tells_the_applicant_once_per_decision(
    focal_point, django_capture_on_commit_callbacks
):
    _user, delegation = focal_point
    application = SideEventApplicationFactory(delegation=delegation, title="Ransomware")
    reviewer = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        application_review(
            application=application,
            reviewer=reviewer,
            status=ApplicationStatus.PENDING,
            comment="Looks good",
            score=4,
        )
        application_review(
            application=application,
            reviewer=reviewer,
            status=ApplicationStatus.ACCEPTED,
            comment="Welcome",
            score=5,
        )
        application_review(
            application=application,
            reviewer=reviewer,
            status=ApplicationStatus.ACCEPTED,
            comment="Welcome",
            score=5,
        )

    email = OutboundEmail.objects.get(kind=SIDE_EVENT_DECISION)
    assert email.to_email == "dao@example.org"
    assert email.subject.endswith(
        "your side-event application “Ransomware” is accepted"
    )
    assert "Comment of the reviewers:\nWelcome" in email.text_body
    with pytest.raises(ValidationError):
        application_review(application=application, reviewer=reviewer, status="maybe")


def test_placement_by_hand_shows_conflicts_before_saving(focal_point, future_event):
    _user, delegation = focal_point
    slot = SideEventSlotFactory(
        event=future_event, starts_at=at(2, "09:00"), ends_at=at(2, "10:15")
    )
    room = RoomFactory(event=future_event, name="Meeting Room 4", capacity=50)
    ProgrammeItemFactory(
        event=future_event,
        room=room,
        title="Ransomware",
        starts_at=at(2, "09:30"),
        ends_at=at(2, "10:30"),
    )
    application = SideEventApplicationFactory(
        delegation=delegation, status=ApplicationStatus.ACCEPTED, expected_audience=80
    )
    SideEventSpeaker.objects.create(application=application, name="Amina Diallo")

    check = placement_check(application=application, slot=slot, room=room)

    assert check.errors == [
        "Meeting Room 4 is taken at this time by “Ransomware” "
        "(Sat 26 Oct, 09:30–10:30 (Asia/Ho_Chi_Minh))."
    ]
    assert check.warnings == [
        "Meeting Room 4 holds 50; the expected audience is 80.",
        "Meeting Room 4 is not open to side events.",
    ]
    with pytest.raises(ValidationError):
        application_place(application=application, slot=slot, room=room)
    other = RoomFactory(event=future_event, name="Meeting Room 5", capacity=100)
    item = application_place(application=application, slot=slot, room=other)
    assert (item.title, item.room, item.starts_at) == (
        application.title,
        other,
        at(2, "09:00"),
    )
