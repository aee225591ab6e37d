"""factory_boy factories for the domain models."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from delegations.enums import DelegationRole, OrganisationKind, ParticipantStatus
from delegations.models import Delegation, Organisation, Participant
from hanoi_event.models import Event
from sessions.enums import ProgrammeItemKind
from sessions.models import ProgrammeItem, Room


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Signing Conference {n}")
    short_name = factory.Sequence(lambda n: f"Conf {n}")
    slug = factory.Sequence(lambda n: f"conf-{n}")
    venue = "National Convention Center"
    city = "Hanoi"
    time_zone = "Asia/Ho_Chi_Minh"
    start_date = dt.date(2025, 10, 25)
    end_date = dt.date(2025, 10, 26)
    contact_email = "secretariat@example.org"


class StateFactory(factory.django.DjangoModelFactory):
    """A fictitious State. Its codes come from ISO 3166's user-assigned ranges
    (X?, X??), so they never clash with a real State: 26 of them at most."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Republic of Test {n}")
    kind = OrganisationKind.MEMBER_STATE
    iso2 = factory.Sequence(lambda n: f"X{chr(65 + n % 26)}")
    iso3 = factory.Sequence(lambda n: f"XX{chr(65 + n % 26)}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    kind = OrganisationKind.NGO


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    delegation = factory.SubFactory(DelegationFactory)
    event = factory.SelfAttribute("delegation.event")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    given_names = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    role = DelegationRole.DELEGATE
    status = ParticipantStatus.SUBMITTED


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    event = factory.SubFactory(EventFactory)
    kind = ProgrammeItemKind.PANEL
    title = factory.Sequence(lambda n: f"Panel {n}")
    starts_at = dt.datetime(2025, 10, 25, 2, 0, tzinfo=dt.UTC)
    ends_at = dt.datetime(2025, 10, 25, 3, 15, tzinfo=dt.UTC)


class VerifiedUserFactory(UserFactory):
    """A portal user whose email address is verified (allauth EmailAddress),
    so they can sign in and own their invitation or registration."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj,
                email=obj.email.lower(),
                defaults={"verified": True, "primary": True},
            )


class RegistrationCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delegations.RegistrationCode"

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"NGO-CODE-{n}")


class SigningCeremonyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocol.SigningCeremony"

    event = factory.SubFactory(EventFactory)
    # 10:00 in Hanoi on the first day.
    starts_at = dt.datetime(2025, 10, 25, 3, 0, tzinfo=dt.UTC)
    slot_minutes = 5
    slot_count = 40


class SpeakingListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocol.SpeakingList"

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"High-level segment {n}")
    day = dt.date(2025, 10, 25)


# Accreditation and check-in (issue 11).


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accreditation.Zone"

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"zone-{n}")
    name = factory.Sequence(lambda n: f"Zone {n}")


class GateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "checkin.Gate"

    event = factory.SelfAttribute("zone.event")
    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"Gate {n}")
    direction = "entry"


# Programme and side events (issue 12).


class SideEventSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "event_sessions.SideEventSlot"

    event = factory.SubFactory(EventFactory)
    # 09:00-10:15 in Hanoi on the second day.
    starts_at = dt.datetime(2025, 10, 26, 2, 0, tzinfo=dt.UTC)
    ends_at = dt.datetime(2025, 10, 26, 3, 15, tzinfo=dt.UTC)


class SideEventApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "event_sessions.SideEventApplication"

    delegation = factory.SubFactory(DelegationFactory)
    event = factory.SelfAttribute("delegation.event")
    title = factory.Sequence(lambda n: f"Side event application {n}")
    abstract = "An exchange of practice."
    organiser = "Test organiser"
    format = "panel"
    expected_audience = 40
