"""Writes and workflows of the protocol app. Every function is keyword-only,
validates with ``full_clean()`` and runs in one transaction.

- ``signing``: requests to sign, full powers, slots, signatures;
- ``speaking``: the speaking list and the chair's countdown.
"""

from .signing import (
    full_powers_decide,
    full_powers_upload,
    signature_record,
    signing_ceremony_for,
    signing_request_create,
    signing_request_withdraw,
    slot_book,
    slot_release,
    slots_swap,
)
from .speaking import (
    countdown_pause,
    countdown_reset,
    countdown_start,
    speaker_end,
    speaker_move,
    speaker_next,
    speaking_request_create,
    speaking_request_withdraw,
)

__all__ = [
    "countdown_pause",
    "countdown_reset",
    "countdown_start",
    "full_powers_decide",
    "full_powers_upload",
    "signature_record",
    "signing_ceremony_for",
    "signing_request_create",
    "signing_request_withdraw",
    "slot_book",
    "slot_release",
    "slots_swap",
    "speaker_end",
    "speaker_move",
    "speaker_next",
    "speaking_request_create",
    "speaking_request_withdraw",
]
