"""Forms of the protocol app's doors (portal, admin, chair)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from delegations.enums import ParticipantStatus, ProtocolRank

from .enums import SpeechKind


class BootstrapForm(forms.Form):
    """Bootstrap classes on the portal's widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class SigningRequestForm(BootstrapForm):
    """The focal point (or an organizer) names the signatory: a member of
    the delegation, or a person with a title and rank."""

    signatory_participant = forms.ModelChoiceField(
        label=_("Signatory from the delegation"),
        queryset=None,
        required=False,
        help_text=_("Or leave empty and enter the signatory below."),
    )
    signatory_name = forms.CharField(
        label=_("Signatory's name, as in the full powers"),
        max_length=255,
        required=False,
    )
    signatory_title = forms.CharField(
        label=_("Signatory's title, as in the full powers"),
        max_length=255,
        required=False,
    )
    signatory_rank = forms.TypedChoiceField(
        label=_("Signatory's protocol rank"),
        choices=[("", "---------"), *ProtocolRank.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatory_participant"].queryset = delegation.members.exclude(
            status__in=[ParticipantStatus.WITHDRAWN, ParticipantStatus.REJECTED]
        ).order_by("protocol_rank", "family_name")

    def clean(self):
        data = super().clean()
        if data.get("signatory_participant") is None:
            for name in ("signatory_name", "signatory_title", "signatory_rank"):
                if data.get(name) in (None, ""):
                    self.add_error(
                        name,
                        _(
                            "Required when the signatory is not chosen from the delegation."
                        ),
                    )
        return data


class FullPowersUploadForm(BootstrapForm):
    full_powers = forms.FileField(
        label=_("Instrument of full powers (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class FullPowersDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("clear", _("Clear")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Name as the full powers give it"), max_length=255, required=False
    )
    title = forms.CharField(
        label=_("Title as the full powers give it"), max_length=255, required=False
    )
    reason = forms.CharField(
        label=_("Reason (when rejecting)"), widget=forms.Textarea, required=False
    )


class SlotForm(forms.Form):
    slot = forms.IntegerField(
        label=_("Slot number"),
        min_value=1,
        required=False,
        help_text=_("Empty: the first free slot."),
    )


class SpeakingRequestForm(BootstrapForm):
    speaker = forms.ModelChoiceField(label=_("Speaker"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=SpeechKind.choices, initial=SpeechKind.STATEMENT
    )

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = delegation.members.exclude(
            status__in=[ParticipantStatus.WITHDRAWN, ParticipantStatus.REJECTED]
        ).order_by("protocol_rank", "family_name")


class SpeakerMoveForm(BootstrapForm):
    position = forms.IntegerField(label=_("New position"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=1000)


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on ``form``: each field's errors on the
    field, the rest on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
