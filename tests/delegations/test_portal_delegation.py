"""The focal point's delegation page: members, nomination with quotas,
links to members, note verbale, submission, status from members."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from delegations import services
from delegations.enums import (
    DelegationRole,
    DelegationStatus,
    ParticipantStatus,
    ProtocolRank,
)
from delegations.mail import MEMBER_INVITATION
from delegations.models import DelegationRoleQuota, Participant
from hanoi_event.models import OutboundEmail
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    StateFactory,
    VerifiedUserFactory,
)
from tests.pdf_files import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def focal_point():
    return VerifiedUserFactory(email="dao@example.org")


@pytest.fixture
def delegation(focal_point):
    event = EventFactory(is_current=True)
    return DelegationFactory(
        event=event, focal_point=focal_point, status=DelegationStatus.REGISTERING
    )


@pytest.fixture
def fp_client(client, focal_point):
    client.force_login(focal_point)
    return client


def nominate(client, delegation, **overrides):
    data = {
        "given_names": "Mai",
        "family_name": "Tran",
        "email": "mai.tran@example.org",
        "role": DelegationRole.DELEGATE,
        "then": "fill",
        **overrides,
    }
    return client.post(
        reverse("portal:delegation_nominate", args=[delegation.pk]), data
    )


def complete(participant, nationality):
    photo = io.BytesIO()
    Image.new("RGB", (400, 500), (230, 230, 230)).save(photo, format="JPEG")
    return services.participant_update(
        participant=participant,
        data={
            "gender": "female",
            "function_title": "Counsellor",
            "nationality": nationality,
            "date_of_birth": dt.date(1980, 1, 2),
            "passport_number": "C1234567",
            "passport_expiry": dt.date(2030, 1, 1),
            "phone": "+84 24 1234 5678",
        },
        photo=ContentFile(photo.getvalue(), name="p.jpg"),
    )


def test_page_lists_members_with_their_status(fp_client, delegation):
    ParticipantFactory(
        delegation=delegation,
        given_names="An",
        family_name="Nguyen",
        status=ParticipantStatus.NOMINATED,
    )
    response = fp_client.get(reverse("portal:delegation", args=[delegation.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "An NGUYEN" in body
    assert "Nominated" in body


def test_members_list_queries_do_not_grow(
    fp_client, delegation, django_assert_max_num_queries
):
    url = reverse("portal:delegation", args=[delegation.pk])
    ParticipantFactory.create_batch(2, delegation=delegation)
    with django_assert_max_num_queries(12):
        fp_client.get(url)
    ParticipantFactory.create_batch(20, delegation=delegation)
    with django_assert_max_num_queries(12):
        fp_client.get(url)


def test_nominate_and_fill_creates_a_nominated_member(fp_client, delegation):
    response = nominate(fp_client, delegation)
    member = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:participant_edit", args=[member.pk])
    assert (member.email, member.status, member.delegation) == (
        "mai.tran@example.org",
        ParticipantStatus.NOMINATED,
        delegation,
    )


def test_nominate_posted_twice_creates_one_member(fp_client, delegation):
    nominate(fp_client, delegation)
    nominate(fp_client, delegation, email="MAI.TRAN@example.org")
    assert Participant.objects.count() == 1


def test_nominate_and_send_link_queues_the_member_email(
    fp_client, delegation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = nominate(fp_client, delegation, then="send_link")
    assert response["Location"] == reverse("portal:delegation", args=[delegation.pk])
    row = OutboundEmail.objects.get(kind=MEMBER_INVITATION)
    assert row.to_email == "mai.tran@example.org"
    assert "/accounts/signup/?email=mai.tran%40example.org" in row.text_body
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("given_names", "", "This field is required."),
        ("family_name", "", "This field is required."),
        ("role", "emperor", "Select a valid choice."),
    ],
)
def test_nomination_bad_input_shows_the_error_and_saves_nothing(
    fp_client, delegation, field, value, error
):
    response = nominate(fp_client, delegation, **{field: value})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Participant.objects.count() == 0


def test_role_quota_is_enforced_with_a_clear_message(fp_client, delegation):
    DelegationRoleQuota.objects.create(
        event=delegation.event, role=DelegationRole.ADVISER, max_count=1
    )
    nominate(fp_client, delegation, role=DelegationRole.ADVISER)
    response = nominate(
        fp_client, delegation, role=DelegationRole.ADVISER, email="second@example.org"
    )
    assert response.status_code == 400
    assert (
        "The quota for Adviser is 1 per delegation, and this delegation already "
        "has 1." in response.content.decode()
    )
    assert Participant.objects.count() == 1


def test_withdrawn_members_do_not_count_against_the_quota(delegation):
    DelegationRoleQuota.objects.create(
        event=delegation.event, role=DelegationRole.PRESS, max_count=1
    )
    first = services.participant_nominate(
        delegation=delegation,
        email="a@example.org",
        given_names="A",
        family_name="A",
        role=DelegationRole.PRESS,
    )
    services.participant_withdraw(participant=first)
    second = services.participant_nominate(
        delegation=delegation,
        email="b@example.org",
        given_names="B",
        family_name="B",
        role=DelegationRole.PRESS,
    )
    assert second.role == DelegationRole.PRESS


def test_person_of_another_delegation_cannot_be_nominated(fp_client, delegation):
    ParticipantFactory(
        email="taken@example.org",
        event=delegation.event,
        delegation=DelegationFactory(event=delegation.event),
    )
    response = nominate(fp_client, delegation, email="taken@example.org")
    assert response.status_code == 400
    assert (
        "This person is already registered for this event." in response.content.decode()
    )


def test_note_verbale_upload_stores_the_pdf(fp_client, delegation):
    data = pdf_bytes()
    pdf = SimpleUploadedFile("nv.pdf", data, content_type="application/pdf")
    response = fp_client.post(
        reverse("portal:delegation_note_verbale_upload", args=[delegation.pk]),
        {"document": pdf},
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.note_verbale.name.startswith("credentials/")
    assert delegation.note_verbale.read() == data


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("nv.pdf", b"GIF89a....", "This file is not a PDF."),
        ("nv.docx", b"PK\x03\x04", "This file is not a PDF."),
    ],
)
def test_note_verbale_wrong_type_is_refused(
    fp_client, delegation, name, content, error
):
    response = fp_client.post(
        reverse("portal:delegation_note_verbale_upload", args=[delegation.pk]),
        {"document": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    delegation.refresh_from_db()
    assert not delegation.note_verbale


def test_note_verbale_missing_file_is_a_field_error(fp_client, delegation):
    response = fp_client.post(
        reverse("portal:delegation_note_verbale_upload", args=[delegation.pk]), {}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_submit_refuses_an_incomplete_delegation_and_says_why(fp_client, delegation):
    ParticipantFactory(
        delegation=delegation,
        status=ParticipantStatus.NOMINATED,
        given_names="An",
        family_name="Nguyen",
    )
    response = fp_client.post(
        reverse("portal:delegation_submit", args=[delegation.pk]), follow=True
    )
    body = response.content.decode()
    assert "Upload the note verbale or letter of credentials." in body
    assert "An NGUYEN: still missing" in body
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.REGISTERING
    assert delegation.submitted_at is None


def test_submit_complete_delegation_submits_members_and_delegation(
    fp_client, delegation
):
    nationality = StateFactory()
    member = ParticipantFactory(
        delegation=delegation, status=ParticipantStatus.NOMINATED
    )
    complete(member, nationality)
    services.delegation_upload_note_verbale(
        delegation=delegation, document=ContentFile(b"%PDF-1.4\n", name="a.pdf")
    )
    fp_client.post(reverse("portal:delegation_submit", args=[delegation.pk]))
    delegation.refresh_from_db()
    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED
    assert delegation.status == DelegationStatus.SUBMITTED
    assert delegation.submitted_at is not None


def test_delegation_status_follows_members(delegation):
    a = ParticipantFactory(delegation=delegation, status=ParticipantStatus.APPROVED)
    b = ParticipantFactory(delegation=delegation, status=ParticipantStatus.SUBMITTED)
    services.delegation_recompute_status(delegation=delegation)
    assert delegation.status == DelegationStatus.REGISTERING
    Participant.objects.filter(pk=b.pk).update(status=ParticipantStatus.APPROVED)
    services.delegation_recompute_status(delegation=delegation)
    assert delegation.status == DelegationStatus.ACCREDITED
    services.participant_nominate(
        delegation=delegation,
        email="late@example.org",
        given_names="Late",
        family_name="Comer",
        role=DelegationRole.DELEGATE,
    )
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.REGISTERING
    assert a.pk != b.pk


def test_send_link_button_queues_a_member_invitation(
    fp_client, delegation, django_capture_on_commit_callbacks
):
    member = ParticipantFactory(delegation=delegation, email="m@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        fp_client.post(reverse("portal:participant_send_link", args=[member.pk]))
    assert list(OutboundEmail.objects.values_list("kind", "to_email")) == [
        (MEMBER_INVITATION, "m@example.org")
    ]


def test_home_queries_do_not_grow_with_delegations(
    client, focal_point, delegation, django_assert_max_num_queries
):
    client.force_login(focal_point)
    url = reverse("portal:home")
    client.get(url)
    with django_assert_max_num_queries(10):
        client.get(url)
    for _ in range(15):
        DelegationFactory(event=delegation.event, focal_point=focal_point)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("/portal/delegation/") == 16


def test_focal_point_changing_a_role_beyond_the_quota_gets_a_field_error(
    fp_client, delegation
):
    DelegationRoleQuota.objects.create(
        event=delegation.event, role=DelegationRole.SECURITY, max_count=1
    )
    ParticipantFactory(delegation=delegation, role=DelegationRole.SECURITY)
    member = ParticipantFactory(
        delegation=delegation, role=DelegationRole.DELEGATE, given_names="Bao"
    )
    response = fp_client.post(
        reverse("portal:participant_edit", args=[member.pk]),
        {
            "given_names": "Bao",
            "family_name": member.family_name,
            "preferred_language": "en",
            "role": DelegationRole.SECURITY,
            "protocol_rank": "100",
        },
    )
    assert response.status_code == 400
    assert "The quota for Security is 1 per delegation" in response.content.decode()
    member.refresh_from_db()
    assert member.role == DelegationRole.DELEGATE


@pytest.mark.django_db(transaction=True)
def test_role_change_waits_for_a_nomination_in_progress_and_keeps_the_quota():
    """A focal point changing a member's role while a nomination of the same
    role is being saved (two tabs, a double post): the quota still holds."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection, transaction

    event = EventFactory(is_current=True)
    delegation = DelegationFactory(event=event, status=DelegationStatus.REGISTERING)
    DelegationRoleQuota.objects.create(
        event=event, role=DelegationRole.SECURITY, max_count=1
    )
    member = ParticipantFactory(delegation=delegation, role=DelegationRole.DELEGATE)
    nominated = threading.Event()
    release = threading.Event()
    outcome = {}

    def nominate_and_hold():
        try:
            with transaction.atomic():
                services.participant_nominate(
                    delegation=delegation,
                    email="guard@example.org",
                    given_names="Guard",
                    family_name="One",
                    role=DelegationRole.SECURITY,
                )
                nominated.set()
                release.wait(10)
        finally:
            nominated.set()
            connection.close()

    def change_role():
        try:
            services.participant_update(
                participant=member, data={"role": DelegationRole.SECURITY}
            )
            outcome["result"] = "saved"
        except ValidationError as exc:
            outcome["result"] = exc.message_dict
        finally:
            connection.close()

    holder = threading.Thread(target=nominate_and_hold)
    holder.start()
    assert nominated.wait(10)
    changer = threading.Thread(target=change_role)
    changer.start()
    changer.join(1)
    release.set()
    holder.join(10)
    changer.join(10)
    assert outcome["result"] == {
        "role": [
            "The quota for Security is 1 per delegation, and this delegation "
            "already has 1. Choose another role or withdraw a member first."
        ]
    }
    assert (
        Participant.objects.filter(
            delegation=delegation, role=DelegationRole.SECURITY
        ).count()
        == 1
    )


