"""Admin for rooms, the programme, releases, side events (review, slot grid,
placement by hand and by the allocator) and seats (themed by unfold). Every
write goes through ``sessions.services``."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RelatedDropdownFilter
from unfold.decorators import action, display

from delegations.admin_imports import TransferAdminMixin
from delegations.permissions import VIEW_PASSPORT
from hanoi_event.admin_safety import (
    SafeModelAdmin,
    SafeTabularInline,
    restrict_fields,
)
from hanoi_event.formatting import format_datetime
from hanoi_event.participant_categories import event_categories
from hanoi_event.selectors import current_event

from . import services
from .access import category_names, unknown_codes
from .conflicts import local_span, speaker_conflicts
from .enums import ApplicationStatus
from .models import (
    AllocationProposal,
    ProgrammeItem,
    ProgrammeRole,
    Registration,
    Release,
    Room,
    SideEventApplication,
    SideEventSlot,
    SideEventSpeaker,
)
from .services.programme import constraint_error


def _in_event_time(value: dt.datetime, item: ProgrammeItem) -> str:
    """``value`` as a wall-clock time in the item's own event's time zone."""
    local = timezone.localtime(value, item.event.tzinfo)
    return formats.date_format(local, "Y-m-d H:i")


@admin.register(Room)
class RoomAdmin(SafeModelAdmin):
    list_display = ["name", "event", "capacity", "location", "open_to_side_events"]
    list_select_related = ["event"]
    list_filter = [("event", RelatedDropdownFilter), "open_to_side_events"]
    list_filter_submit = True
    search_fields = ["name", "location"]


class ProgrammeRoleFormSet(BaseInlineFormSet):
    """Chairs and speakers: one person in two places at once is refused,
    naming the other item (checked against the item's times as posted)."""

    def clean(self):
        super().clean()
        item = self.instance
        if any(self.errors) or not (item.starts_at and item.ends_at and item.event_id):
            return
        if item.is_cancelled:
            return
        speakers = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            role = form.instance
            speakers.append((role.speaker_key, role.display_name))
        clashes = speaker_conflicts(
            event=item.event,
            speakers=speakers,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            exclude_pk=item.pk,
        )
        if clashes:
            raise ValidationError(clashes)


class ProgrammeRoleInline(SafeTabularInline):
    model = ProgrammeRole
    formset = ProgrammeRoleFormSet
    fields = ["role", "participant", "name", "affiliation", "email", "order"]
    autocomplete_fields = ["participant"]
    extra = 0


class SaveRefused(Exception):
    """A save the database refused after the form was valid (another save
    took the room or a speaker at that moment): everything is rolled back
    and the form is shown again with ``message``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ProgrammeItemForm(forms.ModelForm):
    # What the item was when the form was opened: a save by someone else
    # since then is refused (their changes would otherwise be overwritten).
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set by the admin when the database refused the save: shown as the
    # form's error.
    save_refused = ""

    class Meta:
        model = ProgrammeItem
        fields = [
            "event",
            "kind",
            "title",
            "description",
            "room",
            "starts_at",
            "ends_at",
            "languages",
            "access_categories",
            "registration_required",
            "capacity",
            "is_published",
            "is_cancelled",
        ]
        help_texts = {
            "languages": _('A list of codes, for example ["en", "fr", "vi"].'),
            "access_categories": _(
                'A list of badge category codes, for example ["vip", "party"]; '
                "[] for every participant."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.save_refused:
            raise ValidationError(self.save_refused)
        if self.instance.pk:
            self._check_version(cleaned)
        return cleaned

    def _check_version(self, cleaned) -> None:
        """Refuse a form opened before someone else's save of the item. The
        room (as the service does) and then the item are locked until the
        save commits, so two saves at once are decided one after the other:
        the second sees the first's and is refused here, before anything is
        written."""
        if transaction.get_connection().in_atomic_block:
            room = cleaned.get("room")
            if room is not None:
                Room.objects.select_for_update().filter(pk=room.pk).first()
            query = ProgrammeItem.objects.select_for_update(of=("self",))
        else:
            query = ProgrammeItem.objects.all()
        current = (
            query.filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if current is None:
            raise ValidationError(_("This item was deleted while you were editing it."))
        if self.data.get(self.add_prefix("version"), "") != current.isoformat():
            raise ValidationError(
                _(
                    "Someone else saved this item while you were editing it (at "
                    "%(when)s). Your changes are not saved. Open the item again "
                    "to see what changed, then make your changes again."
                )
                % {
                    "when": format_datetime(
                        current, "short_datetime", tz=self.instance.event.tzinfo
                    )
                }
            )

    def clean_access_categories(self):
        codes = self.cleaned_data["access_categories"]
        event = self.cleaned_data.get("event")
        if codes and event is not None:
            unknown = unknown_codes(event, codes)
            if unknown:
                raise ValidationError(
                    _(
                        "%(unknown)s: not a badge category of this event. Its "
                        "categories are: %(known)s."
                    )
                    % {
                        "unknown": ", ".join(unknown),
                        "known": ", ".join(
                            f"{c.code} ({c.name})" for c in event_categories(event)
                        ),
                    }
                )
        return codes


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(TransferAdminMixin, SafeModelAdmin):
    import_kind = "programme_items"
    form = ProgrammeItemForm
    list_display = [
        "title",
        "kind",
        "room",
        "starts",
        "ends",
        "is_published",
        "is_cancelled",
        "registration_required",
    ]
    list_select_related = ["event", "room"]
    list_filter = [
        ("event", RelatedDropdownFilter),
        ("kind", ChoicesDropdownFilter),
        ("room", RelatedDropdownFilter),
        "is_published",
        "is_cancelled",
        "registration_required",
    ]
    list_filter_submit = True
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["room"]
    inlines = [ProgrammeRoleInline]
    fieldsets = [
        (None, {"fields": ["event", "kind", "title", "description", "version"]}),
        (
            _("Where and when (event time)"),
            {"fields": ["room", "starts_at", "ends_at"]},
        ),
        (
            _("Access and seats"),
            {
                "fields": [
                    "languages",
                    "access_categories",
                    "admitted",
                    "registration_required",
                    "capacity",
                ]
            },
        ),
        (_("Publication"), {"fields": ["is_published", "is_cancelled"]}),
    ]

    readonly_fields = ["admitted"]

    @display(description=_("who may register"))
    def admitted(self, obj: ProgrammeItem) -> str:
        """Staff see the rule registration applies (and so why someone of
        another badge category is refused)."""
        if obj is None or not obj.pk or not obj.access_categories:
            return _("Every participant (no badge category is required).")
        return _(
            "Only participants whose badge category is %(names)s; others are "
            "refused when they register."
        ) % {"names": ", ".join(category_names(obj.event, obj.access_categories))}

    @display(description=_("starts (event time)"), ordering="starts_at")
    def starts(self, obj: ProgrammeItem) -> str:
        return _in_event_time(obj.starts_at, obj)

    @display(description=_("ends (event time)"), ordering="ends_at")
    def ends(self, obj: ProgrammeItem) -> str:
        return _in_event_time(obj.ends_at, obj)

    def save_model(self, request, obj, form, change):
        # Under the room lock, with every rule checked again; the chairs and
        # speakers are checked by the inline formset.
        try:
            services.programme_item_save(item=obj)
        except ValidationError as exc:
            raise SaveRefused(" ".join(exc.messages)) from exc

    def save_related(self, request, form, formsets, change):
        try:
            with transaction.atomic():
                super().save_related(request, form, formsets, change)
        except IntegrityError as exc:
            speakers = [
                (f.instance.speaker_key, f.instance.display_name)
                for formset in formsets
                if isinstance(formset, ProgrammeRoleFormSet)
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            error = constraint_error(exc, form.instance, speakers)
            if error is exc:
                raise
            raise SaveRefused(" ".join(error.messages)) from exc

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "_programme_save_refused", "")
        if refused:
            form = type(form.__name__, (form,), {"save_refused": refused})
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save refused by the database is rolled back whole (the view's
        transaction) and the form shown again with the reason, as typed."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SaveRefused as refused:
            request._programme_save_refused = refused.message
            return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(Release)
class ReleaseAdmin(SafeModelAdmin):
    """Publishing is adding a release: the next number, a snapshot of the
    published items and what changed; registered people are told."""

    list_display = ["__str__", "event", "published_at", "published_by", "summary"]
    list_select_related = ["event", "published_by"]
    list_filter = [("event", RelatedDropdownFilter)]
    fields = ["event", "comment"]
    readonly_fields = ["changes_list"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["event", "comment"]
        return [
            "event",
            "number",
            "published_at",
            "published_by",
            "comment",
            "changes_list",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "event",
            "number",
            "published_at",
            "published_by",
            "comment",
            "changes_list",
        ]

    def get_changeform_initial_data(self, request):
        event = current_event()
        return {"event": event.pk} if event else {}

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("changes"))
    def summary(self, obj: Release) -> str:
        changes = obj.changes or {}
        return _("%(new)s new, %(moved)s moved, %(cancelled)s cancelled") % {
            "new": len(changes.get("new", [])),
            "moved": len(changes.get("moved", [])),
            "cancelled": len(changes.get("cancelled", [])),
        }

    @display(description=_("what changed"))
    def changes_list(self, obj: Release) -> str:
        by_id = {entry["id"]: entry for entry in obj.snapshot}
        before = obj.changes.get("before", {})
        lines = []
        for pk in obj.changes.get("moved", []):
            if pk in by_id:
                lines.append(_("Moved: %(title)s") % {"title": by_id[pk]["title"]})
        for pk in obj.changes.get("cancelled", []):
            if str(pk) in before:
                lines.append(
                    _("Cancelled: %(title)s") % {"title": before[str(pk)]["title"]}
                )
        for pk in obj.changes.get("new", []):
            if pk in by_id:
                lines.append(_("New: %(title)s") % {"title": by_id[pk]["title"]})
        return "\n".join(lines) or _("No change")

    def save_model(self, request, obj, form, change):
        release = services.release_publish(
            event=obj.event, user=request.user, comment=obj.comment
        )
        obj.pk = release.pk
        obj.number = release.number


@admin.register(SideEventSlot)
class SideEventSlotAdmin(SafeModelAdmin):
    list_display = ["__str__", "event", "starts_at", "ends_at"]
    list_select_related = ["event"]
    list_filter = [("event", RelatedDropdownFilter)]
    fields = ["event", "starts_at", "ends_at"]


# A speaker's passport copy is passport data: only with view_passport.
restrict_fields(SideEventSpeaker, ["passport_copy"], permission=VIEW_PASSPORT)


class SideEventSpeakerInline(SafeTabularInline):
    model = SideEventSpeaker
    fields = ["name", "function_title", "organisation", "email", "nationality"]
    readonly_fields = [*fields, "passport", "passport_state"]
    extra = 0
    can_delete = False

    def get_fields(self, request, obj=None):
        # Officers with view_passport open the copy; the others (reviewers)
        # see only whether it is there.
        extra = "passport" if request.user.has_perm(VIEW_PASSPORT) else "passport_state"
        return [*self.fields, extra]

    @display(description=_("passport copy"))
    def passport(self, obj: SideEventSpeaker):
        from django.utils.html import format_html

        if not obj.passport_copy:
            return _("missing")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("agenda:speaker_passport", args=[obj.pk]),
            _("Open the passport copy"),
        )

    @display(description=_("passport copy"))
    def passport_state(self, obj: SideEventSpeaker) -> str:
        return _("on file") if obj.passport_copy else _("missing")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlacementForm(forms.Form):
    slot = forms.ModelChoiceField(
        queryset=SideEventSlot.objects.none(), label=_("Slot")
    )
    room = forms.ModelChoiceField(queryset=Room.objects.none(), label=_("Room"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = SideEventSlot.objects.filter(
            event=event
        ).select_related("event")
        self.fields["room"].queryset = Room.objects.filter(event=event).order_by(
            "-open_to_side_events", "name"
        )
        self.fields["room"].label_from_instance = lambda room: (
            _("%(name)s (%(capacity)s seats)%(closed)s")
            % {
                "name": room.name,
                "capacity": room.capacity,
                "closed": ""
                if room.open_to_side_events
                else _(", not open to side events"),
            }
        )


@admin.register(SideEventApplication)
class SideEventApplicationAdmin(SafeModelAdmin):
    list_display = [
        "title",
        "delegation",
        "format",
        "expected_audience",
        "status",
        "score",
        "placed",
        "passports",
    ]
    list_select_related = ["delegation__organisation", "programme_item__room", "event"]
    list_filter = [
        ("event", RelatedDropdownFilter),
        ("status", ChoicesDropdownFilter),
        "format",
    ]
    list_filter_submit = True
    search_fields = ["title", "organiser", "delegation__organisation__name"]
    inlines = [SideEventSpeakerInline]
    actions = ["propose_allocation"]
    fieldsets = [
        (
            _("Application"),
            {
                "fields": [
                    "event",
                    "delegation",
                    "submitted_by",
                    "title",
                    "abstract",
                    "organiser",
                    "co_sponsors",
                    "format",
                    "preferred_list",
                    "expected_audience",
                ]
            },
        ),
        (_("Review"), {"fields": ["status", "score", "review_comment"]}),
        (_("Placement"), {"fields": ["placement"]}),
    ]
    readonly_fields = [
        "event",
        "delegation",
        "submitted_by",
        "title",
        "abstract",
        "organiser",
        "co_sponsors",
        "format",
        "preferred_list",
        "expected_audience",
        "placement",
    ]

    def has_add_permission(self, request):
        # Applications come from the focal points, through the portal.
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                speaker_count=Count("speakers", distinct=True),
                passport_count=Count(
                    "speakers",
                    filter=~Q(speakers__passport_copy=""),
                    distinct=True,
                ),
            )
        )

    @display(description=_("passport copies"))
    def passports(self, obj: SideEventApplication) -> str:
        return _("%(on_file)s of %(speakers)s") % {
            "on_file": obj.passport_count,
            "speakers": obj.speaker_count,
        }

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("placed"))
    def placed(self, obj: SideEventApplication) -> str:
        item = obj.programme_item
        if item is None:
            return "—"
        return f"{local_span(obj.event, item.starts_at, item.ends_at)}, {item.room}"

    @display(description=_("preferred slots"))
    def preferred_list(self, obj: SideEventApplication) -> str:
        return (
            ", ".join(str(s) for s in obj.preferred_slots.select_related("event"))
            or "—"
        )

    @display(description=_("placement"))
    def placement(self, obj: SideEventApplication):
        from django.utils.html import format_html

        text = self.placed(obj)
        if obj.status != ApplicationStatus.ACCEPTED:
            return text
        url = reverse("admin:event_sessions_sideeventapplication_place", args=[obj.pk])
        return format_html('{} · <a href="{}">{}</a>', text, url, _("Place by hand"))

    def save_model(self, request, obj, form, change):
        try:
            services.application_review(
                application=obj,
                reviewer=request.user,
                status=obj.status,
                comment=obj.review_comment,
                score=obj.score,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/place/",
                self.admin_site.admin_view(self.place_view),
                name="event_sessions_sideeventapplication_place",
            ),
            *super().get_urls(),
        ]

    def place_view(self, request, object_id):
        application = self.get_object(request, object_id)
        if application is None:
            from django.http import Http404

            raise Http404
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        if not request.user.has_perm("event_sessions.add_programmeitem"):
            raise PermissionDenied
        form = PlacementForm(request.POST or None, event=application.event)
        check = None
        if request.method == "POST" and form.is_valid():
            slot, room = form.cleaned_data["slot"], form.cleaned_data["room"]
            check = services.placement_check(
                application=application, slot=slot, room=room
            )
            if "place" in request.POST and not check.errors:
                try:
                    item = services.application_place(
                        application=application, slot=slot, room=room
                    )
                except ValidationError as exc:
                    check = services.side_events.PlacementCheck(exc.messages, [])
                else:
                    messages.success(
                        request,
                        _(
                            "“%(title)s” is placed: %(where)s. Publish a release to show it."
                        )
                        % {
                            "title": item.title,
                            "where": local_span(
                                item.event, item.starts_at, item.ends_at
                            )
                            + f", {room.name}",
                        },
                    )
                    return HttpResponseRedirect(
                        reverse(
                            "admin:event_sessions_sideeventapplication_change",
                            args=[application.pk],
                        )
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Place “%(title)s”") % {"title": application.title},
            "application": application,
            "form": form,
            "check": check,
            "opts": self.opts,
        }
        return TemplateResponse(request, "sessions/admin/place.html", context)

    @action(description=_("Propose an allocation of the accepted side events"))
    def propose_allocation(self, request, queryset):
        if not request.user.has_perm("event_sessions.add_allocationproposal"):
            raise PermissionDenied
        event_ids = set(queryset.values_list("event_id", flat=True))
        if len(event_ids) != 1:
            messages.error(request, _("Select applications of one event."))
            return None
        event = queryset.first().event
        proposal = services.allocation_propose(event=event, user=request.user)
        return HttpResponseRedirect(
            reverse(
                "admin:event_sessions_allocationproposal_change", args=[proposal.pk]
            )
        )


@admin.register(AllocationProposal)
class AllocationProposalAdmin(SafeModelAdmin):
    list_display = [
        "__str__",
        "event",
        "created_by",
        "placed_count",
        "unplaced_count",
        "confirmed_at",
    ]
    list_select_related = ["event", "created_by"]
    list_filter = [("event", RelatedDropdownFilter)]
    change_form_template = "sessions/admin/proposal.html"
    fields = ["event", "created_at", "created_by", "confirmed_at", "confirmed_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("placed"))
    def placed_count(self, obj) -> int:
        return len(obj.placements)

    @display(description=_("not placed"))
    def unplaced_count(self, obj) -> int:
        return len(obj.unplaced)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="event_sessions_allocationproposal_confirm",
            ),
            *super().get_urls(),
        ]

    def confirm_view(self, request, object_id):
        proposal = self.get_object(request, object_id)
        if proposal is None:
            from django.http import Http404

            raise Http404
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse(
                    "admin:event_sessions_allocationproposal_change", args=[proposal.pk]
                )
            )
        if not (
            self.has_change_permission(request, proposal)
            and request.user.has_perm("event_sessions.add_programmeitem")
        ):
            raise PermissionDenied
        proposal = services.allocation_confirm(proposal=proposal, user=request.user)
        failed = proposal.result.get("failed", [])
        messages.success(
            request,
            _("%(n)s side events placed. Publish a release to show them.")
            % {"n": len(proposal.result.get("placed", []))},
        )
        for entry in failed:
            messages.warning(request, f"{entry['title']}: {entry['reason']}")
        return HttpResponseRedirect(
            reverse(
                "admin:event_sessions_allocationproposal_change", args=[proposal.pk]
            )
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {
            "proposal": obj,
            "can_confirm": obj is not None
            and obj.confirmed_at is None
            and self.has_change_permission(request, obj)
            and request.user.has_perm("event_sessions.add_programmeitem"),
            "confirm_url": reverse(
                "admin:event_sessions_allocationproposal_confirm", args=[object_id]
            )
            if obj is not None
            else "",
        }
        return super().change_view(
            request, object_id, form_url, {**extra, **(extra_context or {})}
        )


@admin.register(Registration)
class RegistrationAdmin(SafeModelAdmin):
    list_display = ["participant", "item", "status", "created_at", "promoted_at"]
    list_select_related = ["participant", "item"]
    list_filter = [("status", ChoicesDropdownFilter)]
    search_fields = ["item__title", "participant__family_name", "participant__email"]
    fields = [
        "item",
        "participant",
        "status",
        "created_at",
        "promoted_at",
        "cancelled_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
