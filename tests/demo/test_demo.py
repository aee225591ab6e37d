import datetime as dt
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import TestCase, override_settings
from django.urls import reverse

from accreditation.models import Badge, BadgeCategory, Zone
from checkin.models import Device, Gate
from delegations.enums import (
    DelegationRole,
    DelegationStatus,
    OrganisationKind,
    ParticipantStatus,
)
from delegations.models import Delegation, DelegationRoleQuota, Participant
from demo import demo_load
from hanoi_event.models import Event
from sessions.enums import ProgrammeItemKind
from sessions.models import ProgrammeItem, Room
from tests.factories import EventFactory
from tests.totp import current_totp_code

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# Hashing the demo password at full strength costs half a second per load.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def demo():
    return demo_load()


def _counts() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "rooms": Room.objects.count(),
        "programme_items": ProgrammeItem.objects.count(),
        "delegations": Delegation.objects.count(),
        "participants": Participant.objects.count(),
        "participant_history": Participant.history.count(),
        "delegation_history": Delegation.history.count(),
        "quotas": DelegationRoleQuota.objects.count(),
        "users": get_user_model().objects.count(),
        "zones": Zone.objects.count(),
        "badge_categories": BadgeCategory.objects.count(),
        "badges": Badge.objects.count(),
        "gates": Gate.objects.count(),
        "devices": Device.objects.count(),
    }


def test_load_demo_twice_gives_identical_counts():
    call_command("load_demo", stdout=io.StringIO())
    first = _counts()
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert _counts() == first
    assert first == {
        "events": 1,
        "rooms": 16,
        "programme_items": 37,
        "delegations": 44,
        "participants": 293,
        "participant_history": 293,
        "delegation_history": 44,
        "quotas": 4,
        # The organizer and the focal points of the 43 invited delegations.
        "users": 44,
        "zones": 5,
        "badge_categories": 8,
        # One for each of the 178 approved participants.
        "badges": 178,
        "gates": 7,
        "devices": 1,
    }
    assert "Already up to date: nothing created or changed." in out.getvalue()


def test_second_demo_load_reports_nothing_created_or_updated(demo):
    again = demo_load()

    assert again.created == {}
    assert again.updated == {}
    assert again.totals == {
        "events": 1,
        "rooms": 16,
        "programme_items": 37,
        "delegations": 44,
        "participants": 293,
    }


def test_every_approved_demo_participant_has_one_valid_badge(demo):
    approved = Participant.objects.filter(
        event=demo.event, status=ParticipantStatus.APPROVED
    )
    badges = Badge.objects.filter(event=demo.event, revoked_at__isnull=True)

    assert approved.count() == 178
    assert sorted(badges.values_list("participant_id", flat=True)) == sorted(
        approved.values_list("pk", flat=True)
    )
    assert sorted(badges.values_list("number", flat=True)) == list(range(1, 179))
    assert not Badge.objects.exclude(participant__in=approved).exists()


def test_demo_gate_phone_enrols_with_the_demo_setup_code(demo):
    from checkin.services import device_enroll
    from demo.accreditation import DEMO_SETUP_CODE

    device, token = device_enroll(setup_code="demo-gate-phone-1")

    assert (device.name, device.event_id) == ("Demo gate phone", demo.event.pk)
    assert DEMO_SETUP_CODE == "DEMOGATEPHONE1"
    assert token
    assert demo_load().changed_anything is False


def test_demo_load_restores_changed_demo_records(demo):
    Participant.objects.filter(email="van-duc.tran.1@demo.example").update(
        status=ParticipantStatus.REJECTED, rejection_reason="Test"
    )
    Room.objects.filter(name="Plenary Hall").update(capacity=10)

    again = demo_load()

    head = Participant.objects.get(email="van-duc.tran.1@demo.example")
    assert (head.status, head.rejection_reason) == (ParticipantStatus.APPROVED, "")
    assert Room.objects.get(name="Plenary Hall").capacity == 3500
    assert again.created == {}
    assert again.updated == {"delegations.Participant": 1, "event_sessions.Room": 1}


