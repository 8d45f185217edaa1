"""The region an installation serves: its name, partnership, partners, contacts and statements.

One row, filled in by the coordinators in the admin; until then the settings
(``REGION_*``) give the defaults. Nothing else in the code or the templates names a
region, so another region of the programme runs its own installation by changing data.
"""

import json
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Cast, JSONObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaign.content_version import versioned
from campaign.images import PrivateImageField, validate_image_file
from campaign.plaintext import SingleLineCharField

_UNSET = object()
STATEMENTS = ("privacy_page", "accessibility_page")


def _rows_of(model, fields: list[str]) -> Subquery:
    """The region's rows of ``model`` as one text of JSON objects, joined by commas."""
    rows = (
        model.objects.filter(region=OuterRef("pk"))
        .order_by()
        .values("region")
        .annotate(
            rows=models.StringAgg(
                Cast(JSONObject(**{field: field for field in fields}), models.TextField()),
                delimiter=Value(","),
            )
        )
        .values("rows")
    )
    return Subquery(rows, output_field=models.TextField())


def _from_rows(model, text: str | None) -> list:
    """Unsaved instances of ``model`` from the text of ``_rows_of``, in their order."""
    rows = json.loads(f"[{text}]") if text else []
    return sorted((model(**row) for row in rows), key=lambda row: (row.order, row.name))


class RegionQuerySet(models.QuerySet):
    def for_site(self):
        """The region with its statement pages, partners and contacts: one query.

        Every public page shows the region in its footer, so its partners and contacts
        come along inside the region's own row (as JSON) instead of two more queries.
        """
        return (
            self.select_related("privacy_page", "accessibility_page")
            .defer(*(f"{page}__{field}" for page in STATEMENTS for field in ("intro", "body")))
            .annotate(
                partner_rows=_rows_of(RegionPartner, ["name", "url", "logo", "order"]),
                contact_rows=_rows_of(RegionContact, ["name", "role", "email", "phone", "order"]),
            )
        )

    def current(self) -> "Region":
        """The region of this installation, or the defaults from settings when not filled in."""
        region = self.for_site().first()
        return region if region is not None else Region.from_settings()


class Region(models.Model):
    # One row per installation: the admin offers "add" only while there is none.
    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = SingleLineCharField(
        _("naam van de regio"),
        max_length=120,
        help_text=_("Zoals bezoekers hem kennen, bijvoorbeeld ‘Regio Zuidwoud’."),
    )
    partnership_name = SingleLineCharField(
        _("naam van het samenwerkingsverband"), max_length=160, blank=True
    )
    partnership_description = models.TextField(
        _("korte beschrijving"),
        max_length=400,
        blank=True,
        help_text=_("Eén of twee zinnen onder aan elke pagina: wie werken er samen, en waarom?"),
    )
    programme_name = SingleLineCharField(
        _("landelijk programma"),
        max_length=120,
        blank=True,
        help_text=_("Het programma waar de samenwerking onderdeel van is."),
    )
    programme_url = models.URLField(_("website van het programma"), blank=True)
    privacy_page = models.ForeignKey(
        "campaign.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"campaign__isnull": True},
        verbose_name=_("privacyverklaring"),
        help_text=_("Een pagina zonder campagne; onder aan elke pagina en bij elk formulier."),
    )
    accessibility_page = models.ForeignKey(
        "campaign.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"campaign__isnull": True},
        verbose_name=_("toegankelijkheidsverklaring"),
        help_text=_("Een pagina zonder campagne; onder aan elke pagina."),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True),
                name="region_is_one_row",
                violation_error_message=_("Er is maar één regio per installatie."),
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def from_settings(cls) -> "Region":
        """An unsaved region with the defaults of the settings: before coordinators fill it in."""
        return cls(
            name=settings.REGION_NAME or gettext("de regio"),
            partnership_name=settings.REGION_PARTNERSHIP_NAME,
            programme_name=settings.REGION_PROGRAMME_NAME,
            programme_url=settings.REGION_PROGRAMME_URL,
        )

    @cached_property
    def footer_partners(self) -> list["RegionPartner"]:
        """The footer partners, in their order (from ``for_site()``; none on a new region)."""
        return _from_rows(RegionPartner, getattr(self, "partner_rows", None))

    @cached_property
    def public_contacts(self) -> list["RegionContact"]:
        """The coordinators visitors may write to, in their order."""
        return _from_rows(RegionContact, getattr(self, "contact_rows", None))

    @property
    def contact_email(self) -> str:
        """The e-mail address of the first contact that has one, or nothing."""
        return next((contact.email for contact in self.public_contacts if contact.email), "")

    @property
    def privacy_url(self) -> str:
        return _public_url(self.privacy_page if self.privacy_page_id else None)

    @property
    def accessibility_url(self) -> str:
        return _public_url(self.accessibility_page if self.accessibility_page_id else None)


def _public_url(page) -> str:
    """A statement page's address, or nothing while it is missing or not published."""
    return page.get_absolute_url() if page is not None and page.is_public else ""


class RegionPartner(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="partners", verbose_name=_("regio")
    )
    name = SingleLineCharField(_("naam"), max_length=160)
    url = models.URLField(_("website"), blank=True)
    logo = PrivateImageField(
        _("logo"), upload_to="partners/", blank=True, validators=[validate_image_file]
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners (onder aan elke pagina)")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class RegionContact(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("regio")
    )
    name = SingleLineCharField(_("naam"), max_length=120)
    role = SingleLineCharField(
        _("rol"), max_length=120, blank=True, help_text=_("Bijvoorbeeld ‘coördinator’.")
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = SingleLineCharField(_("telefoon"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(
        _("volgorde"),
        default=0,
        help_text=_("De eerste met een e-mailadres krijgt de vragen van bezoekers."),
    )

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


def get_region(request=None) -> Region:
    """The region, kept on the request and in the shared cache for the content version:
    read once after each content write (see ``campaign.content_version``)."""
    cached = getattr(request, "_region", _UNSET) if request is not None else _UNSET
    if cached is not _UNSET:
        return cached
    region = versioned("region", Region.objects.current)
    if request is not None:
        request._region = region
    return region
