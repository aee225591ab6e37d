"""Organisations and delegations in and out.

- Organisations: found by ISO alpha-3 (then alpha-2) when the row has one,
  else by name (any case, with or without accents); new ones created,
  others updated. The reference data command does the same from the UN
  list; this is for the organisations that list does not hold.
- Delegations: one row per organisation (a State by ISO code, UN name or a
  common variant; another organisation by name or acronym) that sends a
  delegation to the event: created if it has none yet. The other columns
  of the delegations export are ignored, so an export imports back
  unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from ..enums import DelegationStatus, OrganisationKind, RegionalGroup
from ..models import Delegation, Organisation
from ..selectors import delegations_with_summary, head_of_delegation
from .bulk import create_with_history
from .columns import Column, Layout, Row, Table
from .countries import OrganisationIndex
from .importer import ImportContext, Importer, Plan, RowProblems, register_importer
from .report import CREATE, UNCHANGED, UPDATE, Change, ImportReport, Problem
from .values import CellError, Choices, clean_limited_text, fold, is_blank

ORGANISATION_LAYOUT = Layout(
    (
        Column(
            "name",
            "Name",
            ("Organisation", "Organization", "Organisation name", "Country"),
            required=True,
            help=gettext_lazy("Required. For a State, the UN name."),
            example="International Criminal Police Organization",
        ),
        Column(
            "kind",
            "Kind",
            ("Type", "Category", "Organisation kind"),
            required_new=True,
            help=gettext_lazy(
                "UN Member State, Observer State, UN entity, Intergovernmental "
                "organisation (IGO), Non-governmental organisation (NGO), Private "
                "sector, Academia or Media. Required for a new organisation."
            ),
            example="IGO",
        ),
        Column(
            "iso2",
            "ISO alpha-2",
            ("ISO2", "ISO 3166 alpha-2", "Alpha-2", "Alpha 2 code"),
            help=gettext_lazy("States only; two letters."),
        ),
        Column(
            "iso3",
            "ISO alpha-3",
            ("ISO3", "ISO 3166 alpha-3", "Alpha-3", "Alpha 3 code", "ISO code"),
            help=gettext_lazy("States only; three letters. Finds the State."),
        ),
        Column(
            "regional_group",
            "UN regional group",
            ("Regional group", "Region", "Group"),
            help=gettext_lazy("States only: African, Asia-Pacific, EEG, GRULAC, WEOG."),
        ),
        Column(
            "acronym", "Acronym", ("Abbreviation", "Short name"), example="INTERPOL"
        ),
        Column(
            "website",
            "Website",
            ("Web site", "URL", "Web"),
            example="https://www.interpol.int",
        ),
    )
)

KIND_CHOICES = Choices(
    OrganisationKind.choices,
    {
        "Member State": OrganisationKind.MEMBER_STATE,
        "State": OrganisationKind.MEMBER_STATE,
        "Observer": OrganisationKind.OBSERVER_STATE,
        "UN": OrganisationKind.UN_ENTITY,
        "United Nations": OrganisationKind.UN_ENTITY,
        "IGO": OrganisationKind.IGO,
        "International organisation": OrganisationKind.IGO,
        "NGO": OrganisationKind.NGO,
        "Civil society": OrganisationKind.NGO,
        "Private": OrganisationKind.PRIVATE_SECTOR,
        "Company": OrganisationKind.PRIVATE_SECTOR,
        "Industry": OrganisationKind.PRIVATE_SECTOR,
        "Academic": OrganisationKind.ACADEMIA,
        "University": OrganisationKind.ACADEMIA,
        "Press": OrganisationKind.MEDIA,
    },
)
GROUP_CHOICES = Choices(
    RegionalGroup.choices,
    {
        "African": RegionalGroup.AFRICAN,
        "Africa": RegionalGroup.AFRICAN,
        "Asia-Pacific": RegionalGroup.ASIA_PACIFIC,
        "APG": RegionalGroup.ASIA_PACIFIC,
        "Eastern European": RegionalGroup.EASTERN_EUROPEAN,
        "EEG": RegionalGroup.EASTERN_EUROPEAN,
        "GRULAC": RegionalGroup.GRULAC,
        "Latin America and Caribbean": RegionalGroup.GRULAC,
        "WEOG": RegionalGroup.WEOG,
        "Western European and Others": RegionalGroup.WEOG,
    },
)
_ORG_LENGTHS = {
    f.name: f.max_length
    for f in Organisation._meta.concrete_fields
    if getattr(f, "max_length", None)
}
_CODE = {"iso2": re.compile(r"^[A-Z]{2}$"), "iso3": re.compile(r"^[A-Z]{3}$")}
_ORG_FIELDS = ("name", "kind", "iso2", "iso3", "regional_group", "acronym", "website")


@dataclass
class _OrgState:
    by_code: dict[str, Organisation]
    by_name: dict[str, Organisation]


class OrganisationImporter(Importer):
    kind = "organisations"
    verbose_name = gettext_lazy("organisations")
    layout = ORGANISATION_LAYOUT
    needs_event = False
    permissions = ("delegations.add_organisation", "delegations.change_organisation")

    def prepare(self, context: ImportContext, table: Table) -> _OrgState:
        by_code, by_name = {}, {}
        for org in Organisation.objects.all():
            for code in (org.iso3, org.iso2):
                if code:
                    by_code[code] = org
            by_name[fold(org.name)] = org
        return _OrgState(by_code=by_code, by_name=by_name)

    def _value(self, key: str, raw):
        if key == "kind":
            return KIND_CHOICES.clean(raw)
        if key == "regional_group":
            return GROUP_CHOICES.clean(raw)
        text = clean_limited_text(raw, _ORG_LENGTHS.get(key))
        if key in _CODE:
            text = text.upper()
            if not _CODE[key].match(text):
                raise CellError(
                    _("Write %(n)s capital letters.")
                    % {"n": 2 if key == "iso2" else 3},
                    code="invalid_code",
                )
        if key == "website":
            if "://" not in text:
                text = "https://" + text
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError as exc:
                raise CellError(_("Not a web address."), code="invalid_url") from exc
        return text

    def check_row(self, st: _OrgState, row: Row, problems: RowProblems):
        values = {}
        for key, raw in row.cells.items():
            if is_blank(raw):
                continue
            try:
                values[key] = self._value(key, raw)
            except CellError as exc:
                problems.cell_error(key, exc)
        if "name" not in values and "name" not in problems.keys:
            problems.add("name", _("Required."), "required", value="")
        if problems.count:
            return None
        existing = None
        for code in (values.get("iso3"), values.get("iso2")):
            if code and code in st.by_code:
                existing = st.by_code[code]
                break
        if existing is None:
            existing = st.by_name.get(fold(values["name"]))
        if existing is None:
            if "kind" not in values:
                problems.add("kind", _("Required for a new organisation."), "required")
                return None
            org = Organisation(**values)
            return self._cleaned(org, row, CREATE, list(values), [], problems)
        changed = [k for k, v in values.items() if getattr(existing, k) != v]
        if not changed:
            return Plan(
                row=row.number, action=UNCHANGED, obj=existing, label=existing.name
            )
        changes = [
            Change(
                field=self.layout.header(k),
                old=self._shown(k, getattr(existing, k)),
                new=self._shown(k, values[k]),
            )
            for k in changed
        ]
        for key in changed:
            setattr(existing, key, values[key])
        return self._cleaned(existing, row, UPDATE, changed, changes, problems)

    def _cleaned(self, org, row, action, changed, changes, problems):
        try:
            org.clean()
        except ValidationError as exc:
            problems.validation_error(exc, fallback_key="name")
            return None
        if action == CREATE:
            changes = [
                Change(
                    field=self.layout.header(k),
                    old="",
                    new=self._shown(k, getattr(org, k)),
                )
                for k in changed
            ]
        return Plan(
            row=row.number,
            action=action,
            obj=org,
            label=org.name,
            fields=changed,
            changes=changes,
        )

    @staticmethod
    def _shown(key, value) -> str:
        if key == "kind":
            return KIND_CHOICES.label(value)
        if key == "regional_group":
            return GROUP_CHOICES.label(value) if value else ""
        return value or ""

    def check_all(self, st, plans, report: ImportReport, table: Table) -> None:
        # Two rows for one organisation, or two organisations with one name
        # or code (in the file, or one in the file and one already stored).
        seen: dict[tuple[str, str], int] = {}
        stored = {}
        for org in {
            id(o): o for o in (*st.by_code.values(), *st.by_name.values())
        }.values():
            for key in (
                ("name", fold(org.name)),
                ("iso2", org.iso2),
                ("iso3", org.iso3),
            ):
                if key[1]:
                    stored[key] = org
        for plan in plans:
            org = plan.obj
            for field_name, value in (
                ("name", fold(org.name)),
                ("iso2", org.iso2),
                ("iso3", org.iso3),
            ):
                if not value:
                    continue
                key = (field_name, value)
                other = stored.get(key)
                if key in seen:
                    message = _("The same %(column)s as row %(row)s.") % {
                        "column": self.layout.header(field_name),
                        "row": seen[key],
                    }
                elif other is not None and other is not org and other.pk != org.pk:
                    message = _("%(name)s already has this %(column)s.") % {
                        "name": other.name,
                        "column": self.layout.header(field_name),
                    }
                else:
                    seen[key] = plan.row
                    continue
                report.add(
                    Problem(
                        row=plan.row,
                        column=table.ref(field_name),
                        value=getattr(org, field_name) or "",
                        message=message,
                        code="duplicate",
                    )
                )

    def write(self, st, plans: list[Plan], context: ImportContext) -> None:
        creates = [p.obj for p in plans if p.action == CREATE]
        updates = [p.obj for p in plans if p.action == UPDATE]
        if creates:
            Organisation.objects.bulk_create(creates, batch_size=1000)
        if updates:
            Organisation.objects.bulk_update(updates, _ORG_FIELDS, batch_size=500)


class DelegationImporter(Importer):
    kind = "delegations"
    verbose_name = gettext_lazy("delegations")
    permissions = ("delegations.add_delegation",)

    layout = Layout(
        (
            Column(
                "organisation",
                "Delegation",
                (
                    "Country",
                    "Country or organisation",
                    "Organisation",
                    "Organization",
                    "Member State",
                    "State",
                ),
                required=True,
                help=gettext_lazy(
                    "Required. A State by ISO code, UN name or common variant; "
                    "another organisation by name or acronym (it must exist: "
                    "import organisations first)."
                ),
                example="Viet Nam",
            ),
            # The export's other columns; ignored by the import.
            Column("iso3", "ISO alpha-3", importable=False),
            Column("kind", "Kind", importable=False),
            Column("regional_group", "UN regional group", importable=False),
            Column("status", "Status", importable=False),
            Column("focal_point", "Focal point", importable=False),
            Column("members", "Members", importable=False),
            Column("head", "Head of Delegation", importable=False),
            Column("submitted_at", "Submitted", importable=False),
        )
    )

    def prepare(self, context: ImportContext, table: Table):
        return {
            "orgs": OrganisationIndex.load(),
            "existing": set(
                Delegation.objects.filter(event=context.event).values_list(
                    "organisation_id", flat=True
                )
            ),
            "event": context.event,
        }

    def check_row(self, st, row: Row, problems: RowProblems):
        raw = row.cells.get("organisation")
        if is_blank(raw):
            problems.add("organisation", _("Required."), "required", value="")
            return None
        match = st["orgs"].find(raw)
        if match.organisation_id is None:
            problems.add(
                "organisation",
                _(
                    "This could be more than one country or organisation: write "
                    "the ISO code or the full UN name."
                )
                if match.ambiguous
                else _(
                    "Unknown country or organisation: write the ISO code (VNM or "
                    "VN), the UN name (Viet Nam) or the organisation's name (import "
                    "a new organisation first)."
                ),
                "ambiguous_country" if match.ambiguous else "unknown_country",
            )
            return None
        pk = match.organisation_id
        name = st["orgs"].name(pk)
        if pk in st["existing"]:
            return Plan(row=row.number, action=UNCHANGED, obj=pk, label=name)
        delegation = Delegation(
            event=st["event"], organisation_id=pk, status=DelegationStatus.NOT_INVITED
        )
        return Plan(
            row=row.number,
            action=CREATE,
            obj=delegation,
            label=name,
            changes=[Change(field="Delegation", old="", new=name)],
        )

    def check_all(self, st, plans, report: ImportReport, table: Table) -> None:
        seen: dict[int, int] = {}
        for plan in plans:
            pk = plan.obj if plan.action == UNCHANGED else plan.obj.organisation_id
            if pk in seen:
                report.add(
                    Problem(
                        row=plan.row,
                        column=table.ref("organisation"),
                        value=plan.label,
                        message=_("The same delegation as row %(row)s.")
                        % {"row": seen[pk]},
                        code="duplicate",
                    )
                )
            else:
                seen[pk] = plan.row

    def lock(self, context: ImportContext) -> None:
        list(
            Delegation.objects.select_for_update()
            .filter(event=context.event)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def write(self, st, plans: list[Plan], context: ImportContext) -> None:
        creates = [p.obj for p in plans if p.action == CREATE]
        if creates:
            create_with_history(
                Delegation, creates, user=context.user, reason=context.change_reason
            )


ORGANISATION_IMPORTER = register_importer(OrganisationImporter())
DELEGATION_IMPORTER = register_importer(DelegationImporter())


# Exports -----------------------------------------------------------------------


class OrganisationResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="Name")
    kind = fields.Field(column_name="Kind")
    iso2 = fields.Field(column_name="ISO alpha-2")
    iso3 = fields.Field(column_name="ISO alpha-3")
    regional_group = fields.Field(column_name="UN regional group")
    acronym = fields.Field(attribute="acronym", column_name="Acronym")
    website = fields.Field(attribute="website", column_name="Website")

    class Meta:
        model = Organisation
        fields = _ORG_FIELDS
        export_order = _ORG_FIELDS

    @staticmethod
    def queryset(queryset):
        return queryset

    def dehydrate_kind(self, org):
        return org.get_kind_display()

    def dehydrate_iso2(self, org):
        return org.iso2 or ""

    def dehydrate_iso3(self, org):
        return org.iso3 or ""

    def dehydrate_regional_group(self, org):
        return org.get_regional_group_display() if org.regional_group else ""


class DelegationResource(resources.ModelResource):
    organisation = fields.Field(column_name="Delegation")
    iso3 = fields.Field(column_name="ISO alpha-3")
    kind = fields.Field(column_name="Kind")
    regional_group = fields.Field(column_name="UN regional group")
    status = fields.Field(column_name="Status")
    focal_point = fields.Field(column_name="Focal point")
    members = fields.Field(column_name="Members")
    head = fields.Field(column_name="Head of Delegation")
    submitted_at = fields.Field(column_name="Submitted")

    class Meta:
        model = Delegation
        fields = (
            "organisation",
            "iso3",
            "kind",
            "regional_group",
            "status",
            "focal_point",
            "members",
            "head",
            "submitted_at",
        )
        export_order = fields

    @staticmethod
    def queryset(queryset):
        # Two queries for any number of rows (delegations_with_summary; the
        # admin's changelist has it already).
        if "member_count" in queryset.query.annotations:
            return queryset
        return delegations_with_summary(queryset=queryset)

    def dehydrate_organisation(self, d):
        return d.organisation.name

    def dehydrate_iso3(self, d):
        return d.organisation.iso3 or ""

    def dehydrate_kind(self, d):
        return d.organisation.get_kind_display()

    def dehydrate_regional_group(self, d):
        org = d.organisation
        return org.get_regional_group_display() if org.regional_group else ""

    def dehydrate_status(self, d):
        return d.get_status_display()

    def dehydrate_focal_point(self, d):
        return d.focal_point.email if d.focal_point_id else ""

    def dehydrate_members(self, d):
        return d.member_count

    def dehydrate_head(self, d):
        head = head_of_delegation(d)
        return head.full_name if head else ""

    def dehydrate_submitted_at(self, d):
        if not d.submitted_at:
            return ""
        from django.utils import timezone

        return timezone.localtime(d.submitted_at, d.event.tzinfo).strftime(
            "%Y-%m-%d %H:%M"
        )
