"""The event's badge signing keys: one active key signs new badges; rotating
adds a new active key and keeps the old ones valid; retiring a key makes the
badges it signed invalid (they must be reprinted)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hanoi_event.models import Event

from .. import signing
from ..models import SigningKey


def _new_key_id() -> int:
    while True:
        key_id = secrets.randbelow(2**31 - 1) + 1
        if not SigningKey.objects.filter(key_id=key_id).exists():
            return key_id


def _create(event: Event) -> SigningKey:
    private = signing.new_private_key()
    key = SigningKey(
        event=event,
        key_id=_new_key_id(),
        public_key=signing.public_key_text(private),
        private_key_encrypted=signing.private_key_encrypt(private),
        is_active=True,
    )
    key.full_clean(validate_constraints=False)
    key.save()
    return key


@transaction.atomic
def signing_key_active(*, event: Event) -> SigningKey:
    """The key that signs the event's new badges, created at first use."""
    key = SigningKey.objects.filter(event=event, is_active=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _create(event)
    except IntegrityError:
        # Another request created it first.
        return SigningKey.objects.get(event=event, is_active=True)


@transaction.atomic
def signing_key_rotate(*, event: Event) -> SigningKey:
    """A new active key for ``event``; the previous one stays valid for the
    badges it signed. Returns the new key."""
    SigningKey.objects.select_for_update().filter(event=event, is_active=True).update(
        is_active=False
    )
    return _create(event)


@transaction.atomic
def signing_key_retire(*, key: SigningKey) -> SigningKey:
    """Stop accepting the badges ``key`` signed (online and, after their next
    key fetch, on the devices). The active key cannot be retired: rotate
    first. Idempotent."""
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    if key.is_active:
        raise ValidationError(
            _("This key signs new badges: rotate to a new key before retiring it.")
        )
    if key.retired_at is None:
        key.retired_at = timezone.now()
        key.save(update_fields=["retired_at"])
    transaction.on_commit(signing.public_keys_forget)
    signing.public_keys_forget()
    return key


_private_cache: dict[int, object] = {}


def private_key(key: SigningKey):
    """The decrypted private key (kept per process: decrypting per badge
    would cost more than signing)."""
    cached = _private_cache.get(key.pk)
    if cached is None:
        cached = _private_cache[key.pk] = signing.private_key_decrypt(
            key.private_key_encrypted
        )
    return cached
