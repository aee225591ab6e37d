"""An import and a nomination by hand at the same moment, on PostgreSQL with
two connections: the import holds the delegation's lock from its final
check to its commit, so the nomination waits and then meets the quota."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from delegations import services
from delegations.enums import DelegationRole
from delegations.models import Participant
from delegations.resources.participants import ParticipantImporter
from tests.factories import ParticipantFactory
from tests.imports.conftest import HEADER, csv_bytes, run

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_nomination_during_an_import_waits_and_meets_the_quota(
    delegations, event, monkeypatch
):
    vnm = delegations["VNM"]
    ParticipantFactory(
        delegation=vnm, email="s1@example.org", role=DelegationRole.SECURITY
    )
    writing, release = threading.Event(), threading.Event()
    write = ParticipantImporter.write

    def paused_write(self, *args, **kwargs):
        writing.set()  # the delegations are locked, the file checked
        release.wait(10)
        return write(self, *args, **kwargs)

    monkeypatch.setattr(ParticipantImporter, "write", paused_write)
    outcome = {}

    def nominate():
        writing.wait(10)
        try:
            services.participant_nominate(
                delegation=vnm,
                email="s3@example.org",
                given_names="Late",
                family_name="Guard",
                role=DelegationRole.SECURITY,
            )
            outcome["nomination"] = "created"
        except ValidationError as exc:
            outcome["nomination"] = exc.message_dict["role"][0]
        finally:
            connection.close()

    def release_soon():
        writing.wait(10)
        # The nomination is blocked on the lock now or soon; let the import go.
        threading.Timer(0.5, release.set).start()

    threads = [threading.Thread(target=nominate), threading.Thread(target=release_soon)]
    for thread in threads:
        thread.start()
    report = run(
        event, csv_bytes([HEADER, ["s2@example.org", "VNM", "A", "B", "Security"]])
    )
    for thread in threads:
        thread.join(15)

    assert report.ok
    assert outcome["nomination"].startswith(
        "The quota for Security is 2 per delegation"
    )
    assert sorted(
        Participant.objects.filter(role=DelegationRole.SECURITY).values_list(
            "email", flat=True
        )
    ) == ["s1@example.org", "s2@example.org"]