def test_send_link_to_a_withdrawn_member_sends_nothing(
    fp_client, delegation, django_capture_on_commit_callbacks
):
    member = ParticipantFactory(
        delegation=delegation,
        email="gone@example.org",
        status=ParticipantStatus.WITHDRAWN,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = fp_client.post(
            reverse("portal:participant_send_link", args=[member.pk]), follow=True
        )
    assert OutboundEmail.objects.count() == 0
    assert "This registration was withdrawn." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_withdrawal_during_a_delegation_submit_waits_instead_of_deadlocking():
    """delegation_submit locks the delegation, then its members. A member's
    withdrawal at the same moment must take the locks in the same order: it
    waits for the submit, then goes through (the other order deadlocks, and
    PostgreSQL aborts one of the two with an error)."""
    import threading

    from django.db import connection, transaction

    from delegations.models import Delegation

    event = EventFactory(is_current=True)
    delegation = DelegationFactory(
        event=event,
        status=DelegationStatus.REGISTERING,
        focal_point=VerifiedUserFactory(),
    )
    ParticipantFactory(delegation=delegation, status=ParticipantStatus.APPROVED)
    leaving = ParticipantFactory(
        delegation=delegation, status=ParticipantStatus.SUBMITTED
    )
    holding = threading.Event()
    go_on = threading.Event()
    outcome = {}

    def submit_like():
        # delegation_submit's order: the delegation first, then a member.
        try:
            with transaction.atomic():
                Delegation.objects.select_for_update().get(pk=delegation.pk)
                holding.set()
                go_on.wait(10)
                Participant.objects.select_for_update().get(pk=leaving.pk)
            outcome["submit"] = "done"
        except Exception as exc:  # noqa: BLE001 - the deadlock error is the finding
            outcome["submit"] = type(exc).__name__
        finally:
            holding.set()
            connection.close()

    def withdraw():
        try:
            services.participant_withdraw(participant=leaving)
            outcome["withdraw"] = "done"
        except Exception as exc:  # noqa: BLE001
            outcome["withdraw"] = type(exc).__name__
        finally:
            connection.close()

    submitter = threading.Thread(target=submit_like)
    submitter.start()
    assert holding.wait(10)
    withdrawer = threading.Thread(target=withdraw)
    withdrawer.start()
    # Wait (bounded) until the withdrawal is blocked on a lock, then let the
    # submit take the member's lock.
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.05)
    go_on.set()
    submitter.join(20)
    withdrawer.join(20)

    assert outcome == {"submit": "done", "withdraw": "done"}
    leaving.refresh_from_db()
    delegation.refresh_from_db()
    assert leaving.status == ParticipantStatus.WITHDRAWN
    assert delegation.status == DelegationStatus.ACCREDITED


