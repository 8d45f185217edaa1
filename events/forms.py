from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import HoneypotForm
from events.models import Registration
from events.services import SignUp

EMAIL_ERRORS = {
    "required": _("Vul uw e-mailadres in; daar sturen we de bevestiging naartoe."),
    "invalid": _("Dit e-mailadres klopt niet. Controleer het nog even."),
}


class SignupForm(HoneypotForm):
    """What both sign-up forms share: no colon after labels, white space folded, a SignUp."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = " ".join(value.split())
        return cleaned

    def signup(self) -> SignUp:
        """The answers as the sign-up service takes them: every field but the honeypot."""
        answers = {name: value for name, value in self.cleaned_data.items() if name != "website"}
        return SignUp(kind=self.kind, **answers)


class ChildSignupForm(SignupForm):
    """A parent signs up one child: only what the session needs."""

    kind = Registration.Kind.CHILD

    child_first_name = forms.CharField(
        label=_("Voornaam van uw kind"),
        max_length=60,
        error_messages={"required": _("Vul de voornaam van uw kind in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    child_group = forms.CharField(
        label=_("Groep of leeftijd"),
        max_length=30,
        help_text=_("Bijvoorbeeld: groep 8, of 11 jaar."),
        error_messages={"required": _("Vul de groep of de leeftijd van uw kind in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    primary_school = forms.CharField(
        label=_("Basisschool"),
        max_length=120,
        error_messages={"required": _("Vul de basisschool van uw kind in.")},
    )
    contact_name = forms.CharField(
        label=_("Uw naam (ouder of verzorger)"),
        max_length=120,
        error_messages={"required": _("Vul uw eigen naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    has_parental_consent = forms.BooleanField(
        label=_("Ik ben ouder of verzorger van dit kind en geef toestemming voor deze aanmelding."),
        error_messages={
            "required": _(
                "Zonder toestemming van een ouder of verzorger kunnen we uw kind niet aanmelden."
            )
        },
    )


class GroupSignupForm(SignupForm):
    """A teacher books a class: a number of pupils, no names."""

    kind = Registration.Kind.GROUP

    primary_school = forms.CharField(
        label=_("School"),
        max_length=120,
        error_messages={"required": _("Vul de naam van uw school in.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = forms.CharField(
        label=_("Naam leerkracht"),
        max_length=120,
        error_messages={"required": _("Vul uw naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres leerkracht"),
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    pupil_count = forms.IntegerField(
        label=_("Aantal leerlingen"),
        min_value=1,
        error_messages={
            "required": _("Vul in met hoeveel leerlingen u komt."),
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Meld minstens één leerling aan."),
        },
    )

    def __init__(self, *args, max_per_booking: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_per_booking = max_per_booking
        field = self.fields["pupil_count"]
        field.widget.attrs.update({"max": max_per_booking, "inputmode": "numeric"})
        field.help_text = _("Alleen het aantal, geen namen. Maximaal %(max)s per boeking.") % {
            "max": max_per_booking
        }

    def clean_pupil_count(self):
        count = self.cleaned_data["pupil_count"]
        if count > self.max_per_booking:
            raise forms.ValidationError(
                _("Met één boeking kunt u maximaal %(max)s leerlingen aanmelden."),
                params={"max": self.max_per_booking},
            )
        return count
