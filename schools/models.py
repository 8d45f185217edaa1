import secrets

from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.images import PrivateImageField, image_has_alt, validate_image_file
from campaign.models import Photo, Storyline, StorylineLinkedQuerySet, Video
from campaign.plaintext import SingleLineCharField
from campaign.publishing import (
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    is_public_now,
    published_through,
    unpublish_at_field,
    validate_publication_window,
)
from campaign.richtext import RichTextField


def new_submission_token() -> str:
    return secrets.token_urlsafe(32)


class SchoolQuerySet(StorylineLinkedQuerySet):
    def for_card(self):
        """What ``schools/includes/school_card.html`` shows besides the school's own fields."""
        return self.with_public_storylines().with_next_open_days()

    def with_next_open_days(self):
        """``next_open_days``: the school's upcoming open days (a card shows the first)."""
        return self.prefetch_related(
            Prefetch("open_days", queryset=OpenDay.objects.upcoming(), to_attr="next_open_days")
        )

    def with_news_between(self, start, end):
        """``news_published``: the school's news published in [start, end).

        The one rule for a school's news airtime: the moderation queue and the airtime ledger
        (events/airtime.py) both count with it.
        """
        return self.annotate(
            news_published=Count(
                "news_items",
                filter=Q(
                    news_items__status=NewsItem.Status.PUBLISHED,
                    news_items__published_at__gte=start,
                    news_items__published_at__lt=end,
                ),
                distinct=True,
            )
        )