def test_quotas_show_how_many_are_used_and_a_full_role_is_not_the_default(
    fp_client, delegation
):
    DelegationRoleQuota.objects.create(
        event=delegation.event, role=DelegationRole.HEAD, max_count=1
    )
    DelegationRoleQuota.objects.create(
        event=delegation.event, role=DelegationRole.DELEGATE, max_count=2
    )
    nominate(fp_client, delegation, role=DelegationRole.HEAD, email="h@example.org")
    nominate(fp_client, delegation, email="d1@example.org")
    nominate(fp_client, delegation, email="d2@example.org")

    response = fp_client.get(reverse("portal:delegation", args=[delegation.pk]))
    html = response.content.decode()
    assert "Head of Delegation: 1 of 1 used" in html
    assert "Delegate: 2 of 2 used" in html
    form = response.context["nomination_form"]
    assert form["role"].value() == DelegationRole.ALTERNATE
    labels = dict(form.fields["role"].choices)
    assert labels[DelegationRole.HEAD] == "Head of Delegation (quota full: 1 of 1)"
    assert labels[DelegationRole.ADVISER] == "Adviser"


def test_a_new_head_of_delegation_does_not_rank_as_an_official(fp_client, delegation):
    nominate(fp_client, delegation, role=DelegationRole.HEAD)
    head = Participant.objects.get()
    assert head.protocol_rank == ProtocolRank.AMBASSADOR


def test_submitted_delegation_offers_no_submit_until_a_new_member_waits(
    fp_client, delegation
):
    nationality = StateFactory()
    member = ParticipantFactory(
        delegation=delegation, status=ParticipantStatus.NOMINATED
    )
    complete(member, nationality)
    services.delegation_upload_note_verbale(
        delegation=delegation, document=ContentFile(b"%PDF-1.4\n", name="a.pdf")
    )
    services.delegation_submit(delegation=delegation)
    page = reverse("portal:delegation", args=[delegation.pk])

    html = fp_client.get(page).content.decode()
    assert "Submit the delegation" not in html
    assert "Submit the new members" not in html
    assert "Every member is submitted." in html
    # "Submitted on <date, time>": one full stop at most, never "a.m.."
    assert ".." not in html.split('id="submitted-at">')[1].split("</p>")[0]

    nominate(fp_client, delegation, email="late@example.org")
    html = fp_client.get(page).content.decode()
    assert "1 member is not submitted yet." in html
    assert "Submit the new members" in html
