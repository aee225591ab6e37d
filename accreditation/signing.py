"""The badge's QR payload: a compact binary record signed with Ed25519, as
pretix signs ticket secrets (``pretix/base/secrets.py``), written in the QR
code as base64url.

Layout (big-endian), then the 64-byte signature over those bytes::

    B  format version (1)
    I  key id            (which key signed it; several stay valid)
    I  event id
    I  badge id          (this printing of the badge)
    I  badge number      (what people read and type)
    H  badge version     (1, then 2 after a reprint, ...)
    I  category id
    B  zone count n
    nI zone ids

The scanner page decodes the same layout (static/checkin/payload.js) and
verifies the signature with @noble/ed25519 against the public keys it
fetched, so a badge can be checked without a network and without any list of
participants on the device.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.conf import settings

FORMAT_VERSION = 1
_HEAD = struct.Struct(">BIIIIHIB")
SIGNATURE_LENGTH = 64
# The longest text a QR code of ours can hold (a badge with 64 zones).
MAX_TEXT_LENGTH = 512


@dataclass(frozen=True)
class BadgePayload:
    key_id: int
    event_id: int
    badge_id: int
    number: int
    version: int
    category_id: int
    zone_ids: tuple[int, ...]


class PayloadError(Exception):
    """The text is not a badge we can trust. ``code``: ``malformed`` (not
    our format), ``unknown_key`` (no such key), ``bad_signature`` (tampered
    with or forged), ``retired_key`` (signed with a key no longer valid)."""

    def __init__(self, code: str, payload: BadgePayload | None = None):
        super().__init__(code)
        self.code = code
        self.payload = payload


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def payload_pack(payload: BadgePayload) -> bytes:
    return _HEAD.pack(
        FORMAT_VERSION,
        payload.key_id,
        payload.event_id,
        payload.badge_id,
        payload.number,
        payload.version,
        payload.category_id,
        len(payload.zone_ids),
    ) + struct.pack(f">{len(payload.zone_ids)}I", *payload.zone_ids)


def payload_unpack(data: bytes) -> BadgePayload:
    """The payload in ``data`` (without the signature); PayloadError
    ``malformed`` when it is not one."""
    if len(data) < _HEAD.size:
        raise PayloadError("malformed")
    fmt, key_id, event_id, badge_id, number, version, category_id, count = (
        _HEAD.unpack_from(data)
    )
    if fmt != FORMAT_VERSION or len(data) != _HEAD.size + 4 * count:
        raise PayloadError("malformed")
    zones = struct.unpack_from(f">{count}I", data, _HEAD.size)
    return BadgePayload(key_id, event_id, badge_id, number, version, category_id, zones)


def sign(payload: BadgePayload, private_key: Ed25519PrivateKey) -> str:
    """The QR text: base64url of payload and signature."""
    data = payload_pack(payload)
    return b64url(data + private_key.sign(data))


def split(text: str) -> tuple[BadgePayload, bytes, bytes]:
    """(payload, signed bytes, signature) of a QR text; PayloadError
    ``malformed`` for anything else (any length, any characters)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise PayloadError("malformed")
    try:
        raw = b64url_decode(text.strip())
    except (binascii.Error, ValueError) as exc:
        raise PayloadError("malformed") from exc
    if len(raw) <= SIGNATURE_LENGTH:
        raise PayloadError("malformed")
    data, signature = raw[:-SIGNATURE_LENGTH], raw[-SIGNATURE_LENGTH:]
    return payload_unpack(data), data, signature


# ---------------------------------------------------------------- keys


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_text(private_key: Ed25519PrivateKey) -> str:
    return b64url(private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def _fernet() -> Fernet:
    # Private keys are stored encrypted with a key derived from SECRET_KEY:
    # a database dump alone cannot sign badges.
    digest = hashlib.sha256(b"accreditation.signing:" + settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


def private_key_encrypt(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return _fernet().encrypt(raw).decode("ascii")


def private_key_decrypt(token: str) -> Ed25519PrivateKey:
    try:
        raw = _fernet().decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise RuntimeError(
            "The badge signing key cannot be read: was DJANGO_SECRET_KEY changed? "
            "Rotate the key (a new key signs new badges)."
        ) from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


# Public keys by key id, read from the database and kept for a few seconds
# per process (every scan needs one; keys change rarely). Retiring a key
# clears this process's copy at once; other processes see it within the TTL.
_PUBLIC_TTL_SECONDS = 10.0
_public_keys: dict[int, tuple[float, int, Ed25519PublicKey, bool]] = {}


def public_keys_forget() -> None:
    _public_keys.clear()


def _public_key(key_id: int) -> tuple[int, Ed25519PublicKey, bool] | None:
    cached = _public_keys.get(key_id)
    if cached is not None and time.monotonic() - cached[0] < _PUBLIC_TTL_SECONDS:
        return cached[1:]
    from .models import SigningKey

    row = (
        SigningKey.objects.filter(key_id=key_id)
        .values_list("event_id", "public_key", "retired_at")
        .first()
    )
    if row is None:
        _public_keys.pop(key_id, None)
        return None
    event_id, public, retired_at = row
    key = Ed25519PublicKey.from_public_bytes(b64url_decode(public))
    entry = (time.monotonic(), event_id, key, retired_at is not None)
    if len(_public_keys) > 1024:
        _public_keys.clear()
    _public_keys[key_id] = entry
    return entry[1:]


def verify(text: str) -> tuple[BadgePayload, int]:
    """The verified payload of a QR text and the id of the event its key
    belongs to. PayloadError otherwise (see its codes); ``retired_key``
    carries the payload, whose signature is good."""
    payload, data, signature = split(text)
    found = _public_key(payload.key_id)
    if found is None:
        raise PayloadError("unknown_key")
    key_event_id, key, retired = found
    try:
        key.verify(signature, data)
    except InvalidSignature as exc:
        raise PayloadError("bad_signature") from exc
    if retired:
        raise PayloadError("retired_key", payload)
    return payload, key_event_id
