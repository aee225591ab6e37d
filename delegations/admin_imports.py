"""Import and export in the admin, for any ModelAdmin that takes
``TransferAdminMixin`` (participants, delegations, organisations, programme
items), and the admin of the import and export log.

On the changelist, unfold's action buttons "Import" and "Export":

- **Import** (``import/``): the file and the event, the column layout and a
  template to download; the upload goes to
  ``delegations.services.imports.import_upload`` and the page of that import
  (``import/<log id>/``) shows the check: every problem with its row,
  column, value and reason, and what will be created, updated (which
  fields) and left unchanged; "Import" confirms (``import_confirm``). A
  large file is checked and imported by a worker, the page showing the
  progress. Needs the importer's permissions (for participants
  ``add_participant`` and ``change_participant``).
- **Export** (``export/``): the list (participants; the security clearance
  list only with ``delegations.view_passport``) of the records the
  changelist's filters select, as CSV or XLSX. A large one is built by a
  worker, its page then offering the file.

Both pages are admin views: staff two-factor applies as everywhere in the
admin. An import or export page is only for the person who started it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminFileFieldWidget, UnfoldAdminSelectWidget

from hanoi_event.admin_safety import BadListParameter, SafeModelAdmin
from hanoi_event.models import Event
from hanoi_event.selectors import current_event

from .models import TransferLog
from .resources import exporter_for, exporters_for_model, importer_for
from .resources.columns import CONTENT_TYPES, render_rows, template_rows
from .resources.report import ImportReport
from .resources.tabular import file_size_label, max_file_bytes
from .services import exports, imports

FORMAT_CHOICES = [("xlsx", "Excel (.xlsx)"), ("csv", "CSV (UTF-8)")]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (comma or semicolon; UTF-8 or UTF-16) or XLSX."),
        widget=UnfoldAdminFileFieldWidget(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("Event"),
        queryset=Event.objects.none(),
        widget=UnfoldAdminSelectWidget,
    )

    def __init__(self, *args, needs_event: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_event:
            self.fields["event"].queryset = Event.objects.order_by("-start_date")
            event = current_event()
            if event is not None:
                self.fields["event"].initial = event.pk
        else:
            del self.fields["event"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_file_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)s. Split it into several files.")
                % {"limit": file_size_label(max_file_bytes())}
            )
        return upload


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("List"), widget=UnfoldAdminSelectWidget)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=FORMAT_CHOICES,
        widget=UnfoldAdminSelectWidget,
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(e.kind, e.verbose_name) for e in kinds]


def download(data: bytes, *, file_name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def report_context(log: TransferLog) -> dict:
    report = ImportReport.from_json(log.report)
    return {
        "log": log,
        "report": report,
        "Status": TransferLog.Status,
        "progress": imports.import_progress(log),
    }


class TransferAdminMixin:
    """Import and export buttons on a changelist. Set ``import_kind`` (a
    registered importer, or None) and list the mixin first among the
    ModelAdmin's bases."""

    import_kind: str | None = None
    actions_list = ["import_list", "export_list"]
    import_template = "admin/delegations/imports/import_form.html"
    import_log_template = "admin/delegations/imports/import_log.html"
    export_template = "admin/delegations/imports/export_form.html"
    export_log_template = "admin/delegations/imports/export_log.html"

    # Permissions -------------------------------------------------------------

    def has_import_list_permission(self, request) -> bool:
        if not self.import_kind:
            return False
        importer = importer_for(self.import_kind)
        return request.user.is_active and request.user.has_perms(importer.permissions)

    def has_export_list_permission(self, request) -> bool:
        return bool(self._export_kinds(request))

    def _export_kinds(self, request):
        return [e for e in exporters_for_model(self.model) if e.allowed(request.user)]

    # URLs -------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/<int:log_id>/",
                wrap(self.import_log_view),
                name=f"{prefix}_import_log",
            ),
            path(
                "transfer/<int:log_id>/progress/",
                wrap(self.progress_view),
                name=f"{prefix}_transfer_progress",
            ),
            path(
                "export/<int:log_id>/",
                wrap(self.export_log_view),
                name=f"{prefix}_export_log",
            ),
            path(
                "export/<int:log_id>/download/",
                wrap(self.export_download_view),
                name=f"{prefix}_export_download",
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args) -> str:
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # The export button carries the changelist's filters.
        context = getattr(response, "context_data", None) or {}
        query = request.GET.urlencode()
        if query:
            export_path = self._url("export_list")
            for item in context.get("actions_list") or []:
                if isinstance(item, dict) and item.get("path") == export_path:
                    item["path"] = f"{export_path}?{query}"
        return response

    def _context(self, request, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "has_view_permission": self.has_view_permission(request),
            "changelist_url": self._url("changelist"),
            **extra,
        }

    # Import -----------------------------------------------------------------

    @action(
        description=gettext_lazy("Import"),
        url_path="import",
        icon="upload",
        permissions=["import_list"],
    )
    def import_list(self, request):
        importer = importer_for(self.import_kind)
        fmt = request.GET.get("template")
        if fmt in CONTENT_TYPES:
            layout = importer.layout
            data = render_rows(
                template_rows(layout), fmt, title=str(importer.verbose_name)
            )
            return download(data, file_name=f"{importer.kind}-template.{fmt}", fmt=fmt)
        if request.method == "POST":
            form = ImportUploadForm(
                request.POST, request.FILES, needs_event=importer.needs_event
            )
            if form.is_valid():
                upload = form.cleaned_data["file"]
                log = imports.import_upload(
                    kind=importer.kind,
                    data=upload.read(),
                    file_name=upload.name,
                    user=request.user,
                    source=TransferLog.Source.ADMIN,
                    event=form.cleaned_data.get("event"),
                )
                return HttpResponseRedirect(self._url("import_log", log.pk))
        else:
            form = ImportUploadForm(needs_event=importer.needs_event)
        context = self._context(
            request,
            _("Import %(list)s") % {"list": importer.verbose_name},
            form=form,
            importer=importer,
            layout=importer.layout.importable,
            template_url=self._url("import_list"),
            recent=TransferLog.objects.filter(
                user=request.user,
                direction=TransferLog.Direction.IMPORT,
                kind=importer.kind,
            )[:5],
            log_url_name=f"admin:{self.opts.app_label}_{self.opts.model_name}_import_log",
        )
        return TemplateResponse(request, self.import_template, context)

    def _own_log(self, request, log_id: int, direction: str) -> TransferLog:
        log = get_object_or_404(
            TransferLog.objects.select_related("event"),
            pk=log_id,
            direction=direction,
        )
        if log.user_id != request.user.pk:
            raise Http404
        return log

    def import_log_view(self, request, log_id: int):
        if not self.has_import_list_permission(request):
            raise PermissionDenied
        log = self._own_log(request, log_id, TransferLog.Direction.IMPORT)
        if log.kind != self.import_kind:
            raise Http404
        if request.method == "POST":
            if log.status == TransferLog.Status.CHECKED:
                log = imports.import_confirm(log=log)
                if log.status == TransferLog.Status.DONE:
                    messages.success(
                        request,
                        _(
                            "Imported: %(created)s created, %(updated)s updated, "
                            "%(unchanged)s unchanged."
                        )
                        % {
                            "created": log.created_count,
                            "updated": log.updated_count,
                            "unchanged": log.unchanged_count,
                        },
                    )
                elif log.status == TransferLog.Status.FAILED:
                    messages.error(
                        request, _("Nothing was imported: see the problems below.")
                    )
            return HttpResponseRedirect(self._url("import_log", log.pk))
        importer = importer_for(log.kind)
        context = self._context(
            request,
            _("Import %(list)s: %(file)s")
            % {"list": importer.verbose_name, "file": log.file_name},
            progress_url=self._url("transfer_progress", log.pk),
            import_url=self._url("import_list"),
            **report_context(log),
        )
        return TemplateResponse(request, self.import_log_template, context)

    def progress_view(self, request, log_id: int):
        """What the import and export pages poll while a worker runs."""
        log = get_object_or_404(TransferLog, pk=log_id, user=request.user)
        return JsonResponse(imports.import_progress(log))

    # Export -----------------------------------------------------------------

    @action(
        description=gettext_lazy("Export"),
        url_path="export",
        icon="download",
        permissions=["export_list"],
    )
    def export_list(self, request):
        kinds = self._export_kinds(request)
        try:
            changelist = self.get_changelist_instance(request)
            queryset = changelist.get_queryset(request)
        except (IncorrectLookupParameters, BadListParameter):
            return HttpResponseRedirect(self._url("changelist"))
        event = self._filtered_event(request)
        if request.method == "POST":
            form = ExportForm(request.POST, kinds=kinds)
            if form.is_valid():
                kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
                log, data = exports.export_start(
                    kind=kind,
                    queryset=queryset,
                    fmt=fmt,
                    user=request.user,
                    event=event,
                )
                if data is not None:
                    return download(data, file_name=log.file_name, fmt=fmt)
                return HttpResponseRedirect(self._url("export_log", log.pk))
        else:
            form = ExportForm(kinds=kinds)
        filters = [
            (key, value)
            for key, value in request.GET.items()
            if key not in ("p", "o", "_changelist_filters")
        ]
        context = self._context(
            request,
            _("Export %(list)s") % {"list": self.opts.verbose_name_plural},
            form=form,
            count=queryset.count(),
            total=self.get_queryset(request).count(),
            filters=filters,
            action_url=request.get_full_path(),
            changelist_url=self._url("changelist")
            + ("?" + urlencode(request.GET) if request.GET else ""),
            exporters=kinds,
        )
        return TemplateResponse(request, self.export_template, context)

    def _filtered_event(self, request):
        for key in ("event__id__exact", "event"):
            value = request.GET.get(key)
            if value and value.isdigit():
                return Event.objects.filter(pk=value).first()
        return None

    def export_log_view(self, request, log_id: int):
        if not self.has_export_list_permission(request):
            raise PermissionDenied
        log = self._own_log(request, log_id, TransferLog.Direction.EXPORT)
        if exporter_for(log.kind).model is not self.model:
            raise Http404
        context = self._context(
            request,
            _("Export: %(file)s") % {"file": log.file_name},
            log=log,
            Status=TransferLog.Status,
            progress=imports.import_progress(log),
            progress_url=self._url("transfer_progress", log.pk),
            download_url=self._url("export_download", log.pk),
        )
        return TemplateResponse(request, self.export_log_template, context)

    def export_download_view(self, request, log_id: int):
        if not self.has_export_list_permission(request):
            raise PermissionDenied
        log = self._own_log(request, log_id, TransferLog.Direction.EXPORT)
        exporter = exporter_for(log.kind)
        if not exporter.allowed(request.user) or not log.payload:
            raise Http404
        fmt = log.options.get("format", "csv")
        return download(bytes(log.payload), file_name=log.file_name, fmt=fmt)


