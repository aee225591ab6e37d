"""The focal point's member list upload (portal): the same check, report
and rules as the admin import, scoped to their delegation.

- ``delegation/<id>/import/``: the form, the column layout and a template
  (without the Delegation column: the file is the delegation's);
- ``delegation/<id>/import/<log id>/``: the check (every problem; who is
  added, who is updated and how) and "Import"; the progress while a worker
  checks or imports a large file.

Only the delegation's focal point gets these pages (anyone else: 404), and
a check only its uploader. Every row must be a member of this delegation;
the role quotas and the portal's rules apply as if each member had been
nominated by hand (``delegations.resources.participants``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import selectors
from .forms import PortalFormMixin
from .models import Delegation, TransferLog
from .resources import ImportContext, importer_for
from .resources.columns import CONTENT_TYPES, render_rows, template_rows
from .resources.report import ImportReport
from .resources.tabular import file_size_label, max_file_bytes
from .services import imports

KIND = "participants"


class MemberListForm(PortalFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Member list (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Excel (.xlsx) or CSV (comma or semicolon, UTF-8). One row per member; "
            "the first row names the columns."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_file_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)s. Split it into several files.")
                % {"limit": file_size_label(max_file_bytes())}
            )
        return upload


def _own_delegation(request, pk: int) -> Delegation:
    return get_object_or_404(selectors.portal_delegations_for_user(request.user), pk=pk)


def _own_log(request, delegation: Delegation, log_id: int) -> TransferLog:
    log = get_object_or_404(
        TransferLog,
        pk=log_id,
        delegation=delegation,
        direction=TransferLog.Direction.IMPORT,
        kind=KIND,
    )
    if log.user_id != request.user.pk:
        raise Http404
    return log


def _layout(delegation: Delegation):
    importer = importer_for(KIND)
    context = ImportContext(event=delegation.event, delegation=delegation)
    # The delegation is implied: the template and the table leave it out.
    return importer.layout_for(context).without("delegation")


@never_cache
@login_required
def member_import(request, pk: int):
    delegation = _own_delegation(request, pk)
    layout = _layout(delegation)
    fmt = request.GET.get("template")
    if fmt in CONTENT_TYPES:
        data = render_rows(template_rows(layout), fmt, title="Members")
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = (
            f'attachment; filename="members-template.{fmt}"'
        )
        return response
    status = 200
    if request.method == "POST":
        form = MemberListForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            log = imports.import_upload(
                kind=KIND,
                data=upload.read(),
                file_name=upload.name,
                user=request.user,
                source=TransferLog.Source.PORTAL,
                event=delegation.event,
                delegation=delegation,
            )
            return redirect("portal:delegation_import_log", delegation.pk, log.pk)
        status = 400
    else:
        form = MemberListForm()
    quotas = delegation.event.role_quotas.all()
    return render(
        request,
        "portal/imports/upload.html",
        {
            "delegation": delegation,
            "form": form,
            "layout": layout.importable,
            "quotas": quotas,
        },
        status=status,
    )


@never_cache
@login_required
def member_import_log(request, pk: int, log_id: int):
    delegation = _own_delegation(request, pk)
    log = _own_log(request, delegation, log_id)
    if request.method == "POST":
        if log.status == TransferLog.Status.CHECKED:
            log = imports.import_confirm(log=log)
            if log.status == TransferLog.Status.DONE:
                messages.success(
                    request,
                    _(
                        "Imported: %(created)s added, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % {
                        "created": log.created_count,
                        "updated": log.updated_count,
                        "unchanged": log.unchanged_count,
                    },
                )
                return redirect("portal:delegation", delegation.pk)
        return redirect("portal:delegation_import_log", delegation.pk, log.pk)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(imports.import_progress(log))
    return render(
        request,
        "portal/imports/report.html",
        {
            "delegation": delegation,
            "log": log,
            "report": ImportReport.from_json(log.report),
            "progress": imports.import_progress(log),
            "Status": TransferLog.Status,
        },
    )
