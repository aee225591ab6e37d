"""Admin classes that are safe by construction.

Every ModelAdmin of the project derives from ``SafeModelAdmin`` (or
``SafeSimpleHistoryAdmin`` for models with django-simple-history), and every
inline from ``SafeTabularInline`` / ``SafeStackedInline``;
tests/security/test_admin_walk.py fails for one that does not, and walks
every admin page of every registered model as each staff role. What the base
classes guarantee:

- **Hidden fields.** An app declares which fields of its models need a
  permission (``restrict_fields(Participant, [...], permission=
  "delegations.view_passport")``) and which no one may filter or search by
  (``unfilterable_fields(User, ["password"])``). For a user without the
  permission, a restricted field is not in the forms, fieldsets, list
  columns, list filters, search, history diffs or reverts, and no query-string
  lookup may touch it (``lookup_allowed``), also across relations
  (``?delegation__members__passport_number=...`` on any admin).
- **Reverting needs the change permission.** django-simple-history's
  history form view saves with the view permission only (an upstream
  issue); here a POST needs the change permission on the object (the add
  permission to bring back a deleted one), and restricted fields keep their
  current values.
- **Bad URLs are answered, not crashed on.** A malformed id in an object URL
  (``abc/history/``, ``1.5/change/``, ``<pk>/history/abc/``) is a 404; a date
  out of range in a list's query string (``?starts_at__year=99999999999``,
  ``?created_at__year=10000``) is a 400 with a message.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import (
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model
from unfold.admin import ModelAdmin, StackedInline, TabularInline
from unfold.views import ChangeList

# {model label: {field name: permission that unlocks it, or None for "never"}}
_RESTRICTED: dict[str, dict[str, str | None]] = {}
# {model label: field names no lookup may touch, for anyone}
_UNFILTERABLE: dict[str, set[str]] = {}


def _label(model: type[Model]) -> str:
    return model._meta.concrete_model._meta.label_lower


def restrict_fields(
    model: type[Model], fields: Iterable[str], *, permission: str
) -> None:
    """Show ``model``'s ``fields`` in the admin only to users with
    ``permission`` ("app_label.codename"); for the others they are hidden
    everywhere and no lookup may touch them. Registering again is harmless."""
    for name in fields:
        model._meta.get_field(name)  # a typo fails loudly
        _RESTRICTED.setdefault(_label(model), {})[name] = permission


def unfilterable_fields(model: type[Model], fields: Iterable[str]) -> None:
    """No query-string lookup and no search may touch ``model``'s ``fields``,
    for anyone (password hashes, token hashes, message bodies with links)."""
    for name in fields:
        model._meta.get_field(name)
        _UNFILTERABLE.setdefault(_label(model), set()).add(name)


def hidden_fields(model: type[Model], user) -> frozenset[str]:
    """``model``'s restricted fields that ``user`` may not see."""
    restricted = _RESTRICTED.get(_label(model), {})
    return frozenset(
        name
        for name, permission in restricted.items()
        if user is None or not user.has_perm(permission)
    )


def _unlookable_fields(model: type[Model], user) -> frozenset[str]:
    return hidden_fields(model, user) | _UNFILTERABLE.get(_label(model), set())


def lookup_touches_hidden_field(model: type[Model], lookup: str, user) -> bool:
    """Whether the query-string lookup ``lookup`` (``a__b__startswith``), read
    from ``model``, passes through a field ``user`` may not look up."""
    for part in lookup.split(LOOKUP_SEP):
        if part == "pk":
            part = model._meta.pk.name
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            # A transform or lookup name (or a field that does not exist,
            # which the changelist refuses on its own).
            return False
        if field.name in _unlookable_fields(model, user):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


def _search_field_lookup(search_field: str) -> str:
    return search_field.lstrip("^=@")


def _without_hidden(names, hidden: frozenset[str]):
    """``names`` (a fields option: names, or tuples of names shown on one
    line) without the hidden ones."""
    kept = []
    for name in names:
        if isinstance(name, (list, tuple)):
            line = [n for n in name if n not in hidden]
            if line:
                kept.append(tuple(line))
        elif name not in hidden:
            kept.append(name)
    return kept