# The log ------------------------------------------------------------------------


@admin.register(TransferLog)
class TransferLogAdmin(SafeModelAdmin):
    """Every import and export: who, when, which file, what came of it."""

    list_display = [
        "created_at",
        "direction",
        "list_name",
        "file_name",
        "actor",
        "source",
        "status_label",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
    ]
    list_filter = ["direction", "kind", "status", "source"]
    search_fields = ["file_name", "actor"]
    date_hierarchy = "created_at"
    fields = [
        "direction",
        "kind",
        "source",
        "status_label",
        "event",
        "delegation",
        "actor",
        "file_name",
        "file_size",
        "dry_run",
        "total_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "message",
        "report_view",
        "created_at",
        "finished_at",
    ]
    readonly_fields = fields
    list_select_related = ["event"]

    @display(description=gettext_lazy("list"), ordering="kind")
    def list_name(self, obj: TransferLog) -> str:
        try:
            if obj.direction == TransferLog.Direction.IMPORT:
                return str(importer_for(obj.kind).verbose_name).capitalize()
            return str(exporter_for(obj.kind).verbose_name)
        except LookupError:
            return obj.kind

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(
        description=gettext_lazy("status"),
        label={
            TransferLog.Status.DONE.label: "success",
            TransferLog.Status.FAILED.label: "danger",
            TransferLog.Status.RUNNING.label: "info",
            TransferLog.Status.CHECKED.label: "warning",
            TransferLog.Status.EXPIRED.label: "warning",
        },
    )
    def status_label(self, obj: TransferLog) -> str:
        return obj.get_status_display()

    @display(description=gettext_lazy("report"))
    def report_view(self, obj: TransferLog) -> str:
        if obj.direction != TransferLog.Direction.IMPORT or not obj.report:
            return "-"
        from django.template.loader import render_to_string

        # A rendered template: its own escaping applies.
        return mark_safe(  # noqa: S308
            render_to_string(
                "admin/delegations/imports/_report.html",
                {**report_context(obj), "compact": True},
            )
        )
