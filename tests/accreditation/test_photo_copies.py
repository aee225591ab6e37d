"""The small photo copies badges are printed with are made in the background
when a badge is issued (approval, bulk issue, reprint after a new photo),
not at print time; printing still makes one that is missing."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from accreditation import pdf, services
from accreditation.models import Badge
from accreditation.services.photos import PHOTO_COPIES_TASK
from delegations.enums import ParticipantStatus
from tests.factories import ParticipantFactory
from tests.processes import CeleryWorker
from tests.servers import _test_database_url, wait_for

pytestmark = pytest.mark.django_db


def _jpeg(colour=(180, 190, 210)) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 1200), colour).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="p.jpg")


def _copy(media: Path, photo_name: str) -> Path:
    return (
        media / "badge_photos" / f"{hashlib.sha1(photo_name.encode()).hexdigest()}.jpg"
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _photo_tasks(callbacks) -> list[list[int]]:
    """The participant ids of each photo-copy task handed over on commit."""
    return [
        list(c.args[0])
        for c in callbacks
        if getattr(getattr(c, "func", None), "__self__", None) is not None
        and c.func.__self__.name == PHOTO_COPIES_TASK
    ]


def _with_photo(delegation, **fields):
    person = ParticipantFactory(delegation=delegation, **fields)
    person.photo.save("photo.jpg", _jpeg(), save=True)
    return person


def test_approval_makes_the_copy_once_committed(
    media, state_delegation, staff, django_capture_on_commit_callbacks
):
    person = _with_photo(state_delegation)
    copy = _copy(media, person.photo.name)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.accreditation_approve(participant=person, decided_by=staff)
    assert not copy.exists()  # nothing before the commit

    for callback in callbacks:
        callback()

    with Image.open(copy) as image:
        assert (image.format, image.size) == ("JPEG", (270, 360))


def test_a_participant_without_a_photo_hands_nothing_over(
    state_delegation, staff, django_capture_on_commit_callbacks
):
    person = ParticipantFactory(delegation=state_delegation)

    with django_capture_on_commit_callbacks() as callbacks:
        services.accreditation_approve(participant=person, decided_by=staff)

    assert Badge.objects.filter(participant=person).count() == 1
    assert len(callbacks) > 0  # the mail's delivery
    assert _photo_tasks(callbacks) == []


def test_bulk_issue_makes_every_copy_in_batches(
    media, state_delegation, django_capture_on_commit_callbacks, monkeypatch
):
    from accreditation.services import photos

    monkeypatch.setattr(photos, "PHOTO_COPIES_BATCH", 2)
    people = [
        _with_photo(state_delegation, status=ParticipantStatus.APPROVED)
        for _ in range(5)
    ]
    without = ParticipantFactory(
        delegation=state_delegation, status=ParticipantStatus.APPROVED
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        badges = services.badges_issue_many(
            event=state_delegation.event, participants=[*people, without], by=None
        )

    assert len(badges) == 6
    ids = sorted(p.pk for p in people)
    assert _photo_tasks(callbacks) == [ids[0:2], ids[2:4], ids[4:5]]
    assert all(_copy(media, p.photo.name).is_file() for p in people)
    assert len(list((media / "badge_photos").iterdir())) == 5


def test_a_new_photo_after_approval_gets_its_copy_with_the_reprint(
    media, state_delegation, staff, django_capture_on_commit_callbacks
):
    person = _with_photo(state_delegation)
    with django_capture_on_commit_callbacks(execute=True):
        services.accreditation_approve(participant=person, decided_by=staff)
    person.refresh_from_db()
    person.photo.save("new.jpg", _jpeg((20, 30, 40)), save=True)

    with django_capture_on_commit_callbacks(execute=True):
        badge = services.badge_ensure(participant=person, by=staff)

    assert badge.version == 2
    assert _copy(media, person.photo.name).is_file()


def test_printing_makes_a_missing_copy(media, state_delegation, staff):
    # Approved inside the test's transaction: the copy task never ran.
    person = _with_photo(state_delegation)
    services.accreditation_approve(participant=person, decided_by=staff)
    copy = _copy(media, person.photo.name)
    assert not copy.exists()

    data = services.badge_pdf(badges=[services.valid_badge(person)])

    assert data.startswith(b"%PDF") and copy.is_file()


def test_copies_are_idempotent(media, state_delegation):
    person = _with_photo(state_delegation)
    assert services.badge_photo_copies_make(participant_ids=[person.pk]) == 1
    copy = _copy(media, person.photo.name)
    made = copy.stat().st_mtime_ns

    assert services.badge_photo_copies_make(participant_ids=[person.pk]) == 1
    assert copy.stat().st_mtime_ns == made
    assert pdf.photo_for_badge(person.photo.name) == str(copy)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_copy_after_approval(
    broker, transactional_db, settings, tmp_path, state_delegation, staff
):
    settings.MEDIA_ROOT = tmp_path
    worker = CeleryWorker(
        database_url=_test_database_url(),
        broker_url=broker.url,
        extra_env={"MEDIA_ROOT": str(tmp_path), "LOG_LEVEL": "WARNING"},
        name="photos",
    )
    worker.start()
    try:
        person = _with_photo(state_delegation)
        copy = _copy(tmp_path, person.photo.name)

        services.accreditation_approve(participant=person, decided_by=staff)

        wait_for(copy.is_file, 30, message="the worker's photo copy")
        with Image.open(copy) as image:
            assert image.size == (270, 360)
    finally:
        worker.stop()
        print(worker.log())
