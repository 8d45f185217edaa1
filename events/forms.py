from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import HoneypotForm
from events.models import OrganisationType, Registration
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


# The organisation list's value for "not in the list": the typed name and type are used.
OTHER_ORGANISATION = "other"
# Types a partner can choose for an organisation typed in; schools and companies are listed.
TYPED_ORGANISATION_TYPES = [
    (value, label)
    for value, label in OrganisationType.choices
    if value not in (OrganisationType.SCHOOL, OrganisationType.COMPANY)
]


class PartnerSignupForm(SignupForm):
    """A partner (staff of a partner school, company, municipality…) signs up themselves.

    The organisation is chosen from a list of partner schools and companies; one that is not
    listed is typed in with its type. Without JavaScript the typed fields are always there
    and count only when "Andere organisatie" is chosen (or nothing is chosen but a name).
    """

    kind = Registration.Kind.PARTNER

    contact_name = forms.CharField(
        label=_("Uw naam"),
        max_length=120,
        error_messages={"required": _("Vul uw naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.ChoiceField(
        label=_("Organisatie uit de lijst"),
        help_text=_(
            "Staat uw organisatie er niet in? Kies dan „Andere organisatie” en vul hieronder "
            "de naam en de soort in."
        ),
        error_messages={
            "required": _("Kies uw organisatie uit de lijst, of kies „Andere organisatie”."),
            "invalid_choice": _("Kies uw organisatie uit de lijst, of kies „Andere organisatie”."),
        },
    )
    organisation_name = forms.CharField(
        label=_("Andere organisatie: naam"),
        max_length=160,
        required=False,
        help_text=_("Alleen als uw organisatie niet in de lijst staat."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_type = forms.ChoiceField(
        label=_("Andere organisatie: soort"),
        choices=TYPED_ORGANISATION_TYPES,
        required=False,
        # A class of its own: Django's radio template looks one up.
        widget=forms.RadioSelect(attrs={"class": "radio-list"}),
        error_messages={"invalid_choice": _("Kies een van de soorten organisatie.")},
    )
    role = forms.CharField(
        label=_("Uw functie"),
        max_length=120,
        help_text=_("Bijvoorbeeld: docent techniek, wethouder, HR-adviseur."),
        error_messages={"required": _("Vul uw functie in.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    contact_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    dietary_needs = forms.CharField(
        label=_("Dieetwensen (niet verplicht)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: vegetarisch, glutenvrij."),
    )
    access_needs = forms.CharField(
        label=_("Toegankelijkheid (niet verplicht)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: een ingang zonder trap, of een tolk."),
    )

    def __init__(self, *args, schools=(), companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = {f"school-{school.pk}": school for school in schools}
        self.companies = {f"company-{company.pk}": company for company in companies}
        choices = [("", _("Kies uw organisatie"))]
        if self.schools:
            choices.append(
                (_("Scholen"), [(key, school.name) for key, school in self.schools.items()])
            )
        if self.companies:
            choices.append(
                (_("Bedrijven"), [(key, company.name) for key, company in self.companies.items()])
            )
        choices.append((OTHER_ORGANISATION, _("Andere organisatie (hieronder invullen)")))
        self.fields["organisation"].choices = choices
        # Empty is allowed here: a typed name alone counts as "Andere organisatie" (clean).
        self.fields["organisation"].required = False

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("organisation", "")
        name = cleaned.get("organisation_name", "")
        if not choice and name:
            choice = OTHER_ORGANISATION
        cleaned.update(partner_school=None, partner_company=None)
        if choice in self.schools:
            cleaned.update(
                partner_school=self.schools[choice],
                organisation_type=OrganisationType.SCHOOL,
                organisation_name="",
            )
        elif choice in self.companies:
            cleaned.update(
                partner_company=self.companies[choice],
                organisation_type=OrganisationType.COMPANY,
                organisation_name="",
            )
        elif choice == OTHER_ORGANISATION:
            if not name:
                self.add_error("organisation_name", _("Vul de naam van uw organisatie in."))
            if not cleaned.get("organisation_type"):
                self.add_error("organisation_type", _("Kies wat voor organisatie het is."))
        elif "organisation" not in self.errors:
            self.add_error(
                "organisation",
                _("Kies uw organisatie uit de lijst, of kies „Andere organisatie”."),
            )
        return cleaned

    def signup(self) -> SignUp:
        data = self.cleaned_data
        return SignUp(
            kind=self.kind,
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            organisation_type=data["organisation_type"],
            partner_school=data["partner_school"],
            partner_company=data["partner_company"],
            organisation_name=data["organisation_name"],
            role=data["role"],
            dietary_needs=data["dietary_needs"],
            access_needs=data["access_needs"],
        )
