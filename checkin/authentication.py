"""Device tokens for the check-in API: ``Authorization: Device <token>``.
A revoked device's token is refused at once (looked up on every request by
its SHA-256 hash; the token itself is never stored)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from .models import Device
from .services import device_for_token


class DeviceUser:
    """What ``request.user`` is for a device: authenticated, not staff, no
    permissions beyond the device's own endpoints."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    is_active = True

    def __init__(self, device: Device):
        self.device = device
        self.pk = None

    def __str__(self) -> str:
        return f"device {self.device.pk}"

    def has_perm(self, perm, obj=None) -> bool:
        return False


class DeviceTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Device"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send 'Device <token>'."))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        device = device_for_token(token)
        if device is None:
            raise exceptions.AuthenticationFailed(
                _("This device is not enrolled or was revoked.")
            )
        return DeviceUser(device), device

    def authenticate_header(self, request) -> str:
        return self.keyword


class IsDevice(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, Device)


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """The device token in the OpenAPI schema (drf-spectacular): an API key in
    the Authorization header, ``Device <token>``."""

    target_class = DeviceTokenAuthentication
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Device <token> (from enrolment with a setup code)",
        }
