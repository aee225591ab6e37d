"""TOTP codes for tests that sign staff in with their second factor."""

import time


def current_totp_code(secret: str, *, margin: float = 5.0) -> str:
    """The code of the current 30-second window, as an authenticator app
    shows it. allauth accepts only the current window (MFA_TOTP_TOLERANCE 0),
    so when fewer than ``margin`` seconds remain, wait for the next window:
    a code that expires between this call and the server's check would fail
    the test at random."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
