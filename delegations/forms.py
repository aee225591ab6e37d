"""Forms of the registration portal. They validate input only; the views
hand the cleaned data to one service."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminEmailInputWidget, UnfoldAdminSelectWidget

from .enums import STATE_KINDS, DelegationRole, OrganisationKind
from .fields import (
    DELEGATION_ROLE_FIELDS,
    PHOTO_FIELD,
    PROFILE_FIELDS,
    PROFILE_SECTIONS,
    REQUIRED_TO_SUBMIT,
)
from .models import Organisation, Participant
from .uploads import (
    PDF_MAX_BYTES,
    PHOTO_MAX_BYTES,
    PHOTO_MIN_SIDE,
    clean_pdf,
    clean_photo,
)


class PortalFormMixin:
    """Bootstrap classes on every widget; invalid fields are marked for
    assistive technology (aria-invalid, aria-describedby to the error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}_help")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                auto_id = self[name].auto_id
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = (
                    f"{described} {auto_id}_errors".strip()
                )


class NominationForm(PortalFormMixin, forms.Form):
    """A new member. ``quotas`` (``selectors.quota_use``) mark the roles that
    are full and keep them from being the default choice."""

    given_names = forms.CharField(
        label=_("Given names (as in passport)"), max_length=150
    )
    family_name = forms.CharField(
        label=_("Family name (as in passport)"), max_length=150
    )
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role in the delegation"), choices=DelegationRole.choices
    )

    def __init__(self, *args, quotas=(), **kwargs):
        super().__init__(*args, **kwargs)
        full = {quota.role: quota for quota in quotas if quota.full}
        self.fields["role"].choices = [
            (
                value,
                _("%(role)s (quota full: %(used)s of %(limit)s)")
                % {"role": label, "used": full[value].used, "limit": full[value].limit}
                if value in full
                else label,
            )
            for value, label in DelegationRole.choices
        ]
        if DelegationRole.DELEGATE not in full:
            self.fields["role"].initial = DelegationRole.DELEGATE
        else:
            self.fields["role"].initial = next(
                (v for v in DelegationRole.values if v not in full), ""
            )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


def _plausible_year(value) -> None:
    # Year 1 in a zone east of UTC is year 0 in UTC: the database stores it
    # but cannot read it back (every page showing the record failed).
    if value is not None and not 1900 <= value.year <= 2100:
        raise forms.ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            params={"min": 1900, "max": 2100},
            code="implausible_year",
        )


class ParticipantForm(PortalFormMixin, forms.ModelForm):
    """A member's own data (capability 4). The photo is checked and
    re-encoded here; the service stores it."""

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "Passport-style: taken in the last six months, plain light "
            "background, face centred and looking at the camera, no hat or dark "
            "glasses. JPEG or PNG, at most %(size)s MB, at least %(min)s pixels "
            "on each side; you can crop it after choosing it."
        )
        % {"size": PHOTO_MAX_BYTES // (1024 * 1024), "min": PHOTO_MIN_SIDE},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    class Meta:
        model = Participant
        fields = list(PROFILE_FIELDS)
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "passport_expiry": DATE_WIDGET,
            "arrival_at": DATETIME_WIDGET,
            "departure_at": DATETIME_WIDGET,
        }

    def __init__(self, *args, include_rank: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].queryset = Organisation.objects.filter(
            kind__in=[k.value for k in STATE_KINDS]
        ).order_by("name")
        for name in ("arrival_at", "departure_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            self.fields[name].validators.append(_plausible_year)
        if include_rank:
            self.fields["role"] = forms.ChoiceField(
                label=_("Role in the delegation"),
                choices=DelegationRole.choices,
                initial=self.instance.role,
            )
            self.fields["protocol_rank"] = Participant._meta.get_field(
                "protocol_rank"
            ).formfield()
            self.fields["protocol_rank"].initial = self.instance.protocol_rank
            self.fields["is_spouse_of_dignitary"] = Participant._meta.get_field(
                "is_spouse_of_dignitary"
            ).formfield()
            self.fields[
                "is_spouse_of_dignitary"
            ].initial = self.instance.is_spouse_of_dignitary
            self.style_widgets()
        needed = set(REQUIRED_TO_SUBMIT)
        if self.instance.photo_required:
            needed.add(PHOTO_FIELD)
        for name in needed:
            self.fields[name].needed_to_submit = True
        if self.instance.nationality_id is None and not self.is_bound:
            # A State's delegates are mostly its nationals: a first guess.
            organisation = self.instance.delegation.organisation
            if organisation.is_state:
                self.initial["nationality"] = organisation.pk

    def sections(self) -> list[tuple[str, list]]:
        """(title, bound fields) in the order of ``fields.PROFILE_SECTIONS``,
        with the role in the delegation first (focal points) and the photo
        after the identity."""
        sections = []
        role = [self[name] for name in DELEGATION_ROLE_FIELDS if name in self.fields]
        if role:
            sections.append((_("Role in the delegation"), role))
        for title, names in PROFILE_SECTIONS:
            sections.append((title, [self[name] for name in names]))
            if names is PROFILE_SECTIONS[0][1]:
                sections.append((_("Photo"), [self[PHOTO_FIELD]]))
        return sections

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return clean_photo(upload)

    def service_data(self) -> dict:
        """Cleaned values for ``participant_update`` (without the photo)."""
        data = {
            name: value for name, value in self.cleaned_data.items() if name != "photo"
        }
        return data


class NoteVerbaleForm(PortalFormMixin, forms.Form):
    document = forms.FileField(
        label=_("Note verbale or letter of credentials (PDF)"),
        help_text=_("PDF only, at most %(size)s MB.")
        % {"size": PDF_MAX_BYTES // (1024 * 1024)},
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_document(self):
        return clean_pdf(self.cleaned_data["document"])


NON_STATE_KINDS = [
    (kind.value, kind.label)
    for kind in OrganisationKind
    if kind not in STATE_KINDS and kind != OrganisationKind.UN_ENTITY
]


class OrganisationRequestForm(PortalFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=32,
        help_text=_("The code the secretariat gave your organisation."),
    )
    name = forms.CharField(label=_("Organisation name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=NON_STATE_KINDS)
    acronym = forms.CharField(label=_("Acronym"), max_length=32, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class InviteFocalPointForm(forms.Form):
    """One row of the admin's "Invite focal point" page (unfold's input, so
    the box looks like every other admin field)."""

    delegation_id = forms.IntegerField(widget=forms.HiddenInput)
    email = forms.EmailField(
        label=_("Focal point's email"),
        widget=UnfoldAdminEmailInputWidget(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the email"),
        choices=settings.LANGUAGES,
        initial="en",
        required=False,
        widget=UnfoldAdminSelectWidget,
    )
