"""Writes and workflows of the check-in app.

- ``devices``: create with a one-time setup code, enrol, revoke;
- ``scans``: settle a scan (one lock per badge, idempotent per device and
  nonce), the operator's confirmation, a device's queue uploaded.
"""

from .devices import (
    device_create,
    device_enroll,
    device_for_token,
    device_new_setup_code,
    device_revoke,
)
from .scans import scan_confirm, scan_perform, scan_upload

__all__ = [
    "device_create",
    "device_enroll",
    "device_for_token",
    "device_new_setup_code",
    "device_revoke",
    "scan_confirm",
    "scan_perform",
    "scan_upload",
]