def _fieldsets_without_hidden(fieldsets, hidden: frozenset[str]):
    if not hidden:
        return fieldsets
    kept = []
    for title, options in fieldsets:
        fields = _without_hidden(options.get("fields", ()), hidden)
        if fields:
            kept.append((title, {**options, "fields": fields}))
    return kept


class BadListParameter(Exception):
    """A changelist's query string asks for something out of range."""


class SafeChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            # The date hierarchy's own arithmetic (year 9999 + 1, a day
            # past 9999-12-31, a year that overflows a C int).
            raise BadListParameter(str(exc)) from exc

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (OverflowError, ValueError) as exc:
            # Date lookups compile their bounds only here
            # (?created_at__year=10000).
            raise BadListParameter(str(exc)) from exc


class _HiddenFieldsMixin:
    """Hides restricted fields in forms and fieldsets (ModelAdmin and inlines)."""

    def hidden_fields(self, request) -> frozenset[str]:
        return hidden_fields(self.model, getattr(request, "user", None))

    def get_fields(self, request, obj=None):
        return _without_hidden(
            super().get_fields(request, obj), self.hidden_fields(request)
        )

    def get_fieldsets(self, request, obj=None):
        return _fieldsets_without_hidden(
            super().get_fieldsets(request, obj), self.hidden_fields(request)
        )

    def get_readonly_fields(self, request, obj=None):
        return _without_hidden(
            super().get_readonly_fields(request, obj), self.hidden_fields(request)
        )


class SafeModelAdmin(_HiddenFieldsMixin, ModelAdmin):
    """unfold's ModelAdmin with the guarantees of this module's docstring."""

    bad_request_template = "admin/bad_request.html"

    # -- hidden fields --------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name in self.hidden_fields(request):
            # A form class declaring the field itself still must not show it.
            form.base_fields.pop(name, None)
        return form

    def get_list_display(self, request):
        hidden = self.hidden_fields(request)
        return [
            name
            for name in super().get_list_display(request)
            if not (isinstance(name, str) and name in hidden)
        ]

    def get_list_filter(self, request):
        user = getattr(request, "user", None)
        kept = []
        for item in super().get_list_filter(request):
            path = item[0] if isinstance(item, (list, tuple)) else item
            if isinstance(path, str) and lookup_touches_hidden_field(
                self.model, path, user
            ):
                continue
            kept.append(item)
        return kept

    def get_search_fields(self, request):
        user = getattr(request, "user", None)
        return [
            name
            for name in super().get_search_fields(request)
            if not lookup_touches_hidden_field(
                self.model, _search_field_lookup(name), user
            )
        ]

    def lookup_allowed(self, lookup, value, request=None):
        user = getattr(request, "user", None)
        if lookup_touches_hidden_field(self.model, lookup, user):
            return False
        return super().lookup_allowed(lookup, value, request)

    # -- autocomplete -------------------------------------------------------

    def limit_choices_for(self, request, field_name: str, queryset):
        """What the autocomplete offers for this admin's foreign key
        ``field_name`` (``queryset``: the matches of the related admin's
        search). All of it here; an admin that refuses some values in its
        form narrows it too."""
        return queryset

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        source = _autocomplete_source(self.admin_site, request)
        if source is not None:
            source_admin, field_name = source
            queryset = source_admin.limit_choices_for(request, field_name, queryset)
        return queryset, may_have_duplicates

    # -- bad ids and bad list parameters --------------------------------------

    def checked_object_id(self, object_id, from_field=None) -> str:
        """``object_id`` from a URL, or Http404 when it cannot be an id."""
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            field.to_python(unquote(object_id))
        except (ValidationError, ValueError, TypeError) as exc:
            raise Http404(_("No such record.")) from exc
        return object_id

    def get_object(self, request, object_id, from_field=None):
        self.checked_object_id(object_id, from_field)
        return super().get_object(request, object_id, from_field)

    def get_changelist(self, request, **kwargs):
        return SafeChangeList

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except BadListParameter as exc:
            return self.bad_list_parameter_response(request, str(exc))

    def bad_list_parameter_response(self, request, detail: str):
        opts = self.opts
        context = {
            **self.admin_site.each_context(request),
            "title": _("This list cannot be shown"),
            "message": _(
                "A filter in the address is out of range (%(detail)s). "
                "Remove it or choose a date from the list."
            )
            % {"detail": detail},
            "list_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist",
                current_app=self.admin_site.name,
            ),
            "opts": opts,
        }
        return TemplateResponse(request, self.bad_request_template, context, status=400)


