"""Writes and workflows of the accreditation app (keyword-only, validated,
one transaction each; mail through the outbox with idempotency keys).

- ``review``: approve, reject, approve many; what changed since the last
  review;
- ``categories``: zones and badge categories, the default category, an
  officer's choice;
- ``keys``: the Ed25519 keys that sign badges (rotate, retire);
- ``badges``: issue (at approval), reprint with a reason, revoke, flag and
  unflag (with a reason, recorded);
- ``photos``: the small photo copies badges are printed with, made in the
  background when a badge is issued;
- ``printing``: badge PDFs, one or a batch in the background.
"""

from .badges import (
    badge_ensure,
    badge_flag,
    badge_qr_text,
    badge_reprint,
    badge_revoke,
    badge_unflag,
    badges_issue_many,
    valid_badge,
)
from .categories import (
    badge_categories_ensure,
    badge_category_choose,
    category_for,
    default_category_code,
)
from .keys import signing_key_active, signing_key_retire, signing_key_rotate
from .photos import badge_photo_copies_make
from .printing import badge_pdf, print_job_run, print_job_start
from .review import (
    accreditation_approve,
    accreditation_approve_many,
    accreditation_reject,
    changed_since_last_review,
    last_decision,
    review_snapshot,
)

__all__ = [
    "accreditation_approve",
    "accreditation_approve_many",
    "accreditation_reject",
    "badge_categories_ensure",
    "badge_category_choose",
    "badge_ensure",
    "badge_flag",
    "badge_pdf",
    "badge_photo_copies_make",
    "badge_qr_text",
    "badge_reprint",
    "badge_revoke",
    "badge_unflag",
    "badges_issue_many",
    "category_for",
    "changed_since_last_review",
    "default_category_code",
    "last_decision",
    "print_job_run",
    "print_job_start",
    "review_snapshot",
    "signing_key_active",
    "signing_key_retire",
    "signing_key_rotate",
    "valid_badge",
]
