"""The check-in API (DRF; schema by drf-spectacular at /api/schema/): one
more door into the check-in services, for enrolled devices.

- ``POST enroll/``: a one-time setup code for the device's own token;
- ``GET config/``: the device, its event, gates, categories and keys;
- ``GET keys/``, ``badges/?since=``, ``revocations/?since=``: what offline
  verification needs (no names, no photos: no list of participants);
- ``POST scans/``: one scan; ``POST scans/upload/``: a queue of offline scans
  (idempotent by device and nonce);
- ``GET scans/``, ``scans/<id>/``, ``scans/<id>/photo/``, ``POST
  scans/<id>/confirm/``: the device's own scans only (another device's are
  404).
"""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accreditation.models import BadgeCategory, badge_number_text
from accreditation.selectors import category_facts
from delegations.models import Participant

from . import selectors, services
from .authentication import DeviceTokenAuthentication, IsDevice
from .enums import Reason, Verdict
from .models import Gate, Scan

MAX_UPLOAD = 500
# How long after a scan the device may load the photo it shows.
PHOTO_WINDOW_SECONDS = 15 * 60


class DeviceAPIView(APIView):
    authentication_classes = [DeviceTokenAuthentication]
    permission_classes = [IsDevice]

    @property
    def device(self):
        return self.request.auth


def _messages(exc: DjangoValidationError) -> dict:
    return {"detail": " ".join(exc.messages)}


# ------------------------------------------------------------------ enrolment


class EnrollThrottle(AnonRateThrottle):
    rate = "30/min"


class EnrollIn(serializers.Serializer):
    setup_code = serializers.CharField(max_length=64)


class EnrollView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [EnrollThrottle]

    @extend_schema(
        request=EnrollIn,
        responses=inline_serializer(
            "Enrolled",
            {
                "token": serializers.CharField(),
                "device": serializers.DictField(),
            },
        ),
    )
    def post(self, request):
        data = EnrollIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            device, token = services.device_enroll(
                setup_code=data.validated_data["setup_code"]
            )
        except DjangoValidationError as exc:
            return Response(_messages(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "token": token,
                "device": {
                    "id": device.pk,
                    "name": device.name,
                    "event_id": device.event_id,
                },
            },
            status=status.HTTP_201_CREATED,
        )


# ------------------------------------------------------------------ reference


class ConfigView(DeviceAPIView):
    @extend_schema(
        responses=inline_serializer("Config", {"event": serializers.DictField()})
    )
    def get(self, request):
        event = self.device.event
        gates = Gate.objects.filter(event=event, is_active=True).select_related("zone")
        return Response(
            {
                "device": {"id": self.device.pk, "name": self.device.name},
                "event": {
                    "id": event.pk,
                    "name": event.name,
                    "short_name": event.short_name,
                },
                "gates": [
                    {
                        "id": g.pk,
                        "name": g.name,
                        "direction": g.direction,
                        "zone": {
                            "id": g.zone_id,
                            "name": g.zone.name,
                            "reentry_allowed": g.zone.reentry_allowed,
                            "exit_required": g.zone.exit_required,
                        },
                    }
                    for g in gates
                ],
                "categories": [
                    {
                        "id": c.pk,
                        "name": c.name,
                        "label": c.label,
                        "colour": c.colour,
                        "requires_confirmation": c.requires_confirmation,
                    }
                    for c in BadgeCategory.objects.filter(event=event)
                ],
                "keys": selectors.keys_for_event(event),
                "verdicts": {v.value: str(v.label) for v in Verdict},
                "server_time": timezone.now().isoformat(),
            }
        )


class SinceIn(serializers.Serializer):
    since = serializers.DateTimeField(required=False)


class KeysView(DeviceAPIView):
    @extend_schema(
        responses=inline_serializer("Keys", {"keys": serializers.ListField()})
    )
    def get(self, request):
        return Response({"keys": selectors.keys_for_event(self.device.event)})


class BadgesView(DeviceAPIView):
    @extend_schema(
        parameters=[SinceIn],
        responses=inline_serializer("Badges", {"badges": serializers.ListField()}),
    )
    def get(self, request):
        query = SinceIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        return Response(
            {
                "badges": selectors.badges_changed(
                    self.device.event, query.validated_data.get("since")
                ),
                "server_time": now.isoformat(),
            }
        )


