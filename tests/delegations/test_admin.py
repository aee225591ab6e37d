"""The admin for events, organisations, delegations, participants, users and
groups: pages answer, changelists keep a fixed number of queries."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegations.enums import (
    DelegationRole,
    DelegationStatus,
    OrganisationKind,
    ParticipantStatus,
)
from delegations.models import Delegation, Organisation, Participant
from tests.factories import (
    DelegationFactory,
    EventFactory,
    OrganisationFactory,
    ParticipantFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The superuser and users here need a password, not a slow hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Fixed ceilings for one changelist page as a superuser (session, user,
# current event, filters, count, rows, ...). Measured: see the report.
PARTICIPANT_CHANGELIST_MAX_QUERIES = 15
DELEGATION_CHANGELIST_MAX_QUERIES = 15


def count_changelist_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def bulk_organisations(start: int, count: int) -> list[Organisation]:
    return Organisation.objects.bulk_create(
        Organisation(name=f"Bulk Organisation {n:04d}", kind=OrganisationKind.NGO)
        for n in range(start, start + count)
    )


def bulk_participants(event, delegations, start: int, count: int) -> None:
    Participant.objects.bulk_create(
        Participant(
            event=event,
            delegation=delegations[n % len(delegations)],
            email=f"bulk{n:04d}@example.org",
            given_names=f"Bulk{n:04d}",
            family_name="Person",
            status=ParticipantStatus.SUBMITTED,
            photo="photos/bulk.jpg" if n % 2 else "",
        )
        for n in range(start, start + count)
    )


def bulk_delegations_with_members(event, start: int, count: int) -> None:
    """``count`` delegations, each with a head, two delegates and a withdrawn
    adviser."""
    organisations = bulk_organisations(start, count)
    delegations = Delegation.objects.bulk_create(
        Delegation(event=event, organisation=organisation)
        for organisation in organisations
    )
    members = []
    for n, delegation in zip(range(start, start + count), delegations, strict=True):
        for role, status, suffix in [
            (DelegationRole.HEAD, ParticipantStatus.SUBMITTED, "head"),
            (DelegationRole.DELEGATE, ParticipantStatus.SUBMITTED, "d1"),
            (DelegationRole.DELEGATE, ParticipantStatus.APPROVED, "d2"),
            (DelegationRole.ADVISER, ParticipantStatus.WITHDRAWN, "gone"),
        ]:
            members.append(
                Participant(
                    event=event,
                    delegation=delegation,
                    role=role,
                    status=status,
                    email=f"{suffix}{n:04d}@example.org",
                    given_names=f"{suffix.title()}{n:04d}",
                    family_name="Member",
                )
            )
    Participant.objects.bulk_create(members)


def test_participant_changelist_queries_do_not_grow_with_rows(admin_client):
    event = EventFactory(is_current=True)
    delegations = [DelegationFactory(event=event) for _ in range(5)]
    url = reverse("admin:delegations_participant_changelist")

    bulk_participants(event, delegations, 0, 10)
    admin_client.get(url)  # warm caches (content types, ...) once
    queries_at_10, page_at_10 = count_changelist_queries(admin_client, url)

    bulk_participants(event, delegations, 10, 990)
    assert Participant.objects.count() == 1000
    queries_at_1000, page_at_1000 = count_changelist_queries(admin_client, url)

    print(
        f"participant changelist: {queries_at_10} queries at 10 rows, "
        f"{queries_at_1000} at 1,000 rows"
    )
    assert queries_at_10 == queries_at_1000
    assert queries_at_1000 <= PARTICIPANT_CHANGELIST_MAX_QUERIES
    assert "Bulk0000 PERSON" in page_at_10
    assert "Bulk0000 PERSON" in page_at_1000
    assert str(delegations[0].organisation) in page_at_1000
    assert "1000 participants" in page_at_1000


def test_delegation_changelist_queries_do_not_grow_with_rows(admin_client):
    event = EventFactory(is_current=True)
    url = reverse("admin:delegations_delegation_changelist")
    focal_point = UserFactory(email="dao@example.org")

    bulk_delegations_with_members(event, 0, 10)
    Delegation.objects.filter(organisation__name="Bulk Organisation 0000").update(
        focal_point=focal_point
    )
    admin_client.get(url)
    queries_at_10, page_at_10 = count_changelist_queries(admin_client, url)

    bulk_delegations_with_members(event, 10, 990)
    Delegation.objects.filter(organisation__name__endswith="5").update(
        focal_point=focal_point
    )
    assert Delegation.objects.count() == 1000
    queries_at_1000, page_at_1000 = count_changelist_queries(admin_client, url)

    print(
        f"delegation changelist: {queries_at_10} queries at 10 rows, "
        f"{queries_at_1000} at 1,000 rows"
    )
    assert queries_at_10 == queries_at_1000
    assert queries_at_1000 <= DELEGATION_CHANGELIST_MAX_QUERIES
    for page in (page_at_10, page_at_1000):
        assert "Bulk Organisation 0000" in page
        assert "Head0000 MEMBER" in page
        assert "dao@example.org" in page
    assert "1000 delegations" in page_at_1000


def test_delegation_changelist_shows_member_count_and_head(admin_client):
    event = EventFactory()
    delegation = DelegationFactory(
        event=event,
        organisation=StateFactory(name="Viet Nam", iso2="VN", iso3="VNM"),
        focal_point=UserFactory(email="dao.vn@example.org"),
    )
    ParticipantFactory(
        delegation=delegation,
        role=DelegationRole.HEAD,
        given_names="Văn An",
        family_name="Nguyễn",
    )
    ParticipantFactory(delegation=delegation)
    ParticipantFactory(delegation=delegation, status=ParticipantStatus.WITHDRAWN)
    DelegationFactory(event=event, organisation=OrganisationFactory(name="Lonely"))

    response = admin_client.get(reverse("admin:delegations_delegation_changelist"))

    rows = {d.organisation.name: d for d in response.context["cl"].result_list}
    assert rows["Viet Nam"].member_count == 2
    assert rows["Lonely"].member_count == 0
    assert [p.full_name for p in rows["Viet Nam"].current_heads] == ["Văn An NGUYỄN"]
    assert rows["Lonely"].current_heads == []
    content = response.content.decode()
    assert "Văn An NGUYỄN" in content
    assert "dao.vn@example.org" in content


def test_participant_search_finds_by_email_and_not_by_passport(admin_client):
    event = EventFactory()
    ParticipantFactory(
        event=event,
        delegation=DelegationFactory(event=event),
        email="an.nguyen@mps.gov.vn",
        given_names="Văn An",
        family_name="Nguyễn",
        passport_number="C1234567",
    )
    ParticipantFactory(event=event, delegation=DelegationFactory(event=event))
    url = reverse("admin:delegations_participant_changelist")

    found = admin_client.get(url, {"q": "an.nguyen@mps.gov.vn"}).context["cl"]
    by_passport = admin_client.get(url, {"q": "C1234567"}).context["cl"]

    assert [p.email for p in found.result_list] == ["an.nguyen@mps.gov.vn"]
    assert list(by_passport.result_list) == []


def test_participant_changelist_filters_by_organisation_kind(admin_client):
    event = EventFactory()
    state_member = ParticipantFactory(
        delegation=DelegationFactory(event=event, organisation=StateFactory())
    )
    ParticipantFactory(delegation=DelegationFactory(event=event))  # an NGO

    cl = admin_client.get(
        reverse("admin:delegations_participant_changelist"),
        {"delegation__organisation__kind": OrganisationKind.MEMBER_STATE},
    ).context["cl"]

    assert [p.pk for p in cl.result_list] == [state_member.pk]


def test_nationality_autocomplete_offers_states_only(admin_client):
    StateFactory(name="Viet Nam", iso2="VN", iso3="VNM")
    OrganisationFactory(name="Vietnam Cyber NGO")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "delegations",
            "model_name": "participant",
            "field_name": "nationality",
            "term": "Viet",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Viet Nam"]


@pytest.fixture
def one_of_each(db):
    """One saved record of every model this file's admins manage."""
    event = EventFactory()
    delegation = DelegationFactory(
        event=event, status=DelegationStatus.INVITED, focal_point=UserFactory()
    )
    return {
        "hanoi_event.event": event,
        "delegations.organisation": delegation.organisation,
        "delegations.delegation": delegation,
        "delegations.participant": ParticipantFactory(delegation=delegation),
        "auth.user": UserFactory(),
        "auth.group": Group.objects.create(name="Accreditation officers"),
    }


MODELS = [
    "hanoi_event.event",
    "delegations.organisation",
    "delegations.delegation",
    "delegations.participant",
    "auth.user",
    "auth.group",
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_admin_page_answers_for_superuser(admin_client, one_of_each, model, page):
    app_label, model_name = model.split(".")
    args = [one_of_each[model].pk] if page == "change" else []

    response = admin_client.get(
        reverse(f"admin:{app_label}_{model_name}_{page}", args=args)
    )

    assert response.status_code == 200


@pytest.mark.parametrize("model", ["delegations.delegation", "delegations.participant"])
def test_history_page_answers_for_superuser(admin_client, one_of_each, model):
    app_label, model_name = model.split(".")

    response = admin_client.get(
        reverse(f"admin:{app_label}_{model_name}_history", args=[one_of_each[model].pk])
    )

    assert response.status_code == 200


def test_event_change_page_shows_quota_inline(admin_client):
    event = EventFactory()
    event.role_quotas.create(role=DelegationRole.SECURITY, max_count=2)

    response = admin_client.get(
        reverse("admin:hanoi_event_event_change", args=[event.pk])
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [(f.instance.role, f.instance.max_count) for f in formset.forms] == [
        (DelegationRole.SECURITY, 2)
    ]
