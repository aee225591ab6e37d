"""Lists in and out (django-import-export resources and the import engine):

- ``tabular``: reading CSV and XLSX files; ``columns``: column layouts,
  header matching, template files; ``values``: cell values in (names NFC,
  dates, yes/no, choices) and out (formula cells neutralised);
  ``countries``: States and organisations by code, name or variant;
- ``importer``: the engine every import shares (check every row, report,
  write nothing unless the whole file is good); ``report``: what a check
  found;
- ``participants``, ``directory`` (organisations, delegations): the layouts,
  importers and export resources of this app; ``exporter``: the lists that
  can be exported.

Importing this package registers this app's importers and exporters.
"""

from django.utils.translation import gettext_lazy as _

from ..models import Delegation, Organisation, Participant
from . import directory, participants
from .exporter import Exporter, exporter_for, exporters_for_model, register_exporter
from .importer import (
    ImportContext,
    Importer,
    importer_for,
    importers,
    register_importer,
)

VIEW_PASSPORT = "delegations.view_passport"

register_exporter(
    Exporter(
        kind="participants",
        verbose_name=_("Participants"),
        model=Participant,
        resource=lambda user: participants.ParticipantResource(
            with_restricted=user.has_perm(VIEW_PASSPORT)
        ),
        permissions=("delegations.view_participant",),
        file_stem="participants",
    )
)
register_exporter(
    Exporter(
        kind="security_clearance",
        verbose_name=_("Security clearance list (host country)"),
        model=Participant,
        resource=lambda user: participants.SecurityClearanceResource(),
        permissions=("delegations.view_participant", VIEW_PASSPORT),
        file_stem="security-clearance",
        own_order=True,
    )
)
register_exporter(
    Exporter(
        kind="delegations",
        verbose_name=_("Delegations"),
        model=Delegation,
        resource=lambda user: directory.DelegationResource(),
        permissions=("delegations.view_delegation",),
        file_stem="delegations",
    )
)
register_exporter(
    Exporter(
        kind="organisations",
        verbose_name=_("Organisations"),
        model=Organisation,
        resource=lambda user: directory.OrganisationResource(),
        permissions=("delegations.view_organisation",),
        file_stem="organisations",
    )
)

__all__ = [
    "Exporter",
    "ImportContext",
    "Importer",
    "directory",
    "exporter_for",
    "exporters_for_model",
    "importer_for",
    "importers",
    "participants",
    "register_exporter",
    "register_importer",
]