class School(Publishable):
    """A partner vmbo school."""

    class Profile(models.TextChoices):
        TECHNICAL = "technical", _("Technisch")
        BROAD = "broad", _("Breed (niet-technisch)")
        GREEN = "green", _("Groen")

    name = SingleLineCharField(_("naam"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    profile = models.CharField(_("profiel"), max_length=20, choices=Profile.choices)
    summary = SingleLineCharField(
        _("korte typering"), max_length=240, blank=True, help_text=_("Eén zin voor in lijsten.")
    )
    description = RichTextField(_("beschrijving"), blank=True)
    learning_paths = SingleLineCharField(
        _("leerwegen"),
        max_length=160,
        blank=True,
        help_text=_("Bijvoorbeeld: basis, kader, gemengd."),
    )
    street_address = SingleLineCharField(_("adres"), max_length=160)
    postal_code = SingleLineCharField(_("postcode"), max_length=10)
    town = SingleLineCharField(_("plaats"), max_length=80)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = SingleLineCharField(_("telefoon"), max_length=30, blank=True)
    logo = PrivateImageField(
        _("logo"), upload_to="schools/logos/", blank=True, validators=[validate_image_file]
    )
    photo = PrivateImageField(
        _("foto"), upload_to="schools/photos/", blank=True, validators=[validate_image_file]
    )
    photo_alt = SingleLineCharField(_("alt-tekst foto"), max_length=200, blank=True)
    storylines = models.ManyToManyField(
        Storyline, related_name="schools", blank=True, verbose_name=_("verhaallijnen")
    )
    # Which films show the school: its airtime is counted over them. The link is held here
    # because campaign may not import schools.
    videos = models.ManyToManyField(
        Video,
        related_name="schools",
        blank=True,
        verbose_name=_("in beeld in video's"),
        help_text=_("De video's en animaties waarin de school te zien is."),
    )
    contact_name = SingleLineCharField(_("contactpersoon"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    submission_token = SingleLineCharField(
        _("geheime code voor nieuws insturen"),
        max_length=64,
        unique=True,
        default=new_submission_token,
        editable=False,
    )
    submission_token_renewed_at = models.DateTimeField(
        _("code vernieuwd op"), default=timezone.now, editable=False
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]
        constraints = [
            image_has_alt(
                "photo",
                "photo_alt",
                name="school_photo_has_alt",
                message=_("Geef een alt-tekst bij de foto."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schools:school-detail", kwargs={"slug": self.slug})

    @property
    def postal_address(self) -> str:
        """Street, postcode and town on one line, as on an envelope, a calendar or a map."""
        return f"{self.street_address}, {self.postal_code} {self.town}"

    def schema_address(self) -> dict:
        """The address as schema.org's ``PostalAddress``, for the JSON-LD of pages."""
        return {
            "@type": "PostalAddress",
            "streetAddress": self.street_address,
            "postalCode": self.postal_code,
            "addressLocality": self.town,
            "addressCountry": "NL",
        }

    def renew_submission_token(self) -> None:
        self.submission_token = new_submission_token()
        self.submission_token_renewed_at = timezone.now()


class OpenDayQuerySet(models.QuerySet):
    def upcoming(self):
        """Open days not yet over, soonest first."""
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def public(self):
        """Open days of published schools."""
        return self.filter(published_through("school"))


class OpenDay(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="open_days", verbose_name=_("school")
    )
    title = SingleLineCharField(_("titel"), max_length=120, default=_("Open dag"))
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    description = SingleLineCharField(_("toelichting"), max_length=300, blank=True)
    signup_url = models.URLField(_("aanmeldlink"), blank=True)

    objects = OpenDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("open dag")
        verbose_name_plural = _("open dagen")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="open_day_ends_after_start",
                violation_error_message=_("Het einde moet na het begin liggen."),
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.school}"


class NewsItemQuerySet(PublishableQuerySet):
    def pending(self):
        return self.filter(status=NewsItem.Status.SUBMITTED).order_by("created_at")

    def for_listing(self):
        return self.select_related("school")

    def public(self, *, previewing: str = ""):
        """Published news of a published school, or regional news without a school; newest first.

        ``previewing="school"``: on the page of a school being previewed, its published news
        shows as it will once the school is public.
        """
        news = self.published()
        if previewing != "school":
            news = news.filter(Q(school__isnull=True) | published_through("school"))
        return news.for_listing().order_by("-published_at", "-pk")

    def taking_turns(self, limit: int):
        """The newest ``limit`` items, schools taking turns: every school's newest item, then
        every second-newest... One school that posts a lot cannot fill a page; regional news
        takes its turn like a school. One query: a window function numbers each school's items.
        """
        turns = self.annotate(
            turn=Window(
                RowNumber(),
                partition_by=[F("school_id")],
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        return turns.filter(turn__lte=limit).order_by("turn", "-published_at", "-pk")[:limit]

    def with_photo_consent(self):
        """Who declared the parents' consent for the item's photo (the photo register)."""
        return self.annotate(
            photo_consent_by=Subquery(
                Photo.objects.filter(file=OuterRef("image")).values("consent_declared_by")[:1]
            )
        )


class NewsItem(models.Model):
    """School news (or regional news without a school), moderated before it is public."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        SUBMITTED = "submitted", _("Ingestuurd")
        PUBLISHED = PublicationStatus.PUBLISHED.value, _("Gepubliceerd")
        REJECTED = "rejected", _("Afgewezen")

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_items",
        verbose_name=_("school"),
        help_text=_("Leeg laten voor regionaal nieuws."),
    )
    title = SingleLineCharField(_("titel"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    summary = SingleLineCharField(_("samenvatting"), max_length=300, blank=True)
    body = RichTextField(_("tekst"))
    image = PrivateImageField(
        _("afbeelding"), upload_to="news/", blank=True, validators=[validate_image_file]
    )
    image_alt = SingleLineCharField(_("alt-tekst afbeelding"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)
    submitter_name = SingleLineCharField(_("naam inzender"), max_length=120, blank=True)
    submitter_email = models.EmailField(_("e-mail inzender"), blank=True)
    published_at = models.DateTimeField(_("publicatiedatum"), null=True, blank=True, db_index=True)
    unpublish_at = unpublish_at_field()
    created_at = models.DateTimeField(_("ingestuurd op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("nieuwsbericht")
        verbose_name_plural = _("nieuwsberichten")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="news_published_has_date",
                violation_error_message=_(
                    "Een gepubliceerd bericht heeft een publicatiedatum nodig."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="news_rejected_has_reason",
                violation_error_message=_("Geef een reden bij een afwijzing."),
            ),
            image_has_alt(
                "image",
                "image_alt",
                name="news_image_has_alt",
                message=_("Geef een alt-tekst bij de afbeelding."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("schools:news-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return is_public_now(self)

    def clean(self):
        super().clean()
        validate_publication_window(self)
