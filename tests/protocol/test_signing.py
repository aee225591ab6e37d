"""Requests to sign, full powers (VCLT art. 7), slots and signatures."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from delegations.enums import DelegationRole, OrganisationKind, ProtocolRank
from protocol import services
from protocol.enums import FullPowersStatus, SigningStatus
from protocol.models import SigningRequest
from tests.factories import (
    DelegationFactory,
    EventFactory,
    OrganisationFactory,
    ParticipantFactory,
    SigningCeremonyFactory,
    StateFactory,
    UserFactory,
)
from tests.protocol.helpers import pdf_upload

pytestmark = pytest.mark.django_db

EXEMPT = {
    ProtocolRank.HEAD_OF_STATE,
    ProtocolRank.HEAD_OF_GOVERNMENT,
    ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS,
}


def state_delegation(event=None):
    return DelegationFactory(event=event or EventFactory(), organisation=StateFactory())


def make_request(
    delegation=None,
    *,
    rank=ProtocolRank.AMBASSADOR,
    name="Jean Dupont",
    title="Permanent Representative",
):
    return services.signing_request_create(
        delegation=delegation or state_delegation(),
        signatory_name=name,
        signatory_title=title,
        signatory_rank=rank,
    )


def cleared_request(delegation=None, **kwargs):
    request = make_request(delegation, **kwargs)
    services.full_powers_upload(request=request, upload=pdf_upload())
    return services.full_powers_decide(
        request=request,
        clear=True,
        decided_by=None,
        name=request.signatory_name,
        title=request.signatory_title,
    )


@pytest.mark.parametrize("rank", list(ProtocolRank))
def test_full_powers_needed_for_every_rank_but_the_three_of_article_7(rank):
    request = make_request(rank=rank)

    if rank in EXEMPT:
        assert request.full_powers_status == FullPowersStatus.NOT_REQUIRED
        assert request.status == SigningStatus.CLEARED
    else:
        assert request.full_powers_status == FullPowersStatus.MISSING
        assert request.status == SigningStatus.AWAITING_FULL_POWERS


def test_exempt_signatory_cannot_upload_full_powers():
    request = make_request(rank=ProtocolRank.HEAD_OF_STATE)
    with pytest.raises(ValidationError):
        services.full_powers_upload(request=request, upload=pdf_upload())


def test_signatory_from_the_delegation_brings_name_title_and_rank():
    delegation = state_delegation()
    member = ParticipantFactory(
        delegation=delegation,
        given_names="Lan",
        family_name="Nguyen",
        function_title="Minister for Foreign Affairs",
        protocol_rank=ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS,
    )
    request = services.signing_request_create(
        delegation=delegation, signatory_participant=member
    )
    assert (
        request.signatory_name,
        request.signatory_title,
        request.signatory_rank,
    ) == (
        "Lan NGUYEN",
        "Minister for Foreign Affairs",
        ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS,
    )
    assert request.status == SigningStatus.CLEARED


def test_signatory_of_another_delegation_is_refused():
    delegation = state_delegation()
    stranger = ParticipantFactory(function_title="Minister")
    with pytest.raises(ValidationError):
        services.signing_request_create(
            delegation=delegation, signatory_participant=stranger
        )
    assert SigningRequest.objects.count() == 0


def test_an_organisation_that_is_not_a_state_cannot_sign():
    delegation = DelegationFactory(
        organisation=OrganisationFactory(kind=OrganisationKind.IGO)
    )
    with pytest.raises(ValidationError):
        make_request(delegation)
    assert SigningRequest.objects.count() == 0


def test_second_open_request_of_a_delegation_is_refused():
    delegation = state_delegation()
    make_request(delegation)
    with pytest.raises(ValidationError):
        make_request(delegation)
    assert SigningRequest.objects.filter(delegation=delegation).count() == 1


def test_upload_that_is_not_a_pdf_is_refused_and_changes_nothing():
    request = make_request()
    bogus = SimpleUploadedFile("x.pdf", b"hello", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.full_powers_upload(request=request, upload=bogus)
    request.refresh_from_db()
    assert request.full_powers_status == FullPowersStatus.MISSING
    assert not request.full_powers


def test_pdf_that_does_not_parse_is_refused():
    request = make_request()
    broken = SimpleUploadedFile(
        "x.pdf", b"%PDF-1.7\n garbage", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        services.full_powers_upload(request=request, upload=broken)
    # delegations.uploads.clean_pdf may refuse it first (it may check the
    # structure itself); either way it is refused with a reason.
    assert error.value.messages in (
        ["This PDF cannot be read; scan or export it again."],
        ["This file is not a PDF."],
    )
    request.refresh_from_db()
    assert request.full_powers_status == FullPowersStatus.MISSING


def test_uploaded_pdf_is_under_review_with_its_page_count():
    request = services.full_powers_upload(
        request=make_request(), upload=pdf_upload(pages=2)
    )
    assert request.full_powers_status == FullPowersStatus.UNDER_REVIEW
    assert request.full_powers_pages == 2
    assert request.status == SigningStatus.AWAITING_FULL_POWERS


def test_clearing_needs_the_name_and_title_of_the_request():
    request = services.full_powers_upload(request=make_request(), upload=pdf_upload())
    with pytest.raises(ValidationError) as error:
        services.full_powers_decide(
            request=request,
            clear=True,
            decided_by=None,
            name="Jean Durand",
            title="Permanent Representative",
        )
    assert set(error.value.message_dict) == {"name"}
    with pytest.raises(ValidationError) as error:
        services.full_powers_decide(
            request=request,
            clear=True,
            decided_by=None,
            name="Jean Dupont",
            title="Ambassador",
        )
    assert set(error.value.message_dict) == {"title"}
    request.refresh_from_db()
    assert request.full_powers_status == FullPowersStatus.UNDER_REVIEW

    officer = UserFactory()
    request = services.full_powers_decide(
        request=request,
        clear=True,
        decided_by=officer,
        name="  JEAN   dupont ",
        title="permanent representative",
    )
    assert request.full_powers_status == FullPowersStatus.CLEARED
    assert request.status == SigningStatus.CLEARED
    assert request.full_powers_decided_by == officer


def test_rejection_needs_a_reason_and_a_new_upload_goes_back_to_review():
    request = services.full_powers_upload(request=make_request(), upload=pdf_upload())
    with pytest.raises(ValidationError):
        services.full_powers_decide(
            request=request, clear=False, decided_by=None, reason=" "
        )
    request = services.full_powers_decide(
        request=request,
        clear=False,
        decided_by=None,
        reason="Not signed by the Head of State.",
    )
    assert request.full_powers_status == FullPowersStatus.REJECTED
    assert request.full_powers_rejection_reason == "Not signed by the Head of State."
    with pytest.raises(ValidationError):
        services.slot_book(request=request)
    request = services.full_powers_upload(request=request, upload=pdf_upload())
    assert request.full_powers_status == FullPowersStatus.UNDER_REVIEW
    assert request.full_powers_rejection_reason == ""


def test_only_cleared_requests_get_a_slot():
    event = EventFactory()
    SigningCeremonyFactory(event=event)
    waiting = make_request(state_delegation(event))
    with pytest.raises(ValidationError):
        services.slot_book(request=waiting, slot=1)
    waiting.refresh_from_db()
    assert waiting.slot is None


def test_slots_first_free_taken_range_swap_and_release():
    event = EventFactory()
    SigningCeremonyFactory(event=event, slot_count=3)
    a = cleared_request(state_delegation(event))
    b = make_request(state_delegation(event), rank=ProtocolRank.HEAD_OF_STATE)
    c = make_request(state_delegation(event), rank=ProtocolRank.HEAD_OF_GOVERNMENT)

    assert services.slot_book(request=a).slot == 1
    assert services.slot_book(request=a).slot == 1  # idempotent
    with pytest.raises(ValidationError):
        services.slot_book(request=b, slot=1)
    with pytest.raises(ValidationError):
        services.slot_book(request=b, slot=4)
    assert services.slot_book(request=b, slot=3).slot == 3
    assert services.slot_book(request=c).slot == 2

    services.slots_swap(first=a, second=b)
    assert dict(SigningRequest.objects.values_list("pk", "slot")) == {
        a.pk: 3,
        b.pk: 1,
        c.pk: 2,
    }
    services.slot_release(request=c)
    c.refresh_from_db()
    assert c.slot is None


def test_no_slot_left_is_a_clear_refusal():
    event = EventFactory()
    SigningCeremonyFactory(event=event, slot_count=1)
    services.slot_book(
        request=make_request(state_delegation(event), rank=ProtocolRank.HEAD_OF_STATE)
    )
    other = make_request(state_delegation(event), rank=ProtocolRank.HEAD_OF_STATE)
    with pytest.raises(ValidationError) as error:
        services.slot_book(request=other)
    assert error.value.messages == ["Every signing slot is booked."]


def test_slot_time_follows_the_ceremony():
    ceremony = SigningCeremonyFactory(slot_minutes=5)
    assert ceremony.slot_starts_at(3) == dt.datetime(2025, 10, 25, 3, 10, tzinfo=dt.UTC)


def test_signature_is_recorded_once_and_only_when_cleared():
    event = EventFactory()
    waiting = make_request(state_delegation(event))
    with pytest.raises(ValidationError):
        services.signature_record(request=waiting, recorded_by=None)
    cleared = make_request(state_delegation(event), rank=ProtocolRank.HEAD_OF_STATE)
    when = dt.datetime(2025, 10, 25, 3, 15, tzinfo=dt.UTC)
    signed = services.signature_record(
        request=cleared, recorded_by=None, signed_at=when
    )
    assert (signed.status, signed.signed_at) == (SigningStatus.SIGNED, when)
    again = services.signature_record(
        request=cleared, recorded_by=None, signed_at=when + dt.timedelta(hours=1)
    )
    assert again.signed_at == when
    with pytest.raises(ValidationError):
        services.signing_request_withdraw(request=cleared)


def test_withdrawal_frees_the_slot_and_allows_a_new_request():
    event = EventFactory()
    SigningCeremonyFactory(event=event)
    delegation = state_delegation(event)
    first = make_request(delegation, rank=ProtocolRank.HEAD_OF_STATE)
    services.slot_book(request=first, slot=5)
    services.signing_request_withdraw(request=first)
    first.refresh_from_db()
    assert (first.status, first.slot) == (SigningStatus.WITHDRAWN, None)
    second = make_request(delegation, rank=ProtocolRank.HEAD_OF_GOVERNMENT)
    assert services.slot_book(request=second, slot=5).slot == 5


def test_head_of_delegation_role_does_not_exempt_from_full_powers():
    delegation = state_delegation()
    head = ParticipantFactory(
        delegation=delegation,
        role=DelegationRole.HEAD,
        protocol_rank=ProtocolRank.MINISTER,
        function_title="Minister of Public Security",
    )
    request = services.signing_request_create(
        delegation=delegation, signatory_participant=head
    )
    assert request.full_powers_status == FullPowersStatus.MISSING