def test_demo_event_becomes_the_current_event():
    earlier = EventFactory(is_current=True)

    demo_load()

    earlier.refresh_from_db()
    assert earlier.is_current is False
    assert list(
        Event.objects.filter(is_current=True).values_list("slug", flat=True)
    ) == ["hanoi-2025"]


def test_organizer_credentials_log_in(demo, client):
    assert client.login(username="organizer", password="hanoi-demo-2025")


def test_organizer_logs_in_by_email_and_totp_and_reaches_the_admin(demo, client):
    cache.clear()  # allauth's login rate limits count in the cache
    organizer = get_user_model().objects.get(username="organizer")
    # Staff pass a second factor before the admin; the organizer has set up
    # an authenticator app.
    secret = generate_totp_secret()
    TOTP.activate(organizer, secret)

    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "organizer@example.org", "password": "hanoi-demo-2025"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_totp_code(secret)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"

    assert client.get("/admin/").status_code == 200


def test_load_demo_prints_how_to_log_in():
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert out.getvalue().splitlines()[-1] == (
        "Log in at http://127.0.0.1:8000/admin/ as organizer@example.org "
        "(username organizer), password hanoi-demo-2025"
    )


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class DemoDataTests(TestCase):
    """Read-only checks of the loaded demo, sharing one load (setUpTestData)."""

    @classmethod
    def setUpTestData(cls):
        cls.demo = demo_load()

    def test_demo_event_has_the_hanoi_2025_fields(self):
        event = Event.objects.get(slug="hanoi-2025")

        assert event == self.demo.event
        assert event.name == (
            "Signing Ceremony and High-Level Conference of the United Nations "
            "Convention against Cybercrime"
        )
        assert event.short_name == "Hanoi Convention 2025"
        assert event.theme == (
            "Countering Cybercrime - Sharing Responsibilities - Securing our Future"
        )
        assert event.venue == "National Convention Center (NCC)"
        assert event.city == "Hanoi"
        assert event.time_zone == "Asia/Ho_Chi_Minh"
        assert (event.start_date, event.end_date) == (
            dt.date(2025, 10, 25),
            dt.date(2025, 10, 26),
        )
        # Midnight and 23:59 in Hanoi (UTC+7), stored in UTC.
        assert event.registration_opens_at == dt.datetime(
            2025, 6, 30, 17, 0, tzinfo=UTC
        )
        assert event.registration_deadline == dt.datetime(
            2025, 10, 10, 16, 59, tzinfo=UTC
        )
        assert event.side_event_application_deadline == dt.datetime(
            2025, 9, 15, 16, 59, tzinfo=UTC
        )
        assert event.contact_email == "secretariat@example.org"
        assert event.is_current is True
        assert dict(event.role_quotas.values_list("role", "max_count")) == {
            DelegationRole.HEAD: 1,
            DelegationRole.ALTERNATE: 2,
            DelegationRole.SECURITY: 4,
            DelegationRole.PRESS: 2,
        }

    def test_rooms_have_their_capacities(self):
        capacities = dict(Room.objects.values_list("name", "capacity"))

        assert len(capacities) == 16
        assert capacities["Plenary Hall"] == 3500
        assert capacities["Signing Room"] == 300
        assert capacities["Press Centre"] == 150
        assert capacities["Banquet Hall"] == 1200
        meeting_rooms = [capacities[f"Meeting Room {n}"] for n in range(1, 13)]
        assert (min(meeting_rooms), max(meeting_rooms)) == (60, 200)

    def test_programme_starts_with_the_opening_at_0830_hanoi_time(self):
        first = ProgrammeItem.objects.order_by("starts_at").first()

        assert first.title == "Opening ceremony"
        assert first.kind == ProgrammeItemKind.OPENING
        assert first.room.name == "Plenary Hall"
        # 08:30 in Hanoi is 01:30 UTC.
        assert first.starts_at == dt.datetime(2025, 10, 25, 1, 30, tzinfo=UTC)
        assert first.ends_at == dt.datetime(2025, 10, 25, 2, 45, tzinfo=UTC)

    def test_side_events_fill_five_75_minute_slots_on_day_two(self):
        side_events = ProgrammeItem.objects.filter(kind=ProgrammeItemKind.SIDE_EVENT)

        assert side_events.count() == 20
        slots = sorted(
            {(item.starts_at, item.ends_at) for item in side_events}, key=lambda s: s[0]
        )
        # 09:00-10:15, 10:30-11:45, 12:00-13:15, 13:30-14:45, 15:00-16:15 in Hanoi.
        assert [(start.hour, start.minute) for start, _end in slots] == [
            (2, 0),
            (3, 30),
            (5, 0),
            (6, 30),
            (8, 0),
        ]
        assert {end - start for start, end in slots} == {dt.timedelta(minutes=75)}
        assert {start.date() for start, _end in slots} == {dt.date(2025, 10, 26)}
        per_slot = side_events.values("starts_at").annotate(n=Count("id"))
        assert sorted(row["n"] for row in per_slot) == [4, 4, 4, 4, 4]

    def test_programme_is_mostly_published_with_two_hidden_items(self):
        hidden = ProgrammeItem.objects.filter(is_published=False)

        assert sorted(hidden.values_list("title", flat=True)) == [
            "Bilateral meeting of the host country",
            "From signature to ratification: national roadmaps",
        ]
        assert ProgrammeItem.objects.filter(is_published=True).count() == 35
        assert set(ProgrammeItem.objects.values_list("kind", flat=True)) == {
            ProgrammeItemKind.OPENING,
            ProgrammeItemKind.SIGNING_CEREMONY,
            ProgrammeItemKind.PLENARY,
            ProgrammeItemKind.HIGH_LEVEL_EVENT,
            ProgrammeItemKind.SIDE_EVENT,
            ProgrammeItemKind.PRESS_CONFERENCE,
            ProgrammeItemKind.RECEPTION,
            ProgrammeItemKind.BILATERAL,
            ProgrammeItemKind.CLOSING,
        }

    def test_programme_has_no_room_double_booked(self):
        items = list(ProgrammeItem.objects.order_by("room_id", "starts_at"))

        for before, after in zip(items, items[1:], strict=False):
            if before.room_id == after.room_id:
                assert after.starts_at >= before.ends_at, (before.title, after.title)

    def test_viet_nam_is_among_the_delegations(self):
        viet_nam = Delegation.objects.get(organisation__name="Viet Nam")

        assert viet_nam.organisation.iso3 == "VNM"
        assert viet_nam.status == DelegationStatus.ACCREDITED
        assert viet_nam.members.count() == 30

    def test_delegations_cover_every_status_kind_and_regional_group(self):
        delegations = Delegation.objects.select_related("organisation")

        assert {d.status for d in delegations} == set(DelegationStatus.values)
        assert {d.organisation.kind for d in delegations} == set(
            OrganisationKind.values
        )
        assert {
            d.organisation.regional_group
            for d in delegations
            if d.organisation.is_state
        } == {"african", "asia_pacific", "eastern_european", "grulac", "weog", ""}

    def test_participants_have_names_in_several_scripts(self):
        names = set(Participant.objects.values_list("given_names", "family_name"))

        assert ("Thị Hương", "Nguyễn") in names  # Vietnamese
        assert ("Văn Đức", "Trần") in names
        assert ("محمد", "العلي") in names  # Arabic
        assert ("小明", "王") in names  # Chinese
        assert ("Иван", "Петров") in names  # Cyrillic
        assert Participant.objects.filter(family_name="Lefèvre").exists()  # accents

    def test_participant_emails_are_unique_ascii_demo_addresses(self):
        emails = list(Participant.objects.values_list("email", flat=True))

        assert len(set(emails)) == 293
        assert all(
            email.isascii() and email.endswith("@demo.example") for email in emails
        )
        assert "thi-huong.nguyen.2@demo.example" in emails

    def test_every_delegation_with_members_has_exactly_one_active_head(self):
        delegations = Delegation.objects.annotate(
            member_count=Count("members"),
            active_heads=Count(
                "members",
                filter=Q(members__role=DelegationRole.HEAD)
                & ~Q(members__status=ParticipantStatus.WITHDRAWN),
            ),
        )

        with_members = [d for d in delegations if d.member_count]
        assert len(with_members) == 39
        assert {d.active_heads for d in with_members} == {1}
        # Mexico's first head withdrew and was replaced.
        assert (
            Participant.objects.filter(
                role=DelegationRole.HEAD, status=ParticipantStatus.WITHDRAWN
            ).count()
            == 1
        )

    def test_participants_stay_within_the_role_quotas(self):
        over = (
            Participant.objects.exclude(status=ParticipantStatus.WITHDRAWN)
            .values("delegation", "role")
            .annotate(n=Count("id"))
        )
        quotas = {"head": 1, "alternate": 2, "security": 4, "press": 2}

        assert [
            row
            for row in over
            if row["role"] in quotas and row["n"] > quotas[row["role"]]
        ] == []

    def test_participants_have_varied_statuses_ranks_and_languages(self):
        participants = Participant.objects.all()

        assert set(participants.values_list("status", flat=True)) == set(
            ParticipantStatus.values
        )
        rejected = participants.filter(status=ParticipantStatus.REJECTED)
        assert rejected.count() == 12
        assert rejected.filter(rejection_reason="").count() == 0
        assert (
            participants.exclude(status=ParticipantStatus.REJECTED)
            .exclude(rejection_reason="")
            .count()
            == 0
        )
        heads_of_state_or_government = participants.filter(protocol_rank__in=[10, 20])
        assert heads_of_state_or_government.count() == 3
        assert set(participants.values_list("preferred_language", flat=True)) == {
            "en",
            "fr",
            "es",
            "ru",
            "zh-hans",
            "ar",
            "vi",
        }
        assert participants.filter(is_spouse_of_dignitary=True).count() == 2

    def test_participants_travel_and_passports_fit_the_event(self):
        participants = Participant.objects.all()

        assert (
            participants.filter(passport_expiry__lte=dt.date(2025, 10, 26)).count() == 0
        )
        assert participants.filter(arrival_at__isnull=False).count() > 200
        for person in participants.filter(arrival_at__isnull=False):
            assert person.departure_at >= person.arrival_at

    def test_organizer_is_a_superuser_in_the_organizer_group(self):
        organizer = get_user_model().objects.get(username="organizer")

        assert organizer.email == "organizer@example.org"
        assert (organizer.is_staff, organizer.is_superuser, organizer.is_active) == (
            True,
            True,
            True,
        )
        assert list(organizer.groups.values_list("name", flat=True)) == ["Organizer"]
        assert organizer.check_password("hanoi-demo-2025")


def test_every_invited_demo_delegation_has_a_focal_point_who_cannot_sign_in(demo):
    from delegations.enums import DelegationStatus
    from delegations.models import Delegation

    invited = Delegation.objects.exclude(status=DelegationStatus.NOT_INVITED)
    assert invited.count() == 43
    assert not invited.filter(focal_point__isnull=True).exists()
    for delegation in invited.select_related("focal_point", "organisation"):
        user = delegation.focal_point
        assert not user.has_usable_password(), delegation
        assert not user.is_staff
    viet_nam = invited.get(organisation__iso3="VNM")
    assert viet_nam.focal_point.username == "dao-vnm"
    # The focal point is a member of the delegation, linked to the account.
    member = viet_nam.members.get(email=viet_nam.focal_point.email)
    assert member.user == viet_nam.focal_point