class RevocationsView(DeviceAPIView):
    @extend_schema(
        parameters=[SinceIn],
        responses=inline_serializer(
            "Revocations", {"badge_ids": serializers.ListField()}
        ),
    )
    def get(self, request):
        query = SinceIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        return Response(
            {
                "badge_ids": selectors.revocations_since(
                    self.device.event, query.validated_data.get("since")
                ),
                "server_time": now.isoformat(),
            }
        )


# ------------------------------------------------------------------ scans


class ScanIn(serializers.Serializer):
    gate = serializers.IntegerField()
    # Any text: a QR code's content or a typed number. Long or odd input
    # gets the verdict "unknown", never an error.
    code = serializers.CharField(
        max_length=200_000, allow_blank=True, trim_whitespace=False
    )
    nonce = serializers.CharField(max_length=64, required=False, allow_blank=True)
    scanned_at = serializers.DateTimeField(required=False)
    offline_verdict = serializers.ChoiceField(
        choices=Verdict.choices, required=False, allow_blank=True
    )


# One ScanIn validates every scan of this process: validating keeps nothing
# on the serializer or its fields (DRF copies the declared fields for each
# new serializer, a third of a scan's own time).
_SCAN_IN = ScanIn()


def _category_out(category_id: int) -> dict | None:
    facts = category_facts(category_id)
    if facts is None:
        return None
    return {"name": facts.name, "label": facts.label, "colour": facts.colour}


@functools.cache
def _honorifics(language: str) -> dict[str, str]:
    field = Participant._meta.get_field("honorific")
    return {value: str(label) for value, label in field.flatchoices}


def _honorific(value: str) -> str:
    # get_honorific_display() builds and translates every choice each call.
    return _honorifics(get_language() or "").get(value, value)


def scan_out(scan: Scan) -> dict:
    """A scan as the scanner page shows it."""
    badge = scan.badge
    person = None
    if badge is not None and scan.verdict in (
        Verdict.VALID,
        Verdict.ALREADY_INSIDE,
        Verdict.ZONE_DENIED,
    ):
        participant = badge.participant
        person = {
            "name": participant.full_name,
            "honorific": _honorific(participant.honorific),
            "function_title": participant.function_title,
            "delegation": str(participant.delegation.organisation),
            "photo_url": reverse("checkin_api:scan_photo", args=[scan.pk])
            if participant.photo
            else None,
        }
    return {
        "id": scan.pk,
        "nonce": scan.nonce,
        "verdict": scan.verdict,
        "verdict_label": str(Verdict(scan.verdict).label),
        "reason": scan.reason,
        "reason_label": str(Reason(scan.reason).label) if scan.reason else "",
        "needs_confirmation": scan.needs_confirmation,
        "confirmed": scan.confirmed,
        "gate": scan.gate_id,
        "direction": scan.direction,
        "badge": {
            "id": badge.pk,
            "number": badge_number_text(badge.number),
            "version": badge.version,
            "category": _category_out(badge.category_id),
            "flag_note": badge.flag_note,
        }
        if badge is not None
        else None,
        "person": person,
        "scanned_at": scan.scanned_at.isoformat(),
        "received_at": scan.received_at.isoformat(),
        "offline": scan.offline,
        "offline_verdict": scan.offline_verdict,
        "disputed": scan.disputed,
        "late": scan.late,
    }


def _with_details(scan: Scan) -> Scan:
    return (
        Scan.objects.select_related("badge__participant__delegation__organisation").get(
            pk=scan.pk
        )
        if scan.badge_id
        else scan
    )


