"""Participants in and out: the column layout, the import (one row per
person, found by email within the event) and the export resources
(participants; the security clearance list for the host country).

An import follows the rules of the portal and of ``participant_nominate``
and ``participant_update``: the same email at the same event is the same
person (updated, never duplicated; in another delegation, refused); role
quotas and the one Head of Delegation hold across the file; a withdrawn
registration is not changed; a change to a reviewed field of an approved
record sends it back for review. An empty cell leaves the field as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from allauth.account.models import EmailAddress
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from simple_history.utils import bulk_update_with_history

from ..enums import (
    DelegationRole,
    Gender,
    Honorific,
    ParticipantStatus,
    PreferredLanguage,
    ProtocolRank,
)
from ..fields import (
    DELEGATION_ROLE_FIELDS,
    PROFILE_FIELDS,
    RESTRICTED_FIELDS,
    REVIEWED_FIELDS,
)
from ..models import Delegation, DelegationRoleQuota, Participant
from .bulk import create_with_history
from .columns import Column, Layout, Row, Table
from .countries import OrganisationIndex
from .importer import ImportContext, Importer, Plan, RowProblems, register_importer
from .report import CREATE, HIDDEN, UNCHANGED, UPDATE, Change, ImportReport, Problem
from .values import (
    CellError,
    Choices,
    clean_bool,
    clean_date,
    clean_datetime,
    clean_email,
    clean_limited_text,
    is_blank,
)

# The columns, in the order of the template and the export. Headers are the
# file format (English, whatever the page's language); the synonyms are what
# missions write instead.
PARTICIPANT_LAYOUT = Layout(
    (
        Column(
            "email",
            "Email",
            ("E-mail", "Email address", "E-mail address", "Mail", "Courriel"),
            required=True,
            help=gettext_lazy(
                "Required. Finds the person: an email already registered for "
                "the event updates that record."
            ),
            example="an.nguyen@example.org",
        ),
        Column(
            "delegation",
            "Delegation",
            (
                "Country",
                "Country or organisation",
                "Country/Organisation",
                "Organisation",
                "Organization",
                "Member State",
                "State",
                "Delegation name",
            ),
            required=True,
            help=gettext_lazy(
                "Required. ISO code (VNM or VN), UN name (Viet Nam) or a common "
                "variant (Vietnam); for other organisations, the name or acronym. "
                "The delegation must exist at the event."
            ),
            example="Viet Nam",
        ),
        Column(
            "given_names",
            "Given names",
            (
                "Given name",
                "First name",
                "First names",
                "Forename",
                "Forenames",
                "Other names",
                "Prénom",
                "Prénoms",
                "Nombre",
                "Nombres",
            ),
            required_new=True,
            help=gettext_lazy("As in the passport. Required for a new person."),
            example="Văn An",
        ),
        Column(
            "family_name",
            "Family name",
            (
                "Surname",
                "Last name",
                "Family names",
                "Nom",
                "Nom de famille",
                "Apellido",
                "Apellidos",
            ),
            required_new=True,
            help=gettext_lazy("As in the passport. Required for a new person."),
            example="Nguyễn",
        ),
        Column(
            "honorific",
            "Honorific",
            ("Title", "Salutation", "Courtesy title", "Civilité"),
            help=gettext_lazy("H.E. Mr., H.E. Ms., Mr., Ms., Mx., Dr., Prof., ..."),
            example="H.E. Mr.",
        ),
        Column(
            "gender",
            "Gender",
            ("Sex",),
            help=gettext_lazy("Female, Male, Other or Prefer not to say (F or M)."),
            example="Male",
        ),
        Column(
            "function_title",
            "Function / title",
            ("Function", "Position", "Job title", "Designation", "Post", "Fonction"),
            example="Deputy Minister",
        ),
        Column(
            "role",
            "Role",
            ("Role in the delegation", "Role in delegation", "Delegation role"),
            help=gettext_lazy(
                "Head of Delegation, Alternate, Adviser, Delegate, Security or "
                "Press; Delegate when empty for a new person."
            ),
            example="Head of Delegation",
        ),
        Column(
            "protocol_rank",
            "Protocol rank",
            ("Rank", "Precedence"),
            help=gettext_lazy("Head of State, Minister, Ambassador, Official, ..."),
            example="Vice-Minister",
        ),
        Column(
            "is_spouse_of_dignitary",
            "Spouse of dignitary",
            ("Spouse",),
            help=gettext_lazy("Yes or no."),
            example="no",
        ),
        Column(
            "nationality",
            "Nationality",
            ("Citizenship", "Nationalité", "Nacionalidad"),
            help=gettext_lazy("A State: ISO code, UN name or common variant."),
            example="VNM",
        ),
        Column(
            "date_of_birth",
            "Date of birth",
            ("DOB", "Birth date", "Birthdate", "Date de naissance"),
            help=gettext_lazy("YYYY-MM-DD or DD/MM/YYYY (day first)."),
            example="1970-05-17",
        ),
        Column(
            "passport_number",
            "Passport number",
            (
                "Passport no",
                "Passport No.",
                "Passport",
                "Passport #",
                "Passport num",
                "No. passport",
            ),
            example="C1234567",
        ),
        Column(
            "passport_expiry",
            "Passport expiry",
            (
                "Passport expiry date",
                "Passport expiration",
                "Passport expiration date",
                "Passport valid until",
                "Date of expiry",
                "Expiry date",
                "Expiration date",
            ),
            help=gettext_lazy("After the last day of the event."),
            example="2030-01-31",
        ),
        Column(
            "phone",
            "Phone",
            (
                "Telephone",
                "Tel",
                "Mobile",
                "Mobile phone",
                "Phone number",
                "Cell phone",
                "Téléphone",
            ),
            example="+84 24 3799 2682",
        ),
        Column(
            "arrival_at",
            "Arrival",
            ("Arrival date", "Arrival date and time", "Arrival time"),
            help=gettext_lazy(
                "YYYY-MM-DD HH:MM in the event's time zone (a date alone is midnight)."
            ),
            example="2025-10-24 14:30",
        ),
        Column(
            "departure_at",
            "Departure",
            ("Departure date", "Departure date and time", "Departure time"),
            help=gettext_lazy("As the arrival; not before it."),
            example="2025-10-27 09:00",
        ),
        Column(
            "hotel", "Hotel", ("Accommodation", "Hotel name"), example="Hanoi Hotel"
        ),
        Column(
            "needs_visa_letter",
            "Visa support letter",
            ("Visa letter", "Visa", "Needs visa letter", "Visa support"),
            help=gettext_lazy("Yes or no."),
            example="no",
        ),
        Column(
            "dietary_needs",
            "Dietary needs",
            ("Dietary requirements", "Diet", "Food"),
            example="Vegetarian",
        ),
        Column(
            "accessibility_needs",
            "Accessibility needs",
            ("Accessibility", "Special needs", "Accessibility requirements"),
        ),
        Column(
            "preferred_language",
            "Preferred language",
            ("Language",),
            help=gettext_lazy(
                "English, French, Spanish, Russian, Chinese, Arabic or Vietnamese."
            ),
            example="English",
        ),
        Column(
            "consent_list_of_participants",
            "Consent to List of Participants",
            ("Consent", "List of Participants", "In List of Participants"),
            help=gettext_lazy("Yes or no."),
            example="yes",
        ),
        # Written by the export, ignored by the import.
        Column("status", "Status", importable=False),
        Column("has_photo", "Photo", importable=False),
    )
)

# Choices by code, label or these other words.
ROLE_CHOICES = Choices(
    DelegationRole.choices,
    {
        "HoD": DelegationRole.HEAD,
        "Head": DelegationRole.HEAD,
        "Head of the Delegation": DelegationRole.HEAD,
        "Chef de délégation": DelegationRole.HEAD,
        "Jefe de delegación": DelegationRole.HEAD,
        "Alternate representative": DelegationRole.ALTERNATE,
        "Deputy Head of Delegation": DelegationRole.ALTERNATE,
        "Advisor": DelegationRole.ADVISER,
        "Member": DelegationRole.DELEGATE,
        "Representative": DelegationRole.DELEGATE,
        "Security officer": DelegationRole.SECURITY,
        "Media": DelegationRole.PRESS,
        "Journalist": DelegationRole.PRESS,
    },
)
RANK_CHOICES = Choices(
    ProtocolRank.choices,
    {
        "Prime Minister": ProtocolRank.HEAD_OF_GOVERNMENT,
        "Foreign Minister": ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS,
        "Ambassador": ProtocolRank.AMBASSADOR,
        "Permanent Representative": ProtocolRank.AMBASSADOR,
        "Deputy Minister": ProtocolRank.VICE_MINISTER,
        "Crown Prince": ProtocolRank.CROWN_PRINCE,
        "Crown Princess": ProtocolRank.CROWN_PRINCE,
    },
)
HONORIFIC_CHOICES = Choices(
    Honorific.choices,
    {
        "His Excellency": Honorific.HE_MR,
        "Her Excellency": Honorific.HE_MS,
        "H.E. Mrs.": Honorific.HE_MS,
        "Mrs.": Honorific.MS,
        "Miss": Honorific.MS,
        "Mme": Honorific.MS,
        "Madame": Honorific.MS,
        "Monsieur": Honorific.MR,
        "Professor": Honorific.PROF,
        "Doctor": Honorific.DR,
    },
)
GENDER_CHOICES = Choices(
    Gender.choices,
    {"F": Gender.FEMALE, "M": Gender.MALE, "Woman": Gender.FEMALE, "Man": Gender.MALE},
)
LANGUAGE_CHOICES = Choices(
    PreferredLanguage.choices,
    {
        "zh": PreferredLanguage.CHINESE,
        "Chinese (simplified)": PreferredLanguage.CHINESE,
        "中文": PreferredLanguage.CHINESE,
        "Français": PreferredLanguage.FRENCH,
        "Español": PreferredLanguage.SPANISH,
        "Русский": PreferredLanguage.RUSSIAN,
        "العربية": PreferredLanguage.ARABIC,
        "Tiếng Việt": PreferredLanguage.VIETNAMESE,
    },
)
CHOICES = {
    "role": ROLE_CHOICES,
    "protocol_rank": RANK_CHOICES,
    "honorific": HONORIFIC_CHOICES,
    "gender": GENDER_CHOICES,
    "preferred_language": LANGUAGE_CHOICES,
}
BOOLEANS = (
    "is_spouse_of_dignitary",
    "needs_visa_letter",
    "consent_list_of_participants",
)
DATES = ("date_of_birth", "passport_expiry")
DATETIMES = ("arrival_at", "departure_at")
# What an import may write: what participant_update may write (the profile
# and the role in the delegation; never the photo, the status or decisions).
IMPORT_FIELDS = frozenset((*PROFILE_FIELDS, *DELEGATION_ROLE_FIELDS))
_MAX_LENGTHS = {
    f.name: f.max_length
    for f in Participant._meta.concrete_fields
    if getattr(f, "max_length", None)
}
_REVIEWED = frozenset(REVIEWED_FIELDS)
# Columns whose values are one person's own: not worth remembering.
_UNIQUE_KEYS = frozenset(("given_names", "family_name", "passport_number", "phone"))
_HEAD_LIMIT = 1  # a database constraint: one Head of Delegation


def _attname(key: str) -> str:
    return "nationality_id" if key == "nationality" else key


@dataclass
class _State:
    event: object
    scope: Delegation | None
    tz: object
    orgs: OrganisationIndex | None
    delegations: dict[int, Delegation]  # by organisation id
    delegations_by_pk: dict[int, Delegation]
    existing: dict[str, Participant]  # by lower-case email
    quotas: dict[str, int]
    now: dt.datetime
    group_names: dict[int, str] = field(default_factory=dict)  # by delegation pk
    memo: dict = field(default_factory=dict)
    emails: list[tuple[int, str]] = field(default_factory=list)  # (row, email)


class ParticipantImporter(Importer):
    kind = "participants"
    verbose_name = gettext_lazy("participants")
    layout = PARTICIPANT_LAYOUT
    permissions = ("delegations.add_participant", "delegations.change_participant")
    hidden_columns = tuple(RESTRICTED_FIELDS)

    def layout_for(self, context: ImportContext) -> Layout:
        if context.delegation is None:
            return self.layout
        # A focal point's file is their delegation's: the column may be left
        # out (and if it is there, every row must name their delegation).
        columns = tuple(
            replace(c, required=False) if c.key == "delegation" else c
            for c in self.layout.columns
        )
        return Layout(columns)

    # Look-ups, loaded once ---------------------------------------------------

    def prepare(self, context: ImportContext, table: Table) -> _State:
        event = context.event
        needs_orgs = bool({"delegation", "nationality"} & set(table.columns))
        delegations = list(
            Delegation.objects.filter(event=event).select_related("organisation")
        )
        by_pk = {d.pk: d for d in delegations}
        existing = {}
        for participant in Participant.objects.filter(event=event):
            # clean() reads both: no query per row.
            participant.event = event
            if participant.delegation_id in by_pk:
                participant.delegation = by_pk[participant.delegation_id]
            existing[participant.email.lower()] = participant
        return _State(
            event=event,
            scope=context.delegation,
            tz=event.tzinfo,
            orgs=OrganisationIndex.load() if needs_orgs else None,
            delegations={d.organisation_id: d for d in delegations},
            delegations_by_pk=by_pk,
            group_names={d.pk: str(d.organisation) for d in delegations},
            existing=existing,
            quotas=dict(
                DelegationRoleQuota.objects.filter(event=event).values_list(
                    "role", "max_count"
                )
            ),
            now=timezone.now(),
        )

    # One row -------------------------------------------------------------------

    def _delegation(self, st: _State, row: Row, problems: RowProblems):
        raw = row.cells.get("delegation")
        if is_blank(raw):
            return st.scope
        match = st.orgs.find(raw)
        if match.ambiguous:
            problems.add(
                "delegation",
                _(
                    "This could be more than one country or organisation: write "
                    "the ISO code or the full UN name."
                ),
                "ambiguous_country",
            )
            return None
        if match.organisation_id is None:
            problems.add(
                "delegation",
                _(
                    "Unknown country or organisation: write the ISO code (VNM or "
                    "VN), the UN name (Viet Nam) or the organisation's name."
                ),
                "unknown_country",
            )
            return None
        delegation = st.delegations.get(match.organisation_id)
        if st.scope is not None and (
            delegation is None or delegation.pk != st.scope.pk
        ):
            problems.add(
                "delegation",
                _("Only members of %(delegation)s can be imported here.")
                % {"delegation": st.scope.organisation},
                "other_delegation",
            )
            return None
        if delegation is None:
            problems.add(
                "delegation",
                _("%(name)s has no delegation at this event.")
                % {"name": st.orgs.name(match.organisation_id)},
                "no_delegation",
            )
        return delegation

    def _value(self, st: _State, key: str, raw):
        if key not in _UNIQUE_KEYS:
            # Values repeat down a column (roles, countries, yes/no, dates,
            # hotels, functions): each distinct one is parsed once.
            memo_key = (key, raw)
            found = st.memo.get(memo_key)
            if found is None:
                try:
                    found = (True, self._parse(st, key, raw))
                except CellError as exc:
                    found = (False, exc)
                st.memo[memo_key] = found
            if found[0]:
                return found[1]
            raise found[1]
        return self._parse(st, key, raw)

    def _parse(self, st: _State, key: str, raw):
        if key in CHOICES:
            return CHOICES[key].clean(raw)
        if key in BOOLEANS:
            return clean_bool(raw)
        if key in DATES:
            return clean_date(raw)
        if key in DATETIMES:
            return clean_datetime(raw, st.tz)
        if key == "nationality":
            match = st.orgs.find(raw)
            if match.organisation_id is None:
                raise CellError(
                    _(
                        "This could be more than one country: write the ISO code "
                        "or the full UN name."
                    )
                    if match.ambiguous
                    else _(
                        "Unknown country: write the ISO code (VNM or VN), the UN "
                        "name (Viet Nam) or a common name (Vietnam)."
                    ),
                    code="ambiguous_country" if match.ambiguous else "unknown_country",
                )
            if not st.orgs.is_state(match.organisation_id):
                raise CellError(
                    _("A nationality is a State, not an organisation."),
                    code="unknown_country",
                )
            return match.organisation_id
        return clean_limited_text(raw, _MAX_LENGTHS.get(key))

    def check_row(self, st: _State, row: Row, problems: RowProblems) -> Plan | None:
        cells = row.cells
        email = None
        if is_blank(cells.get("email")):
            problems.add(
                "email", _("Required: the email finds the person."), "required"
            )
        else:
            try:
                email = clean_email(cells["email"])
            except CellError as exc:
                problems.cell_error("email", exc)
            else:
                st.emails.append((row.number, email))
        delegation = self._delegation(st, row, problems)
        values = {}
        for key, raw in cells.items():
            if raw is None or raw == "" or key not in IMPORT_FIELDS:
                continue
            if key == "delegation" or is_blank(raw):
                continue
            try:
                values[key] = self._value(st, key, raw)
            except CellError as exc:
                problems.cell_error(key, exc)
        existing = st.existing.get(email) if email is not None else None
        if email is None:
            # Not a known person: say what a new one would need too.
            self._require_new(st, row, delegation, values, problems)
            return None
        if existing is not None:
            if delegation is not None and existing.delegation_id != delegation.pk:
                problems.add(
                    "email",
                    _("This person is already registered for this event.")
                    if st.scope is not None
                    else _(
                        "This person is already registered for this event, in the "
                        "delegation of %(delegation)s."
                    )
                    % {
                        "delegation": st.delegations_by_pk[
                            existing.delegation_id
                        ].organisation
                    },
                    "other_delegation_member",
                )
                return None
            if problems.count:
                return None
            return self._update(st, row, existing, values, problems)
        self._require_new(st, row, delegation, values, problems)
        if problems.count:
            return None
        return self._create(st, row, email, delegation, values, problems)

    @staticmethod
    def _require_new(st, row, delegation, values, problems: RowProblems) -> None:
        """The problems of a row that would create a person without what a
        new record needs (its delegation and names)."""
        if delegation is None and "delegation" not in problems.keys:
            problems.add(
                "delegation", _("Required for a new person."), "required", value=""
            )
        for key in ("given_names", "family_name"):
            if key not in values and key not in problems.keys:
                problems.add(key, _("Required for a new person."), "required", value="")

    def _create(self, st, row, email, delegation, values, problems) -> Plan | None:
        participant = Participant(
            event=st.event,
            delegation=delegation,
            email=email,
            status=ParticipantStatus.NOMINATED,
            **{_attname(key): value for key, value in values.items()},
        )
        if not self._clean(participant, problems):
            return None
        # A new record's values are the file's: the report names the person
        # and the delegation (listing every cell again would only slow a
        # 10,000-row check down).
        return Plan(
            row=row.number,
            action=CREATE,
            obj=participant,
            label=f"{participant.full_name} <{email}>",
            group=st.group_names[delegation.pk],
            fields=sorted(values),
        )

    def _update(self, st, row, participant, values, problems) -> Plan | None:
        changed = [
            key
            for key, value in values.items()
            if getattr(participant, _attname(key)) != value
        ]
        label = f"{participant.full_name} <{participant.email}>"
        group = st.group_names.get(participant.delegation_id, "")
        if not changed:
            return Plan(
                row=row.number,
                action=UNCHANGED,
                obj=participant,
                label=label,
                group=group,
            )
        if participant.status == ParticipantStatus.WITHDRAWN:
            problems.add(
                "email",
                _("This registration was withdrawn; an import cannot change it."),
                "withdrawn",
            )
            return None
        changes = [
            Change(
                field=self._label(key),
                old=self._shown(st, key, getattr(participant, _attname(key))),
                new=self._shown(st, key, values[key]),
            )
            for key in changed
        ]
        extra = {"old_role": participant.role}
        for key in changed:
            setattr(participant, _attname(key), values[key])
        fields = list(changed)
        notes = []
        if participant.status == ParticipantStatus.APPROVED and _REVIEWED & set(
            changed
        ):
            participant.status = ParticipantStatus.SUBMITTED
            participant.submitted_at = st.now
            participant.decided_at = None
            fields += ["status", "submitted_at", "decided_at"]
            notes.append(_("approved: goes back to review"))
        if not self._clean(participant, problems):
            return None
        return Plan(
            row=row.number,
            action=UPDATE,
            obj=participant,
            label=label,
            group=group,
            fields=fields,
            changes=changes,
            notes=notes,
            extra=extra,
        )

    @staticmethod
    def _clean(participant: Participant, problems: RowProblems) -> bool:
        from django.core.exceptions import ValidationError

        try:
            participant.clean()
        except ValidationError as exc:
            problems.validation_error(exc, fallback_key="email")
            return False
        return True

    def _label(self, key: str) -> str:
        return self.layout.header(key)

    def _shown(self, st: _State, key: str, value) -> str:
        if key in RESTRICTED_FIELDS:
            return HIDDEN if value else ""
        if value is None or value == "":
            return ""
        if key in CHOICES:
            return CHOICES[key].label(value)
        if key in BOOLEANS:
            return _("yes") if value else _("no")
        if key == "nationality":
            return st.orgs.name(value) if st.orgs else str(value)
        if key in DATETIMES:
            return timezone.localtime(value, st.tz).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    # The whole file ------------------------------------------------------------

    def check_all(
        self, st: _State, plans: list[Plan], report: ImportReport, table: Table
    ) -> None:
        self._duplicates(st, report, table)
        self._quotas(st, plans, report, table)

    def _duplicates(self, st: _State, report, table) -> None:
        # Rows with a problem of their own have no plan: every row's email.
        first: dict[str, int] = {}
        column = table.ref("email")
        for number, email in st.emails:
            if email in first:
                report.add(
                    Problem(
                        row=number,
                        column=column,
                        value=email,
                        message=_("The same email as row %(row)s: one person, one row.")
                        % {"row": first[email]},
                        code="duplicate",
                    )
                )
            else:
                first[email] = number

    def _quotas(self, st: _State, plans, report, table) -> None:
        in_file = {id(p.obj) for p in plans}
        counts: dict[tuple[int, str], int] = defaultdict(int)
        for participant in st.existing.values():
            if (
                id(participant) not in in_file
                and participant.status != ParticipantStatus.WITHDRAWN
            ):
                counts[participant.delegation_id, participant.role] += 1
        entering = []
        for plan in plans:
            member = plan.obj
            if member.status == ParticipantStatus.WITHDRAWN:
                continue
            key = (member.delegation_id, member.role)
            if plan.action == CREATE or plan.extra.get("old_role", member.role) != (
                member.role
            ):
                entering.append((plan, key))
            else:
                counts[key] += 1
        for plan, key in sorted(entering, key=lambda item: item[0].row):
            counts[key] += 1
            role = key[1]
            limit = st.quotas.get(role)
            if role == DelegationRole.HEAD:
                limit = min(limit, _HEAD_LIMIT) if limit is not None else _HEAD_LIMIT
            if limit is None or counts[key] <= limit:
                continue
            delegation = st.delegations_by_pk[key[0]]
            report.add(
                Problem(
                    row=plan.row,
                    column=table.ref("role"),
                    value=ROLE_CHOICES.label(role),
                    message=_(
                        "The quota for %(role)s is %(max)s per delegation; with "
                        "this row %(delegation)s would have %(count)s."
                    )
                    % {
                        "role": ROLE_CHOICES.label(role),
                        "max": limit,
                        "delegation": delegation.organisation,
                        "count": counts[key],
                    },
                    code="quota",
                )
            )

    # Writing ---------------------------------------------------------------------

    def lock(self, context: ImportContext) -> None:
        # As participant_nominate: the delegation first (quotas are checked
        # one writer at a time), in primary key order (no deadlock between
        # two imports).
        delegations = Delegation.objects.select_for_update().order_by("pk")
        if context.delegation is not None:
            delegations = delegations.filter(pk=context.delegation.pk)
        else:
            delegations = delegations.filter(event=context.event)
        list(delegations.values_list("pk", flat=True))

    def write(self, st: _State, plans: list[Plan], context: ImportContext) -> None:
        from ..services.members import delegation_recompute_status

        creates = [p.obj for p in plans if p.action == CREATE]
        updates = [p.obj for p in plans if p.action == UPDATE]
        if creates:
            # As participant_nominate: link the account of a verified address.
            accounts = dict(
                EmailAddress.objects.filter(verified=True)
                .alias(lower=Lower("email"))
                .filter(lower__in=[p.email for p in creates])
                .values_list("email", "user_id")
            )
            accounts = {email.lower(): user for email, user in accounts.items()}
            for participant in creates:
                participant.user_id = accounts.get(participant.email)
            create_with_history(
                Participant,
                creates,
                user=context.user,
                reason=context.change_reason,
            )
        if updates:
            names = {"updated_at"}
            for plan in plans:
                if plan.action == UPDATE:
                    names.update(_attname(k) for k in plan.fields)
            now = timezone.now()
            for participant in updates:
                participant.updated_at = now
            bulk_update_with_history(
                updates,
                Participant,
                fields=sorted(n.removesuffix("_id") for n in names),
                batch_size=500,
                default_user=context.user,
                default_change_reason=context.change_reason,
            )
        touched = sorted({p.obj.delegation_id for p in plans if p.action != UNCHANGED})
        for pk in touched:
            delegation_recompute_status(delegation=st.delegations_by_pk[pk])


PARTICIPANT_IMPORTER = register_importer(ParticipantImporter())


# Exports -----------------------------------------------------------------------


def _date(value) -> str:
    return value.isoformat() if value else ""


class _EventTimeMixin:
    def _local(self, value, participant) -> str:
        if not value:
            return ""
        return timezone.localtime(value, participant.event.tzinfo).strftime(
            "%Y-%m-%d %H:%M"
        )


class ParticipantResource(_EventTimeMixin, resources.ModelResource):
    """The participants export: the import's columns (so a file exported,
    corrected and imported again round-trips), with status and photo.
    ``with_restricted=False`` leaves out the passport number and expiry and
    the date of birth."""

    email = fields.Field(attribute="email", column_name="Email")
    delegation = fields.Field(column_name="Delegation")
    given_names = fields.Field(attribute="given_names", column_name="Given names")
    family_name = fields.Field(attribute="family_name", column_name="Family name")
    honorific = fields.Field(column_name="Honorific")
    gender = fields.Field(column_name="Gender")
    function_title = fields.Field(
        attribute="function_title", column_name="Function / title"
    )
    role = fields.Field(column_name="Role")
    protocol_rank = fields.Field(column_name="Protocol rank")
    is_spouse_of_dignitary = fields.Field(column_name="Spouse of dignitary")
    nationality = fields.Field(column_name="Nationality")
    date_of_birth = fields.Field(column_name="Date of birth")
    passport_number = fields.Field(
        attribute="passport_number", column_name="Passport number"
    )
    passport_expiry = fields.Field(column_name="Passport expiry")
    phone = fields.Field(attribute="phone", column_name="Phone")
    arrival_at = fields.Field(column_name="Arrival")
    departure_at = fields.Field(column_name="Departure")
    hotel = fields.Field(attribute="hotel", column_name="Hotel")
    needs_visa_letter = fields.Field(column_name="Visa support letter")
    dietary_needs = fields.Field(attribute="dietary_needs", column_name="Dietary needs")
    accessibility_needs = fields.Field(
        attribute="accessibility_needs", column_name="Accessibility needs"
    )
    preferred_language = fields.Field(column_name="Preferred language")
    consent_list_of_participants = fields.Field(
        column_name="Consent to List of Participants"
    )
    status = fields.Field(column_name="Status")
    has_photo = fields.Field(column_name="Photo")

    class Meta:
        model = Participant
        fields = tuple(c.key for c in PARTICIPANT_LAYOUT.columns)
        export_order = fields

    def __init__(self, *, with_restricted: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.with_restricted = with_restricted

    def get_export_fields(self, selected_fields=None):
        export_fields = super().get_export_fields(selected_fields)
        if self.with_restricted:
            return export_fields
        return [
            f for f in export_fields if self.get_field_name(f) not in RESTRICTED_FIELDS
        ]

    @staticmethod
    def queryset(queryset):
        return queryset.select_related(
            "delegation__organisation", "nationality", "event"
        )

    def dehydrate_delegation(self, p):
        return p.delegation.organisation.name

    def dehydrate_honorific(self, p):
        return p.get_honorific_display() if p.honorific else ""

    def dehydrate_gender(self, p):
        return p.get_gender_display() if p.gender else ""

    def dehydrate_role(self, p):
        return p.get_role_display()

    def dehydrate_protocol_rank(self, p):
        return p.get_protocol_rank_display()

    def dehydrate_is_spouse_of_dignitary(self, p):
        return "yes" if p.is_spouse_of_dignitary else "no"

    def dehydrate_nationality(self, p):
        return p.nationality.name if p.nationality_id else ""

    def dehydrate_date_of_birth(self, p):
        return _date(p.date_of_birth)

    def dehydrate_passport_expiry(self, p):
        return _date(p.passport_expiry)

    def dehydrate_arrival_at(self, p):
        return self._local(p.arrival_at, p)

    def dehydrate_departure_at(self, p):
        return self._local(p.departure_at, p)

    def dehydrate_needs_visa_letter(self, p):
        return "yes" if p.needs_visa_letter else "no"

    def dehydrate_preferred_language(self, p):
        return p.get_preferred_language_display()

    def dehydrate_consent_list_of_participants(self, p):
        return "yes" if p.consent_list_of_participants else "no"

    def dehydrate_status(self, p):
        return p.get_status_display()

    def dehydrate_has_photo(self, p):
        return "yes" if p.photo else "no"


class SecurityClearanceResource(resources.ModelResource):
    """The list the host country's security services clear: names as in the
    passport, nationality, passport number and expiry, date of birth,
    function, delegation. Only for ``delegations.view_passport``."""

    family_name = fields.Field(attribute="family_name", column_name="Family name")
    given_names = fields.Field(attribute="given_names", column_name="Given names")
    gender = fields.Field(column_name="Gender")
    nationality = fields.Field(column_name="Nationality")
    nationality_iso3 = fields.Field(column_name="Nationality (ISO)")
    passport_number = fields.Field(
        attribute="passport_number", column_name="Passport number"
    )
    passport_expiry = fields.Field(column_name="Passport expiry")
    date_of_birth = fields.Field(column_name="Date of birth")
    function_title = fields.Field(
        attribute="function_title", column_name="Function / title"
    )
    role = fields.Field(column_name="Role")
    delegation = fields.Field(column_name="Delegation")

    class Meta:
        model = Participant
        fields = (
            "family_name",
            "given_names",
            "gender",
            "nationality",
            "nationality_iso3",
            "passport_number",
            "passport_expiry",
            "date_of_birth",
            "function_title",
            "role",
            "delegation",
        )
        export_order = fields

    @staticmethod
    def queryset(queryset):
        # A withdrawn registration is not sent for clearance.
        return (
            queryset.exclude(status=ParticipantStatus.WITHDRAWN)
            .select_related("delegation__organisation", "nationality")
            .order_by("delegation__organisation__name", "family_name", "given_names")
        )

    def dehydrate_gender(self, p):
        return p.get_gender_display() if p.gender else ""

    def dehydrate_nationality(self, p):
        return p.nationality.name if p.nationality_id else ""

    def dehydrate_nationality_iso3(self, p):
        return p.nationality.iso3 if p.nationality_id else ""

    def dehydrate_passport_expiry(self, p):
        return _date(p.passport_expiry)

    def dehydrate_date_of_birth(self, p):
        return _date(p.date_of_birth)

    def dehydrate_role(self, p):
        return p.get_role_display()

    def dehydrate_delegation(self, p):
        return p.delegation.organisation.name
