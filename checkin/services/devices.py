"""Check-in devices: created by an organizer with a one-time setup code,
enrolled by the device (which then holds its own token), revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hanoi_event.models import Event

from ..models import Device
from ._sql import fetchone, from_row, in_model_order

SETUP_CODE_VALIDITY = dt.timedelta(hours=24)
# How often the "last seen" time is written (not on every scan).
_LAST_SEEN_EVERY = dt.timedelta(minutes=1)
# Setup codes are typed on a phone when the camera is not at hand: 16
# characters without look-alikes (no 0/O, 1/I/L).
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _normal_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _new_setup_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(16))


@transaction.atomic
def device_create(
    *, event: Event, name: str, by: AbstractBaseUser | None
) -> tuple[Device, str]:
    """A device waiting for enrolment, and its one-time setup code (shown
    once to the organizer; only its hash is stored)."""
    code = _new_setup_code()
    device = Device(
        event=event,
        name=(name or "").strip(),
        setup_code_hash=hash_secret(code),
        setup_code_expires_at=timezone.now() + SETUP_CODE_VALIDITY,
        created_by=by,
    )
    device.full_clean()
    device.save()
    return device, code


@transaction.atomic
def device_new_setup_code(*, device: Device) -> str:
    """A new one-time setup code for ``device`` (to enrol it again, on a new
    phone: the old token stops working when the code is used). Refused for
    a revoked device."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is not None:
        raise ValidationError(_("This device is revoked: create a new one."))
    code = _new_setup_code()
    device.setup_code_hash = hash_secret(code)
    device.setup_code_expires_at = timezone.now() + SETUP_CODE_VALIDITY
    device.save(update_fields=["setup_code_hash", "setup_code_expires_at"])
    return code


@transaction.atomic
def device_enroll(*, setup_code: str) -> tuple[Device, str]:
    """Exchange a valid setup code for the device's own token (returned
    once). The code works once; an expired, used or unknown code, or a
    revoked device, is refused with the same message."""
    code = _normal_code(setup_code)
    device = (
        Device.objects.select_for_update()
        .filter(setup_code_hash=hash_secret(code))
        .first()
        if code
        else None
    )
    if (
        device is None
        or device.revoked_at is not None
        or device.setup_code_expires_at is None
        or device.setup_code_expires_at <= timezone.now()
    ):
        raise ValidationError(
            _(
                "This setup code is not valid (used, expired or mistyped). Ask an organizer for a new one."
            )
        )
    token = secrets.token_urlsafe(32)
    device.token_hash = hash_secret(token)
    device.setup_code_hash = ""
    device.setup_code_expires_at = None
    device.enrolled_at = device.last_seen_at = timezone.now()
    device.save()
    return device, token


@transaction.atomic
def device_revoke(*, device: Device) -> Device:
    """Refuse the device's token from now on, and its setup code. Idempotent."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.setup_code_hash = ""
        device.setup_code_expires_at = None
        device.save()
    return device


_DEVICE_COLUMNS = in_model_order(Device, ("id", "event_id", "name", "last_seen_at"))
_device_sql: str | None = None


def _device_by_token_sql() -> str:
    # Written once per process: every request of a device reads it.
    global _device_sql
    if _device_sql is None:
        quote = connection.ops.quote_name
        meta = Device._meta

        def column(name: str) -> str:
            return quote(meta.get_field(name).column)

        _device_sql = (
            f"SELECT {', '.join(column(n) for n in _DEVICE_COLUMNS)} "
            f"FROM {quote(meta.db_table)} WHERE {column('token_hash')} = %s "
            f"AND {column('revoked_at')} IS NULL"
        )
    return _device_sql


def device_for_token(token: str) -> Device | None:
    """The enrolled, not revoked device holding ``token``, else None (read
    on every request: a revoked token is refused at once). Its "last seen"
    time is written at most once a minute."""
    if not token or len(token) > 128:
        return None
    row = fetchone(_device_by_token_sql(), [hash_secret(token)])
    if row is None:
        return None
    device = from_row(Device, _DEVICE_COLUMNS, row)
    now = timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at > _LAST_SEEN_EVERY:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    return device
