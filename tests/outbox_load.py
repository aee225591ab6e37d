"""The load that the outbox integration tests and bench/email_fanout.py put
on the servers: invitations queued through the outbox. Needs Django set up;
no pytest here."""

from __future__ import annotations


def queue_invitations(n: int, *, event, key_prefix: str) -> list[int]:
    """Queue ``n`` invitation emails (rendered from the template, one outbox
    row each, written in bulk) in one transaction; their delivery is
    enqueued on commit. Returns the rows' primary keys, in order."""
    from django.db import transaction

    from delegations.mail import INVITATION
    from hanoi_event.services import Message, email_queue_many

    messages = [
        Message(
            to=f"focal.point{i}@example.org",
            context={
                "recipient_name": f"Ms. Focal POINT {i}",
                "organisation_name": f"Republic of Example {i}",
                "invitation_url": f"https://event.example.org/invitations/{i:06d}/",
                "expires_on": "8 October 2025",
            },
            idempotency_key=f"{key_prefix}:{i}",
        )
        for i in range(n)
    ]
    with transaction.atomic():
        rows = email_queue_many(kind=INVITATION, messages=messages, event=event)
    return [row.pk for row in rows]
