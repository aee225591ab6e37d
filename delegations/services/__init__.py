"""Writes and workflows of the delegations app. Every function is
keyword-only, validates with ``full_clean()`` and runs in one transaction.
Mail goes through the event's outbox (hanoi_event.services) with an
idempotency key, so a retried call never sends twice.

- ``invitations``: focal points invited by a one-time link;
- ``members``: nominations, the members' data, submission, withdrawal,
  the note verbale, the delegation's status;
- ``organisations``: organisations that are not States, by registration code;
- ``reminders``: the scheduled reminders about delegations and participants.
"""

from .invitations import (
    DOUBLE_POST_WINDOW,
    InvitationError,
    hash_token,
    invitation_accept,
    invitation_check,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    user_has_verified_email,
)
from .members import (
    UPDATABLE_FIELDS,
    delegation_recompute_status,
    delegation_status_from_members,
    delegation_submit,
    delegation_upload_note_verbale,
    participant_decide,
    participant_missing,
    participant_nominate,
    participant_send_link,
    participant_submit,
    participant_update,
    participant_withdraw,
    participants_claim_for_user,
)
from .organisations import (
    organisation_request_approve,
    organisation_request_create,
    organisation_request_reject,
)
from .reminders import reminders_send_deadline, reminders_send_missing_data

__all__ = [
    "DOUBLE_POST_WINDOW",
    "InvitationError",
    "UPDATABLE_FIELDS",
    "delegation_recompute_status",
    "delegation_status_from_members",
    "delegation_submit",
    "delegation_upload_note_verbale",
    "hash_token",
    "invitation_accept",
    "invitation_check",
    "invitation_resend",
    "invitation_revoke",
    "invitation_send",
    "organisation_request_approve",
    "organisation_request_create",
    "organisation_request_reject",
    "participant_decide",
    "participant_missing",
    "participant_nominate",
    "participant_send_link",
    "participant_submit",
    "participant_update",
    "participant_withdraw",
    "participants_claim_for_user",
    "reminders_send_deadline",
    "reminders_send_missing_data",
    "user_has_verified_email",
]