class ScansView(DeviceAPIView):
    @extend_schema(
        request=ScanIn,
        responses=inline_serializer("ScanResult", {"id": serializers.IntegerField()}),
    )
    def post(self, request):
        # As ScanIn(data=...).is_valid(raise_exception=True), the same 400
        # answer, without copying the serializer's fields for every scan.
        values = _SCAN_IN.run_validation(request.data)
        gate = selectors.gate_for_scan(self.device.event_id, values["gate"])
        if gate is None:
            return Response(
                {"gate": ["No such gate at this device's event."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        scan, created = services.scan_perform(
            gate=gate,
            code=values["code"],
            device=self.device,
            nonce=values.get("nonce", ""),
            scanned_at=values.get("scanned_at"),
            offline_verdict=values.get("offline_verdict", ""),
        )
        # A new scan holds its badge as settled (person and delegation
        # read with the lock); one sent before is read again.
        return Response(
            scan_out(scan if created else _with_details(scan)),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        responses=inline_serializer("ScanList", {"scans": serializers.ListField()})
    )
    def get(self, request):
        scans = (
            Scan.objects.filter(device=self.device)
            .select_related("badge__participant__delegation__organisation")
            .order_by("-received_at", "-pk")[:100]
        )
        return Response({"scans": [scan_out(scan) for scan in scans]})


class UploadIn(serializers.Serializer):
    scans = ScanIn(many=True, allow_empty=True)

    def validate_scans(self, value):
        if len(value) > MAX_UPLOAD:
            raise serializers.ValidationError(f"At most {MAX_UPLOAD} scans at once.")
        for item in value:
            if not item.get("nonce"):
                raise serializers.ValidationError("Every queued scan needs its nonce.")
        return value


class UploadView(DeviceAPIView):
    @extend_schema(
        request=UploadIn,
        responses=inline_serializer(
            "UploadResult", {"results": serializers.ListField()}
        ),
    )
    def post(self, request):
        data = UploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["scans"]
        gates = {
            g.pk: g
            for g in Gate.objects.select_related("zone").filter(
                event_id=self.device.event_id, pk__in={i["gate"] for i in items}
            )
        }
        unknown = sorted({i["gate"] for i in items} - gates.keys())
        if unknown:
            return Response(
                {"gate": [f"No such gate at this device's event: {unknown}"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        results = services.scan_upload(
            device=self.device,
            scans=[{**item, "gate": gates[item["gate"]]} for item in items],
        )
        return Response(
            {
                "results": [
                    {**scan_out(_with_details(scan)), "created": created}
                    for scan, created in results
                ]
            }
        )


def _own_scan(device, pk: int) -> Scan:
    scan = (
        Scan.objects.select_related(
            "gate", "badge__participant__delegation__organisation", "badge__category"
        )
        .filter(pk=pk, device=device)
        .first()
    )
    if scan is None:
        raise Http404
    return scan


class ScanDetailView(DeviceAPIView):
    @extend_schema(
        operation_id="checkin_scan_retrieve",
        responses=inline_serializer("Scan", {"id": serializers.IntegerField()}),
    )
    def get(self, request, pk: int):
        return Response(scan_out(_own_scan(self.device, pk)))


class ConfirmIn(serializers.Serializer):
    confirmed = serializers.BooleanField()


class ScanConfirmView(DeviceAPIView):
    @extend_schema(
        request=ConfirmIn,
        responses=inline_serializer("Confirmed", {"id": serializers.IntegerField()}),
    )
    def post(self, request, pk: int):
        scan = _own_scan(self.device, pk)
        data = ConfirmIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            scan = services.scan_confirm(
                scan=scan,
                confirmed=data.validated_data["confirmed"],
                device=self.device,
            )
        except DjangoValidationError as exc:
            return Response(_messages(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(scan_out(_own_scan(self.device, scan.pk)))


class ScanPhotoView(DeviceAPIView):
    """The photo of the person just scanned, for this device and for a few
    minutes only: no device can page through everyone's photos."""

    @extend_schema(responses={(200, "image/jpeg"): bytes})
    def get(self, request, pk: int):
        scan = _own_scan(self.device, pk)
        if (
            scan.badge is None
            or not scan.badge.participant.photo
            or (timezone.now() - scan.received_at).total_seconds()
            > PHOTO_WINDOW_SECONDS
        ):
            raise Http404
        response = FileResponse(
            scan.badge.participant.photo.open("rb"), content_type="image/jpeg"
        )
        response["Cache-Control"] = "no-store, private"
        return response
