"""The programme's conflict rules, each refused with a message naming the
other item; on PostgreSQL the room rule is also an exclusion constraint."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sessions.enums import ProgrammeItemKind, SpeakerRole
from sessions.models import ProgrammeItem, ProgrammeRole
from sessions.services import SpeakerSpec, programme_item_save
from tests.factories import RoomFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def _item(event, room, title, day, start, end, **kwargs):
    return ProgrammeItem(
        event=event,
        room=room,
        kind=ProgrammeItemKind.PANEL,
        title=title,
        starts_at=at(day, start),
        ends_at=at(day, end),
        **kwargs,
    )


def test_one_room_at_overlapping_times_is_refused_naming_the_other(future_event):
    room = RoomFactory(event=future_event, name="Meeting Room 4")
    programme_item_save(
        item=_item(future_event, room, "Ransomware", 2, "09:00", "10:15")
    )

    with pytest.raises(ValidationError) as excinfo:
        programme_item_save(
            item=_item(future_event, room, "Online fraud", 2, "10:00", "11:00")
        )

    assert excinfo.value.message_dict == {
        "room": [
            "Meeting Room 4 is taken at this time by “Ransomware” "
            "(Sat 26 Oct, 09:00–10:15 (Asia/Ho_Chi_Minh))."
        ]
    }
    assert ProgrammeItem.objects.count() == 1


def test_back_to_back_items_and_cancelled_items_share_a_room(future_event):
    room = RoomFactory(event=future_event)
    first = programme_item_save(
        item=_item(future_event, room, "A", 2, "09:00", "10:15")
    )
    programme_item_save(item=_item(future_event, room, "B", 2, "10:15", "11:30"))
    first.is_cancelled = True
    programme_item_save(item=first)

    programme_item_save(item=_item(future_event, room, "C", 2, "09:00", "10:00"))

    assert ProgrammeItem.objects.count() == 3


def test_one_speaker_in_two_places_is_refused_naming_the_other(future_event):
    speaker = SpeakerSpec(
        role=SpeakerRole.CHAIR, name="Amina Diallo", email="Amina@Example.org"
    )
    programme_item_save(
        item=_item(
            future_event,
            RoomFactory(event=future_event),
            "Ransomware",
            2,
            "09:00",
            "10:15",
        ),
        speakers=[speaker],
    )
    same_person = SpeakerSpec(name="A. Diallo", email="amina@example.org")

    with pytest.raises(ValidationError) as excinfo:
        programme_item_save(
            item=_item(
                future_event,
                RoomFactory(event=future_event),
                "Fraud",
                2,
                "10:00",
                "11:00",
            ),
            speakers=[same_person],
        )

    assert excinfo.value.message_dict == {
        "roles": [
            "A. Diallo speaks at the same time in “Ransomware” "
            "(Sat 26 Oct, 09:00–10:15 (Asia/Ho_Chi_Minh))."
        ]
    }
    assert ProgrammeItem.objects.count() == 1


def test_a_speaker_without_email_is_known_by_name(future_event):
    programme_item_save(
        item=_item(future_event, None, "Keynote", 1, "09:00", "10:00"),
        speakers=[SpeakerSpec(name="Olga  Petrova")],
    )
    with pytest.raises(ValidationError) as excinfo:
        programme_item_save(
            item=_item(future_event, None, "Panel", 1, "09:30", "10:30"),
            speakers=[SpeakerSpec(name="olga petrova")],
        )
    assert list(excinfo.value.message_dict) == ["roles"]


def test_a_time_outside_the_event_days_is_refused(future_event):
    with pytest.raises(ValidationError) as excinfo:
        programme_item_save(item=_item(future_event, None, "Late", 3, "09:00", "10:00"))

    assert excinfo.value.message_dict == {
        "starts_at": [
            "Sun 27 Oct, 09:00–10:00 (Asia/Ho_Chi_Minh) is outside the event's "
            "days (25 October 2030 to 26 October 2030)."
        ]
    }


def test_an_item_ending_at_midnight_is_within_the_day(future_event):
    programme_item_save(
        item=_item(future_event, None, "Reception", 2, "19:00", "23:59")
    )
    item = _item(future_event, None, "Night", 2, "22:00", "23:00")
    item.ends_at = at(3, "00:00")
    programme_item_save(item=item)
    assert ProgrammeItem.objects.count() == 2


def test_postgresql_refuses_overlapping_rows_that_skip_the_checks(future_event):
    """The exclusion constraint: a write that bypasses the model's checks (a
    race between two checks, a bulk insert) still cannot double-book."""
    room = RoomFactory(event=future_event)
    ProgrammeItem.objects.bulk_create(
        [_item(future_event, room, "A", 2, "09:00", "10:15")]
    )

    with pytest.raises(IntegrityError, match="programme_item_room_no_overlap"):
        with transaction.atomic():
            ProgrammeItem.objects.bulk_create(
                [_item(future_event, room, "B", 2, "10:00", "11:00")]
            )
    ProgrammeItem.objects.bulk_create(
        [
            _item(future_event, room, "Adjacent", 2, "10:15", "11:00"),
            _item(
                future_event, room, "Cancelled", 2, "09:30", "10:00", is_cancelled=True
            ),
        ]
    )
    assert ProgrammeItem.objects.count() == 3


def _role(item, name="Amina Diallo", email="amina@example.org", **kwargs):
    """A chair or speaker row written past the services' checks (``clean()``
    only fills the copies of the item's times and the speaker key)."""
    role = ProgrammeRole(item=item, name=name, email=email, **kwargs)
    role.clean()
    return role


