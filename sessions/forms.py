"""Portal forms of the programme: a side-event application and its
speakers."""

from __future__ import annotations

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from delegations.uploads import PDF_MAGIC, clean_pdf, clean_photo

from .models import SideEventApplication, SideEventSlot, SideEventSpeaker
from .services.side_events import APPLICATION_FIELDS, SPEAKER_FIELDS


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SideEventSlot) -> str:
        return str(obj)


class ApplicationForm(forms.ModelForm):
    preferred_slots = SlotChoiceField(
        queryset=SideEventSlot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Preferred slots"),
        help_text=_("Tick the slots that suit you; we try the first ones first."),
    )

    class Meta:
        model = SideEventApplication
        fields = list(APPLICATION_FIELDS)
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 5}),
            "co_sponsors": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_slots"].queryset = SideEventSlot.objects.filter(
            event=event
        ).select_related("event")
        if self.instance.pk:
            self.initial["preferred_slots"] = list(
                self.instance.preferred_slots.values_list("pk", flat=True)
            )
        for name, field in self.fields.items():
            if name == "preferred_slots":
                continue
            css = (
                "form-select"
                if isinstance(field.widget, forms.Select)
                else "form-control"
            )
            field.widget.attrs.setdefault("class", css)

    def _post_clean(self):
        # The service validates the whole application (and the delegation,
        # which the form does not hold).
        pass


def speaker_passport_clean(upload) -> ContentFile:
    """A speaker's passport copy as stored: a PDF kept as it is (checked as
    the note verbale is), or a JPEG or PNG image re-encoded without its
    metadata; under a random name. ValidationError for anything else."""
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) == PDF_MAGIC:
        return clean_pdf(upload)
    return clean_photo(upload)


class SpeakerForm(forms.ModelForm):
    passport_copy = forms.FileField(
        label=_("Passport copy"),
        required=False,
        help_text=_(
            "The passport's photo page (PDF, JPEG or PNG). Only your delegation "
            "and the accreditation officers can open it."
        ),
    )

    class Meta:
        model = SideEventSpeaker
        fields = list(SPEAKER_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean_passport_copy(self):
        upload = self.cleaned_data.get("passport_copy")
        return speaker_passport_clean(upload) if upload else None

    def _post_clean(self):
        pass


SpeakerFormSet = forms.formset_factory(
    SpeakerForm, extra=2, min_num=1, validate_min=True, max_num=12, validate_max=True
)