def _autocomplete_source(site, request) -> tuple[SafeModelAdmin, str] | None:
    """(the admin whose field asks, the field's name) when ``request`` is the
    admin's autocomplete view, else None."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
    except (KeyError, LookupError, ValueError):
        return None
    source_admin = site._registry.get(model)
    if not isinstance(source_admin, SafeModelAdmin):
        return None
    return source_admin, request.GET.get("field_name", "")


class HiddenFieldsHistoryContextHelper(HistoricalRecordContextHelper):
    """A record's history without the changes of fields hidden from the user."""

    def __init__(self, model, historical_record, *, hidden: frozenset[str]):
        super().__init__(model, historical_record)
        self.hidden = hidden

    def context_for_delta_changes(self, delta: ModelDelta) -> list[dict]:
        changes = [c for c in delta.changes if c.field not in self.hidden]
        return super().context_for_delta_changes(
            ModelDelta(
                changes=changes,
                changed_fields=[c.field for c in changes],
                old_record=delta.old_record,
                new_record=delta.new_record,
            )
        )


class SafeSimpleHistoryAdmin(SimpleHistoryAdmin, SafeModelAdmin):
    """SimpleHistoryAdmin on SafeModelAdmin: history diffs without hidden
    fields; a revert (POST to the history form view) needs the change
    permission and never writes a hidden field."""

    _REVERT_ATTR = "_hanoi_event_revert_current"

    def history_view(self, request, object_id, extra_context=None):
        self.checked_object_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.checked_object_id(object_id)
        history_pk = get_history_model_for_model(self.model)._meta.pk
        try:
            history_pk.to_python(unquote(version_id))
        except (ValidationError, ValueError, TypeError) as exc:
            raise Http404(_("No such version.")) from exc
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None:
                # Bringing a deleted record back is adding it, with every
                # field as it was: only for users who may see them all.
                allowed = self.has_add_permission(request) and not (
                    self.hidden_fields(request)
                )
            else:
                allowed = self.has_change_permission(request, current) and (
                    self.has_change_history_permission(request, current)
                )
            if not allowed:
                raise PermissionDenied
            setattr(request, self._REVERT_ATTR, current)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        current = getattr(request, self._REVERT_ATTR, None)
        if current is not None and current.pk == obj.pk:
            # A revert: the version's values, except for the fields the user
            # may not see, which keep their current values.
            for name in self.hidden_fields(request):
                attname = self.opts.get_field(name).attname
                setattr(obj, attname, getattr(current, attname))
        super().save_model(request, obj, form, change)

    def get_historical_record_context_helper(self, request, historical_record):
        hidden = self.hidden_fields(request)
        if not hidden:
            return super().get_historical_record_context_helper(
                request, historical_record
            )
        return HiddenFieldsHistoryContextHelper(
            self.model, historical_record, hidden=hidden
        )


class SafeTabularInline(_HiddenFieldsMixin, TabularInline):
    pass


class SafeStackedInline(_HiddenFieldsMixin, StackedInline):
    pass


def unsafe_model_admins(site: admin.AdminSite | None = None) -> list[str]:
    """Labels of the registered models whose admin is not a SafeModelAdmin."""
    site = site or admin.site
    return sorted(
        model._meta.label
        for model, model_admin in site._registry.items()
        if not isinstance(model_admin, SafeModelAdmin)
    )