def test_postgresql_refuses_a_speaker_in_two_places_that_skips_the_checks(
    future_event,
):
    """The speaker rule as a database constraint: a row written past the
    services' checks (a race between two saves, a bulk write) is refused."""
    first = ProgrammeItem.objects.create(
        **_fields(_item(future_event, None, "Ransomware", 2, "09:00", "10:15"))
    )
    other = ProgrammeItem.objects.create(
        **_fields(_item(future_event, None, "Fraud", 2, "10:00", "11:00"))
    )
    _role(first).save()
    # The same person twice in one item (chair and speaker) is one place.
    _role(first, role=SpeakerRole.SPEAKER).save()

    with pytest.raises(IntegrityError, match="programme_role_speaker_no_overlap"):
        with transaction.atomic():
            _role(other, name="A. Diallo").save()
    assert ProgrammeRole.objects.count() == 2


def test_postgresql_moves_the_copies_with_the_item_and_refuses_a_clash(future_event):
    """Moving or cancelling an item moves its rows' copies in the same
    statement (the foreign key cascades): a move into a speaker's other item
    is refused by the database, and a row whose copies differ from its item
    cannot be written."""
    first = ProgrammeItem.objects.create(
        **_fields(_item(future_event, None, "Ransomware", 2, "09:00", "10:15"))
    )
    later = ProgrammeItem.objects.create(
        **_fields(_item(future_event, None, "Fraud", 2, "11:00", "12:00"))
    )
    _role(first).save()
    _role(later).save()

    with pytest.raises(IntegrityError, match="programme_role_speaker_no_overlap"):
        with transaction.atomic():
            ProgrammeItem.objects.filter(pk=later.pk).update(starts_at=at(2, "10:00"))
    with pytest.raises(IntegrityError, match="programme_role_item_copy"):
        with transaction.atomic():
            ProgrammeRole.objects.create(
                item=later,
                name="Li Wei",
                speaker_key="e:li@example.org",
                event=future_event,
                starts_at=at(2, "08:00"),  # not the item's times
                ends_at=at(2, "12:00"),
            )

    ProgrammeItem.objects.filter(pk=first.pk).update(is_cancelled=True)
    ProgrammeItem.objects.filter(pk=later.pk).update(
        starts_at=at(2, "09:30"), ends_at=at(2, "10:30")
    )
    assert list(
        ProgrammeRole.objects.order_by("item__title").values_list(
            "item__title", "starts_at", "ends_at", "item_cancelled"
        )
    ) == [
        ("Fraud", at(2, "09:30"), at(2, "10:30"), False),
        ("Ransomware", at(2, "09:00"), at(2, "10:15"), True),
    ]


def test_a_speaker_race_lost_to_the_database_is_a_message_naming_the_other(
    future_event, monkeypatch
):
    """When the checks pass but the database refuses (the other save
    committed in between), the service answers as the checks would."""
    from sessions.services import programme as programme_services

    programme_item_save(
        item=_item(future_event, None, "Ransomware", 2, "09:00", "10:15"),
        speakers=[SpeakerSpec(name="Amina Diallo", email="amina@example.org")],
    )
    checks = iter([[]])  # the first check sees nothing: the race
    real = programme_services._speaker_errors
    monkeypatch.setattr(
        programme_services,
        "_speaker_errors",
        lambda item, speakers: next(checks, None) or real(item, speakers),
    )

    with pytest.raises(ValidationError) as excinfo:
        programme_item_save(
            item=_item(future_event, None, "Fraud", 2, "10:00", "11:00"),
            speakers=[SpeakerSpec(name="A. Diallo", email="amina@example.org")],
        )

    assert excinfo.value.message_dict == {
        "roles": [
            "A. Diallo speaks at the same time in “Ransomware” "
            "(Sat 26 Oct, 09:00–10:15 (Asia/Ho_Chi_Minh))."
        ]
    }
    assert list(ProgrammeItem.objects.values_list("title", flat=True)) == ["Ransomware"]


def _fields(item: ProgrammeItem) -> dict:
    return {
        f.name: getattr(item, f.name)
        for f in ProgrammeItem._meta.concrete_fields
        if not f.primary_key and f.name != "updated_at"
    }
