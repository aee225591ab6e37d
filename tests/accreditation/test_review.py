"""The review: decisions through delegations.participant_decide, recorded
with who and when, mailed in the participant's language; badges only after
approval."""

import pytest
from django.core.exceptions import ValidationError

from accreditation import services
from accreditation.models import AccreditationDecision, Badge
from delegations.enums import DelegationRole, ParticipantStatus, ProtocolRank
from delegations.services import participant_update
from hanoi_event.models import EmailTemplate, OutboundEmail
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_approve_records_decision_issues_badge_and_mails(submitted, staff):
    row = services.accreditation_approve(participant=submitted, decided_by=staff)

    submitted.refresh_from_db()
    assert submitted.status == ParticipantStatus.APPROVED
    assert row.decided_by == staff and row.decision == "approved"
    assert row.decided_at == submitted.decided_at
    badge = Badge.objects.get(participant=submitted)
    assert (badge.number, badge.version, badge.category.code) == (1, 1, "party")
    assert submitted.history.first().history_user == staff
    mail = OutboundEmail.objects.get(kind="accreditation_approved")
    assert mail.to_email == submitted.email
    assert "00001" in mail.text_body and "Party" in mail.text_body


def test_approve_twice_records_and_mails_once(submitted, staff):
    services.accreditation_approve(participant=submitted, decided_by=staff)
    assert (
        services.accreditation_approve(participant=submitted, decided_by=staff) is None
    )
    assert AccreditationDecision.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="accreditation_approved").count() == 1
    assert Badge.objects.count() == 1


def test_reject_needs_a_reason_and_changes_nothing_without(submitted, staff):
    with pytest.raises(ValidationError):
        services.accreditation_reject(
            participant=submitted, reason="  ", decided_by=staff
        )
    submitted.refresh_from_db()
    assert submitted.status == ParticipantStatus.SUBMITTED
    assert AccreditationDecision.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_reject_mails_the_reason_in_the_participants_language(submitted, staff):
    EmailTemplate.objects.update_or_create(
        kind="accreditation_rejected",
        language="fr",
        defaults={
            "subject": "Accréditation refusée",
            "text_body": "Motif : {{ reason }}",
        },
    )
    services.accreditation_reject(
        participant=submitted, reason="Photo trop sombre.", decided_by=staff
    )
    mail = OutboundEmail.objects.get(kind="accreditation_rejected")
    assert (mail.language, mail.subject) == ("fr", "Accréditation refusée")
    assert mail.text_body == "Motif : Photo trop sombre.\n"
    submitted.refresh_from_db()
    assert submitted.rejection_reason == "Photo trop sombre."


def test_rejecting_an_approved_participant_revokes_the_badge(submitted, staff):
    services.accreditation_approve(participant=submitted, decided_by=staff)
    services.accreditation_reject(
        participant=submitted, reason="Withdrawn by the State.", decided_by=staff
    )
    badge = Badge.objects.get(participant=submitted)
    assert badge.revoked_at is not None
    assert badge.revoked_by == staff


def test_no_decision_on_a_nominated_participant(state_delegation, staff):
    person = ParticipantFactory(
        delegation=state_delegation, status=ParticipantStatus.NOMINATED
    )
    with pytest.raises(ValidationError):
        services.accreditation_approve(participant=person, decided_by=staff)
    assert not Badge.objects.exists()


def test_no_badge_before_approval(submitted, staff):
    with pytest.raises(ValidationError):
        services.badge_ensure(participant=submitted, by=staff)


def test_bulk_approve_skips_what_cannot_be_approved(state_delegation, staff):
    people = ParticipantFactory.create_batch(3, delegation=state_delegation)
    withdrawn = ParticipantFactory(
        delegation=state_delegation, status=ParticipantStatus.WITHDRAWN
    )
    count, problems = services.accreditation_approve_many(
        participants=[*people, withdrawn], decided_by=staff
    )
    assert count == 3
    assert problems == [f"{withdrawn.full_name} is withdrawn: not approved."]
    assert sorted(Badge.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_what_changed_since_the_last_review(submitted, staff):
    assert services.changed_since_last_review(submitted) is None
    services.accreditation_approve(participant=submitted, decided_by=staff)
    submitted.refresh_from_db()
    participant_update(participant=submitted, data={"family_name": "Newname"})
    submitted.refresh_from_db()
    assert submitted.status == ParticipantStatus.SUBMITTED
    assert services.changed_since_last_review(submitted) == ["family_name"]


def test_reapproval_after_a_name_change_reprints_the_badge(submitted, staff):
    services.accreditation_approve(participant=submitted, decided_by=staff)
    submitted.refresh_from_db()
    participant_update(participant=submitted, data={"family_name": "Newname"})
    submitted.refresh_from_db()
    services.accreditation_approve(participant=submitted, decided_by=staff)
    old, new = Badge.objects.order_by("version")
    assert old.revoked_at is not None and new.revoked_at is None
    assert (old.number, new.number, new.version) == (1, 1, 2)


@pytest.mark.parametrize(
    ("role", "rank", "kind_code"),
    [
        (DelegationRole.HEAD, ProtocolRank.HEAD_OF_STATE, "vip"),
        (DelegationRole.SECURITY, ProtocolRank.OFFICIAL, "security"),
        (DelegationRole.PRESS, ProtocolRank.OFFICIAL, "media"),
        (DelegationRole.DELEGATE, ProtocolRank.OFFICIAL, "party"),
    ],
)
def test_default_category_from_role_rank_and_kind(
    state_delegation, role, rank, kind_code
):
    person = ParticipantFactory(
        delegation=state_delegation, role=role, protocol_rank=rank
    )
    assert services.default_category_code(person) == kind_code


def test_officer_changes_the_category_and_the_badge_is_reprinted(submitted, staff):
    services.accreditation_approve(participant=submitted, decided_by=staff)
    categories = services.badge_categories_ensure(event=submitted.event)
    services.badge_category_choose(
        participant=submitted, category=categories["staff"], chosen_by=staff
    )
    assert services.valid_badge(submitted).category.code == "staff"
    assert (
        Badge.objects.filter(participant=submitted, revoked_at__isnull=False).count()
        == 1
    )


def test_reprint_needs_a_reason_and_revokes_the_old_badge(submitted, staff):
    services.accreditation_approve(participant=submitted, decided_by=staff)
    badge = services.valid_badge(submitted)
    with pytest.raises(ValidationError):
        services.badge_reprint(badge=badge, reason="", by=staff)
    new = services.badge_reprint(badge=badge, reason="Lost", by=staff)
    badge.refresh_from_db()
    assert badge.revoked_at is not None and badge.revoke_reason == "Reprinted: Lost"
    assert (new.number, new.version, new.issue_reason) == (badge.number, 2, "Lost")
