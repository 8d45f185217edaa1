from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import HoneypotForm
from campaign.images import ImageUploadField
from campaign.plaintext import SingleLineFormField

MAX_TEXT_LENGTH = 6000


class NewsSubmissionForm(HoneypotForm):
    """What a school sends in: plain text, an optional photo, and who to contact."""

    title = SingleLineFormField(
        label=_("Titel"),
        max_length=160,
        error_messages={"required": _("Geef uw bericht een titel.")},
    )
    text = forms.CharField(
        label=_("Tekst"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Gewone tekst; laat een witregel tussen alinea's. Maximaal %(max)s tekens.")
        % {"max": MAX_TEXT_LENGTH},
        error_messages={
            "required": _("Schrijf de tekst van uw bericht."),
            "max_length": _(
                "Uw tekst is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d. "
                "Maak hem wat korter."
            ),
        },
    )
    image = ImageUploadField(
        label=_("Foto (optioneel)"),
        required=False,
        help_text=_("JPEG, PNG of WebP, maximaal 8 MB."),
    )
    image_alt = SingleLineFormField(
        label=_("Wat staat er op de foto?"),
        max_length=200,
        required=False,
        help_text=_("Een korte beschrijving voor wie de foto niet kan zien."),
    )
    has_photo_consent = forms.BooleanField(
        label=_(
            "Ouders van herkenbare kinderen onder de 16 op de foto hebben toestemming "
            "gegeven voor publicatie (of er staan geen herkenbare kinderen op)."
        ),
        required=False,
    )
    submitter_name = SingleLineFormField(
        label=_("Uw naam"), max_length=120, error_messages={"required": _("Vul uw naam in.")}
    )
    submitter_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image"):
            if not cleaned.get("image_alt", "").strip():
                self.add_error("image_alt", _("Beschrijf kort wat er op de foto staat."))
            if not cleaned.get("has_photo_consent"):
                self.add_error(
                    "has_photo_consent",
                    _(
                        "Bevestig dat er toestemming is voor de foto, of stuur het bericht zonder foto."
                    ),
                )
        return cleaned
