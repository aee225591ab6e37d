"""The speaking list: order by rank group then time of request, rank
changes, moves with a reason, rights of reply, the chair's countdown."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delegations.enums import DelegationRole, ProtocolRank
from protocol import selectors, services
from protocol.enums import SpeakerStatus, SpeechKind
from protocol.models import SpeakerMove
from tests.conftest import staff_two_factor_pass
from tests.factories import (
    DelegationFactory,
    ParticipantFactory,
    SpeakingListFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 10, 25, 2, 0, tzinfo=dt.UTC)


def add(
    speaking_list,
    name,
    rank,
    minute,
    *,
    role=DelegationRole.DELEGATE,
    kind=SpeechKind.STATEMENT,
    consent=True,
):
    delegation = DelegationFactory(
        event=speaking_list.event, organisation=StateFactory(name=name)
    )
    speaker = ParticipantFactory(
        delegation=delegation,
        protocol_rank=rank,
        role=role,
        function_title=f"Title of {name}",
        consent_list_of_participants=consent,
    )
    return services.speaking_request_create(
        speaking_list=speaking_list,
        delegation=delegation,
        speaker=speaker,
        kind=kind,
        requested_at=T0 + dt.timedelta(minutes=minute),
    )


def order(speaking_list):
    return [
        r.delegation.organisation.name
        for r in selectors.waiting_in_order(speaking_list)
    ]


@pytest.fixture
def mixed():
    sl = SpeakingListFactory()
    add(sl, "Official late", ProtocolRank.OFFICIAL, 1)
    add(sl, "Minister early", ProtocolRank.MINISTER, 2)
    add(sl, "Ambassador head", ProtocolRank.AMBASSADOR, 3, role=DelegationRole.HEAD)
    add(sl, "Head of Government", ProtocolRank.HEAD_OF_GOVERNMENT, 4)
    add(sl, "Reply one", ProtocolRank.HEAD_OF_STATE, 5, kind=SpeechKind.REPLY)
    add(sl, "Vice-President", ProtocolRank.VICE_PRESIDENT, 6)
    add(sl, "MFA", ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS, 7)
    add(sl, "Ambassador not head", ProtocolRank.AMBASSADOR, 8)
    add(sl, "Head of State late", ProtocolRank.HEAD_OF_STATE, 9)
    add(sl, "Deputy PM", ProtocolRank.DEPUTY_HEAD_OF_GOVERNMENT, 10)
    add(sl, "Vice-Minister", ProtocolRank.VICE_MINISTER, 11)
    add(sl, "Crown Prince", ProtocolRank.CROWN_PRINCE, 12)
    add(sl, "Head of State early", ProtocolRank.HEAD_OF_STATE, 0)
    return sl


def test_order_by_rank_group_then_time_of_request_replies_last(mixed):
    assert order(mixed) == [
        "Head of State early",
        "Head of State late",
        "Vice-President",
        "Crown Prince",
        "Head of Government",
        "Deputy PM",
        "Minister early",
        "MFA",
        "Vice-Minister",
        "Ambassador head",
        "Official late",
        "Ambassador not head",
        "Reply one",
    ]


def test_rank_change_reorders_the_list(mixed):
    official = next(
        r
        for r in selectors.waiting_in_order(mixed)
        if r.delegation.organisation.name == "Official late"
    )
    official.speaker.protocol_rank = ProtocolRank.HEAD_OF_GOVERNMENT
    official.speaker.save()
    assert order(mixed)[4:7] == ["Official late", "Head of Government", "Deputy PM"]


def test_move_with_a_reason_is_recorded_and_others_keep_their_order(mixed):
    chair = UserFactory()
    waiting = selectors.waiting_in_order(mixed)
    vice_minister = waiting[8]
    with pytest.raises(ValidationError):
        services.speaker_move(
            request=vice_minister, position=2, reason="", moved_by=chair
        )
    with pytest.raises(ValidationError):
        services.speaker_move(
            request=vice_minister, position=13, reason="x", moved_by=chair
        )
    move = services.speaker_move(
        request=vice_minister,
        position=2,
        reason="Must leave for the airport",
        moved_by=chair,
    )
    assert (move.from_position, move.to_position, move.reason, move.moved_by) == (
        9,
        2,
        "Must leave for the airport",
        chair,
    )
    assert order(mixed)[:4] == [
        "Head of State early",
        "Vice-Minister",
        "Head of State late",
        "Vice-President",
    ]
    # A later request of high rank still goes by its rank.
    add(mixed, "New Head of State", ProtocolRank.HEAD_OF_STATE, 30)
    assert order(mixed)[:4] == [
        "Head of State early",
        "Vice-Minister",
        "Head of State late",
        "New Head of State",
    ]
    services.speaker_move(
        request=vice_minister, position=13, reason="Asked to speak last", moved_by=chair
    )
    assert order(mixed)[-2:] == ["Vice-Minister", "Reply one"]
    assert SpeakerMove.objects.count() == 2


def test_duplicate_request_of_the_same_kind_is_refused():
    sl = SpeakingListFactory()
    first = add(sl, "Only once", ProtocolRank.MINISTER, 1)
    with pytest.raises(ValidationError):
        services.speaking_request_create(
            speaking_list=sl, delegation=first.delegation, speaker=first.speaker
        )
    reply = services.speaking_request_create(
        speaking_list=sl,
        delegation=first.delegation,
        speaker=first.speaker,
        kind=SpeechKind.REPLY,
    )
    assert reply.effective_time_limit == sl.reply_time_limit_seconds


def test_next_speaker_countdown_pause_start_reset_and_total_time(monkeypatch):
    sl = SpeakingListFactory(time_limit_seconds=300)
    first = add(sl, "First", ProtocolRank.HEAD_OF_STATE, 1)
    second = add(sl, "Second", ProtocolRank.MINISTER, 2)
    now = {"t": T0}
    monkeypatch.setattr(timezone, "now", lambda: now["t"])

    assert services.speaker_next(speaking_list=sl).pk == first.pk
    sl.refresh_from_db()
    assert (sl.countdown_duration, sl.countdown_remaining(T0)) == (300, 300)
    now["t"] = T0 + dt.timedelta(seconds=100)
    services.countdown_pause(speaking_list=sl)
    sl.refresh_from_db()
    assert sl.countdown_started_at is None
    assert sl.countdown_remaining() == 200
    now["t"] = T0 + dt.timedelta(seconds=160)
    assert sl.countdown_remaining() == 200
    services.countdown_start(speaking_list=sl)
    now["t"] = T0 + dt.timedelta(seconds=190)
    sl.refresh_from_db()
    assert sl.countdown_remaining() == 170
    services.countdown_reset(speaking_list=sl)
    sl.refresh_from_db()
    assert (sl.countdown_remaining(), sl.countdown_started_at) == (300, None)

    assert services.speaker_next(speaking_list=sl).pk == second.pk
    first.refresh_from_db()
    # 190 s on the floor less the 60 s pause.
    assert (first.status, first.spoken_seconds()) == (SpeakerStatus.DONE, 130)
    now["t"] = T0 + dt.timedelta(seconds=250)
    state = selectors.list_state(sl)
    assert (state.current.pk, state.total_spoken_seconds) == (second.pk, 190)
    services.speaker_end(speaking_list=sl)
    assert services.speaker_next(speaking_list=sl) is None


def test_hall_screen_state_is_public_and_names_only_those_who_consented(client):
    sl = SpeakingListFactory()
    add(sl, "Named", ProtocolRank.HEAD_OF_STATE, 1)
    add(sl, "Unnamed", ProtocolRank.MINISTER, 2, consent=False)
    data = client.get(reverse("protocol:speaking_state", args=[sl.pk])).json()
    assert [(n["delegation"], bool(n["name"]), n["title"]) for n in data["next"]] == [
        ("Named", True, "Title of Named"),
        ("Unnamed", False, "Title of Unnamed"),
    ]
    assert data["countdown"] == {"duration": 300, "remaining": 300.0, "running": False}
    assert (
        client.get(reverse("protocol:speaking_screen", args=[sl.pk])).status_code == 200
    )
    public = client.get(
        reverse("protocol:speaking_public", args=[sl.pk])
    ).content.decode()
    assert "Title of Unnamed" in public


def test_chair_controls_need_permission_and_two_factor(client):
    sl = SpeakingListFactory()
    add(sl, "First", ProtocolRank.HEAD_OF_STATE, 1)
    url = reverse("protocol:speaking_chair_action", args=[sl.pk, "next"])
    assert client.post(url).status_code == 302  # to the login page
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.post(url).status_code == 403
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.post(url).status_code == 403  # no two-factor yet
    staff_two_factor_pass(client, staff)
    assert client.post(url).status_code == 302
    assert selectors.list_state(sl).current.delegation.organisation.name == "First"
    assert (
        client.get(reverse("protocol:speaking_chair", args=[sl.pk])).status_code == 200
    )
    assert (
        client.get(reverse("protocol:speaking_print", args=[sl.pk])).status_code == 200
    )


@pytest.mark.parametrize(
    "url_name", ["protocol:speaking_state", "protocol:speaking_public"]
)
def test_speaking_list_pages_query_count_does_not_grow(
    client, django_assert_max_num_queries, url_name
):
    sl = SpeakingListFactory()
    add(sl, "S0", ProtocolRank.MINISTER, 0)
    url = reverse(url_name, args=[sl.pk])
    with django_assert_max_num_queries(5) as small:
        client.get(url)
    for n in range(1, 25):
        add(sl, f"S{n}", ProtocolRank.MINISTER, n)
    with django_assert_max_num_queries(5) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
