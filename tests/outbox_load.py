"""The load that the outbox integration tests and bench/email_fanout.py put
on the servers: invitations queued through the outbox. Needs Django set up;
no pytest here."""

from __future__ import annotations


def queue_invitations(n: int, *, event, key_prefix: str) -> list[int]:
    """Queue ``n`` invitation emails (rendered from the template, one outbox
    row each) in one transaction; their delivery is enqueued on commit.
    Returns the rows' primary keys, in order."""
    from django.db import transaction

    from hanoi_event.enums import EmailKind
    from hanoi_event.services import email_queue

    with transaction.atomic():
        rows = [
            email_queue(
                to=f"focal.point{i}@example.org",
                kind=EmailKind.INVITATION,
                context={
                    "recipient_name": f"Ms. Focal POINT {i}",
                    "organisation_name": f"Republic of Example {i}",
                    "invitation_url": f"https://event.example.org/invitations/{i:06d}/",
                    "expires_on": "8 October 2025",
                },
                idempotency_key=f"{key_prefix}:{i}",
                event=event,
            )
            for i in range(n)
        ]
    return [row.pk for row in rows]
