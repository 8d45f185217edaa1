from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaign.images import PrivateImageField, validate_image_file
from campaign.models import Storyline, StorylineLinkedQuerySet, Video
from campaign.plaintext import SingleLineCharField
from campaign.publishing import Publishable
from campaign.richtext import RichTextField
from schools.models import School


class CompanyQuerySet(StorylineLinkedQuerySet):
    def for_card(self):
        """What ``companies/includes/company_card.html`` shows besides the company's own fields."""
        return self.with_public_storylines().with_offers()

    def with_offers(self):
        """``offer_list``: the company's offers (a card names them)."""
        return self.prefetch_related(
            Prefetch("offers", queryset=Offer.objects.order_by("kind"), to_attr="offer_list")
        )


class Company(Publishable):
    """A regional company that shows pupils what technology looks like at work."""

    name = SingleLineCharField(_("naam"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    sector = SingleLineCharField(_("branche"), max_length=120, blank=True)
    summary = SingleLineCharField(_("korte typering"), max_length=240, blank=True)
    description = RichTextField(_("beschrijving"), blank=True)
    town = SingleLineCharField(_("plaats"), max_length=80)
    website = models.URLField(_("website"), blank=True)
    logo = PrivateImageField(
        _("logo"), upload_to="companies/", blank=True, validators=[validate_image_file]
    )
    storylines = models.ManyToManyField(
        Storyline, related_name="companies", blank=True, verbose_name=_("verhaallijnen")
    )
    schools = models.ManyToManyField(
        School,
        related_name="companies",
        blank=True,
        verbose_name=_("scholen waarmee het samenwerkt"),
    )
    # As for schools: campaign may not import companies, so the link to films is held here.
    videos = models.ManyToManyField(
        Video,
        related_name="companies",
        blank=True,
        verbose_name=_("in beeld in video's"),
        help_text=_("De video's en animaties waarin het bedrijf te zien is."),
    )
    contact_name = SingleLineCharField(_("contactpersoon"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("bedrijf")
        verbose_name_plural = _("bedrijven")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("companies:company-detail", kwargs={"slug": self.slug})


class Offer(models.Model):
    """What a company offers pupils or schools: a visit, a guest lesson, a work placement..."""

    class Kind(models.TextChoices):
        COMPANY_VISIT = "company_visit", _("Bedrijfsbezoek")
        GUEST_LESSON = "guest_lesson", _("Gastles")
        TASTER_DAY = "taster_day", _("Snuffelstage")
        WORK_PLACEMENT = "work_placement", _("Stage")
        MASTERCLASS = "masterclass", _("Masterclass")
        APPRENTICESHIP = "apprenticeship", _("Leerbaan (BBL)")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="offers", verbose_name=_("bedrijf")
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    description = SingleLineCharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")
        ordering = ["company", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind"],
                name="unique_offer_kind_per_company",
                violation_error_message=_("Dit bedrijf heeft dit aanbod al."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.company}"


class ContributionQuerySet(models.QuerySet):
    def between(self, first_day, last_day):
        """Contributions dated from ``first_day`` up to and including ``last_day``."""
        return self.filter(date__gte=first_day, date__lte=last_day)


class Contribution(models.Model):
    """What a company gave the programme, kept by the coordinators for the programme's figures.

    Dated rather than linked to a round (companies know nothing of events): the report
    counts a contribution in the round or year its date falls in.
    """

    class Kind(models.TextChoices):
        GUEST_LESSON = "guest_lesson", _("Gastles")
        COMPANY_VISIT = "company_visit", _("Bedrijfsbezoek")
        MASTERCLASS = "masterclass", _("Masterclass")
        INTERNSHIP_PLACES = "internship_places", _("Stageplaatsen")
        OTHER = "other", _("Anders")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("bedrijf")
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("datum"))
    quantity = models.PositiveIntegerField(
        _("aantal"),
        default=1,
        help_text=_("Bijvoorbeeld het aantal stageplaatsen of gastlessen; meestal 1."),
    )
    note = SingleLineCharField(_("toelichting"), max_length=300, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bijdrage van een bedrijf")
        verbose_name_plural = _("bijdragen van bedrijven")
        ordering = ["-date", "company"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1),
                name="contribution_quantity_positive",
                violation_error_message=_("Het aantal is minstens 1."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.company}"
