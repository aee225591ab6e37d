"""The organizers' dashboard: every figure equals a count made directly on
the data, links to its filtered list, and the query count does not grow
from a small event to 200 delegations and 3,000 participants."""

import datetime as dt

import pytest
from django.urls import reverse

from delegations.enums import (
    DelegationStatus,
    ParticipantStatus,
    ProtocolRank,
    RegionalGroup,
)
from delegations.models import Delegation, Organisation, Participant
from hanoi_event.dashboard import dashboard_figures
from protocol import services
from protocol.enums import FullPowersStatus, SigningStatus
from protocol.models import SigningRequest
from reports.dashboard import dashboard_groups
from tests.factories import (
    DelegationFactory,
    EventFactory,
    StateFactory,
    UserFactory,
)
from tests.protocol.helpers import pdf_upload

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in ParticipantStatus]
REGIONS = [r.value for r in RegionalGroup]


def populate(event, delegations: int, participants: int, prefix: str):
    """``delegations`` State delegations across the regional groups and
    statuses, with ``participants`` members in bulk."""
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{prefix} Organisation {n}",
            kind="igo",
            regional_group=REGIONS[n % len(REGIONS)],
        )
        for n in range(delegations)
    )
    created = Delegation.objects.bulk_create(
        Delegation(
            event=event,
            organisation=organisation,
            status=list(DelegationStatus)[n % len(DelegationStatus)],
            submitted_at=event_time() if n % 3 == 0 else None,
        )
        for n, organisation in enumerate(organisations)
    )
    Participant.objects.bulk_create(
        Participant(
            event=event,
            delegation=created[n % len(created)],
            email=f"{prefix}{n}@example.org",
            given_names="G",
            family_name=f"F{n}",
            status=STATUSES[n % len(STATUSES)],
        )
        for n in range(participants)
    )


def event_time():
    return dt.datetime(2025, 10, 1, 3, 0, tzinfo=dt.UTC)


def by_key(event):
    return {f.key: f for f in dashboard_figures(event)}


def test_every_figure_equals_a_direct_count():
    event = EventFactory(is_current=True)
    other = EventFactory()
    populate(event, 12, 90, "a")
    populate(other, 3, 10, "b")
    dao = UserFactory()
    Delegation.objects.filter(
        pk__in=Delegation.objects.filter(event=event).values("pk")[:4]
    ).update(focal_point=dao)
    state = DelegationFactory(
        event=event, organisation=StateFactory(regional_group="african")
    )
    signed = services.signing_request_create(
        delegation=state,
        signatory_name="A",
        signatory_title="President",
        signatory_rank=ProtocolRank.HEAD_OF_STATE,
    )
    services.signature_record(request=signed, recorded_by=None)
    cleared = services.signing_request_create(
        delegation=DelegationFactory(event=event, organisation=StateFactory()),
        signatory_name="B",
        signatory_title="Ambassador",
        signatory_rank=ProtocolRank.AMBASSADOR,
    )
    services.full_powers_upload(request=cleared, upload=pdf_upload())
    services.full_powers_decide(
        request=cleared, clear=True, decided_by=None, name="B", title="Ambassador"
    )

    figures = by_key(event)
    mine = Delegation.objects.filter(event=event)
    assert (
        figures["delegations.invited"].value
        == mine.exclude(status="not_invited").count()
    )
    assert (
        figures["delegations.accepted"].value
        == mine.filter(focal_point__isnull=False).count()
        == 4
    )
    assert (
        figures["delegations.submitted"].value
        == mine.filter(submitted_at__isnull=False).count()
    )
    assert (
        figures["delegations.accredited"].value
        == mine.filter(status="accredited").count()
    )
    people = Participant.objects.filter(event=event)
    for status in STATUSES:
        assert (
            figures[f"participants.status.{status}"].value
            == people.filter(status=status).count()
        )
    for region in REGIONS:
        assert (
            figures[f"participants.region.{region}"].value
            == people.filter(delegation__organisation__regional_group=region)
            .exclude(status="withdrawn")
            .count()
        )
    chart = figures["participants.registrations_per_day"]
    assert chart.value == people.count() == 90
    assert sum(chart.chart["datasets"][0]["data"]) == 90
    requests = SigningRequest.objects.filter(event=event)
    assert (
        figures["protocol.signatures"].value
        == requests.filter(status=SigningStatus.SIGNED).count()
        == 1
    )
    assert (
        figures["protocol.full_powers_cleared"].value
        == requests.filter(full_powers_status=FullPowersStatus.CLEARED).count()
        == 1
    )


def test_each_figure_link_opens_a_list_with_that_count(admin_client):
    event = EventFactory(is_current=True)
    populate(event, 10, 40, "c")
    for figure in dashboard_figures(event):
        response = admin_client.get(figure.url)
        assert response.status_code == 200, figure.key
        if figure.key.startswith(
            (
                "delegations.",
                "participants.status",
                "participants.region",
                "protocol.signatures",
            )
        ):
            assert response.context["cl"].result_count == figure.value, figure.key


def test_admin_index_shows_the_dashboard(admin_client):
    event = EventFactory(is_current=True)
    populate(event, 5, 20, "d")
    page = admin_client.get(reverse("admin:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="dashboard"' in html
    assert 'data-figure="participants.registrations_per_day"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    groups, charts = dashboard_groups(event)
    assert [g["title"] for g in groups][:3] == [
        "Delegations",
        "Participants by status",
        "Participants by UN regional group (not withdrawn)",
    ]
    assert len(charts) == 1


def test_dashboard_query_count_is_the_same_small_and_at_full_size(
    admin_client, django_assert_max_num_queries
):
    small = EventFactory(is_current=True)
    populate(small, 5, 30, "s")
    with django_assert_max_num_queries(40) as few:
        admin_client.get(reverse("admin:index"))
    small.is_current = False
    small.save()
    large = EventFactory(is_current=True)
    populate(large, 200, 3000, "l")
    with django_assert_max_num_queries(40) as many:
        admin_client.get(reverse("admin:index"))
    assert len(many.captured_queries) == len(few.captured_queries)
    figures = by_key(large)
    assert figures["participants.registrations_per_day"].value == 3000
