import datetime as dt
import re
import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from campaign.images import (
    PrivateImageField,
    image_has_alt,
    validate_captions_file,
    validate_image_file,
    validate_video_file,
)
from campaign.plaintext import SingleLineCharField
from campaign.publishing import (
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    published_through,
)
from campaign.richtext import RichTextField
from campaign.sites import admin_segment, url_prefix_of

hex_color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Gebruik een kleurcode als #1A2B3C."))


# On a storyline's page, ?film=<pk> shows a film that is not public yet to those who may
# preview it.
FILM_PARAM = "film"
# On the home page, ?campagne=<pk> shows a campaign that is not the public one to those who
# may preview it.
CAMPAIGN_PARAM = "campagne"


class Audience(models.TextChoices):
    PUPIL = "pupil", _("Leerlingen")
    PARENT = "parent", _("Ouders")
    SCHOOL = "school", _("Scholen")
    COMPANY = "company", _("Bedrijven")


class CampaignQuerySet(PublishableQuerySet):
    def primary(self):
        """The campaign served at ``/``: the one marked primary, when the public may see it."""
        return self.published().filter(is_primary=True).first()


# First path segments of the primary campaign's URL space (and of what every campaign
# shares): no campaign may take one as its slug, so /<campaign-slug>/... never shadows them.
RESERVED_SLUGS = frozenset(
    {
        "bedrijven",
        "beheer",
        "beheer-deelbeeld",
        "deelbeeld",
        "deze-week",
        "gezond",
        "masterclasses",
        "media",
        "nieuws",
        "open-dagen",
        "robots.txt",
        "scholen",
        "sitemap.xml",
        "static",
        "thema.css",
        "verhaallijnen",
        "voor-bedrijven",
        "voor-ouders",
        "voor-scholen",
        "zoeken",
    }
)


def validate_campaign_slug(value):
    if value in RESERVED_SLUGS or value == admin_segment():
        raise ValidationError(
            _("“%(slug)s” is al een adres van de website; kies een andere slug."),
            params={"slug": value},
        )


class Campaign(Publishable):
    """A campaign: its own landing page, storylines, agenda, colours and URL space.

    The primary campaign is served at ``/``; every other published one under
    ``/<slug>/``. A campaign in draft is seen only by coordinators (preview).
    """

    name = SingleLineCharField(_("naam"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        validators=[validate_campaign_slug],
        help_text=_("Het adres van de campagne als zij niet de hoofdcampagne is: /slug/."),
    )
    is_primary = models.BooleanField(
        _("hoofdcampagne"),
        default=False,
        help_text=_(
            "De hoofdcampagne staat op de homepagina (/); andere campagnes hebben een eigen "
            "adres. Er is precies één hoofdcampagne."
        ),
    )
    tagline = SingleLineCharField(_("slogan"), max_length=200, blank=True)
    intro = models.TextField(
        _("introductie"), blank=True, help_text=_("Korte tekst voor de homepagina.")
    )
    logo = PrivateImageField(
        _("logo"), upload_to="campaigns/", blank=True, validators=[validate_image_file]
    )
    hero_image = PrivateImageField(
        _("hoofdafbeelding"), upload_to="campaigns/", blank=True, validators=[validate_image_file]
    )
    hero_image_alt = SingleLineCharField(_("alt-tekst hoofdafbeelding"), max_length=200, blank=True)
    primary_color = SingleLineCharField(
        _("hoofdkleur"), max_length=7, default="#E6007E", validators=[hex_color_validator]
    )
    secondary_color = SingleLineCharField(
        _("tweede kleur"), max_length=7, default="#00A3E0", validators=[hex_color_validator]
    )
    tiktok_url = models.URLField(_("TikTok"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-is_primary", "name"]
        constraints = [
            image_has_alt(
                "hero_image",
                "hero_image_alt",
                name="campaign_hero_image_has_alt",
                message=_("Geef een alt-tekst bij de hoofdafbeelding."),
            ),
            models.UniqueConstraint(
                fields=["is_primary"],
                condition=Q(is_primary=True),
                name="one_primary_campaign",
                violation_error_message=_(
                    "Er is al een hoofdcampagne. Zet die eerst uit voordat u deze "
                    "campagne hoofdcampagne maakt."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # /<slug>/ is this campaign's landing page: a free page there would be hidden.
        if self.slug and Page.objects.filter(slug=self.slug).exists():
            raise ValidationError(
                {"slug": _("Een pagina heeft al dit adres; kies een andere slug.")}
            )

    @property
    def url_prefix(self) -> str:
        """The campaign's own URL space: empty for the primary one."""
        return "" if self.is_primary else self.slug

    def get_absolute_url(self):
        if not self.is_primary:
            return campaign_reverse("home", self.slug)
        # A primary campaign not public yet: the parameter lets a coordinator preview it.
        if self.is_public:
            return reverse("home")
        return f"{reverse('home')}?{urlencode({CAMPAIGN_PARAM: self.pk})}"


def campaign_reverse(viewname: str, campaign_prefix: str = "", kwargs=None) -> str:
    """``reverse`` within a campaign's URL space: ``/<prefix>/...`` for a campaign that is
    not the primary one."""
    kwargs = dict(kwargs or {})
    if campaign_prefix:
        if viewname == "home":
            # Every campaign's home page is the site's home page, at its own address.
            viewname = "campaign:landing"
        kwargs["campaign_slug"] = campaign_prefix
    return reverse(viewname, kwargs=kwargs)


class StorylineQuerySet(PublishableQuerySet):
    def published(self):
        """Published storylines of a public campaign: a campaign in preview shows nowhere."""
        return super().published().filter(published_through("campaign"))

    def listed(self, campaign):
        """The published storylines of ``campaign`` (of every public campaign without one).
        A campaign that is not public is only ever a request's campaign in a preview: its
        storylines show as they will once it is published."""
        if campaign is None:
            return self.published()
        return super().published().filter(campaign=campaign)

    def of_campaign(self, campaign):
        """The storylines of ``campaign``; all of them when there is no (active) campaign."""
        return self if campaign is None else self.filter(campaign=campaign)


class Storyline(Publishable):
    class Icon(models.TextChoices):
        """Icons shipped with the site (static/img/icons/<value>.svg): no emoji font needed."""

        WRENCH = "wrench", _("Moersleutel")
        HEART_PULSE = "heart-pulse", _("Hart met hartslag")
        ROBOT = "robot", _("Robot")
        LEAF = "leaf", _("Blad")
        ANCHOR = "anchor", _("Anker")
        BOLT = "bolt", _("Bliksem")
        GEAR = "gear", _("Tandwiel")
        LAPTOP = "laptop", _("Laptop")
        CAR = "car", _("Auto")
        FLASK = "flask", _("Reageerbuis")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="storylines", verbose_name=_("campagne")
    )
    title = SingleLineCharField(_("titel"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    icon = models.CharField(_("icoon"), max_length=20, choices=Icon.choices, default=Icon.GEAR)
    color = SingleLineCharField(
        _("kleur"), max_length=7, default="#E6007E", validators=[hex_color_validator]
    )
    pupil_text = models.TextField(
        _("korte tekst voor leerlingen"),
        max_length=400,
        help_text=_("Eén of twee zinnen, zonder vakjargon."),
    )
    hero_image = PrivateImageField(
        _("hoofdafbeelding"), upload_to="storylines/", blank=True, validators=[validate_image_file]
    )
    hero_image_alt = SingleLineCharField(_("alt-tekst hoofdafbeelding"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = StorylineQuerySet.as_manager()

    class Meta:
        verbose_name = _("verhaallijn")
        verbose_name_plural = _("verhaallijnen")
        ordering = ["order", "title"]
        constraints = [
            image_has_alt(
                "hero_image",
                "hero_image_alt",
                name="storyline_hero_image_has_alt",
                message=_("Geef een alt-tekst bij de hoofdafbeelding."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return campaign_reverse(
            "campaign:storyline-detail", url_prefix_of(self), {"slug": self.slug}
        )

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:  # the publication dates: shown together with ours
            errors = error.update_error_dict(errors)
        # Without a picture a published storyline is an empty white card on every list.
        if self.status == PublicationStatus.PUBLISHED and not self.hero_image:
            errors.setdefault("hero_image", []).append(
                _(
                    "Een gepubliceerde verhaallijn heeft een hoofdafbeelding nodig. "
                    "Voeg er een toe, of bewaar de verhaallijn als concept."
                )
            )
        if errors:
            raise ValidationError(errors)


class StorylineLinkedQuerySet(PublishableQuerySet):
    """Rows that name the storylines they fit in a ``storylines`` field (schools, companies)."""

    def with_public_storylines(self):
        """``public_storylines``: the row's published storylines, for its card."""
        return self.prefetch_related(
            Prefetch(
                "storylines", queryset=Storyline.objects.published(), to_attr="public_storylines"
            )
        )


class AudienceMessageQuerySet(models.QuerySet):
    def for_audience(self, audience, storylines):
        """The message of each of ``storylines`` for one audience, in storyline order."""
        return (
            self.filter(audience=audience, storyline__in=storylines)
            .select_related("storyline")
            .order_by("storyline__order", "storyline__title")
        )


class AudienceMessage(models.Model):
    """What one storyline says to one audience: the same story, told for pupil, parent, school or company."""

    storyline = models.ForeignKey(
        Storyline, on_delete=models.CASCADE, related_name="messages", verbose_name=_("verhaallijn")
    )
    audience = models.CharField(_("doelgroep"), max_length=20, choices=Audience.choices)
    headline = SingleLineCharField(_("kop"), max_length=160)
    body = RichTextField(_("tekst"))
    cta_label = SingleLineCharField(_("tekst van de knop"), max_length=80, blank=True)
    cta_url = SingleLineCharField(
        _("link van de knop"),
        max_length=300,
        blank=True,
        help_text=_("Een volledige URL of een pad op deze site, zoals /masterclasses/."),
        validators=[
            RegexValidator(
                r"^(https?://|/)", _("Begin met https:// of met / voor een pagina op deze site.")
            )
        ],
    )

    objects = AudienceMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("boodschap per doelgroep")
        verbose_name_plural = _("boodschappen per doelgroep")
        ordering = ["storyline", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["storyline", "audience"],
                name="unique_message_per_storyline_audience",
                violation_error_message=_(
                    "Deze verhaallijn heeft al een boodschap voor deze doelgroep."
                ),
            ),
            models.CheckConstraint(
                condition=Q(cta_label="") | ~Q(cta_url=""),
                name="message_cta_label_has_url",
                violation_error_message=_("Een knop heeft ook een link nodig."),
            ),
            # The link ends up in an href: never a javascript: or data: URL, however it is stored.
            models.CheckConstraint(
                condition=Q(cta_url="") | Q(cta_url__regex=r"^(https?://|/)"),
                name="message_cta_url_is_web_or_local",
                violation_error_message=_(
                    "Begin met https:// of met / voor een pagina op deze site."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.storyline} — {self.get_audience_display()}"


class VideoQuerySet(PublishableQuerySet):
    def public(self):
        """Published films, without those of a storyline still in draft (they would lead there)."""
        return self.published().filter(published_through("campaign")).filter(self._storyline_rule())

    def listed(self, campaign):
        """The public films of ``campaign``; as ``StorylineQuerySet.listed``."""
        if campaign is None:
            return self.public()
        return self.published().filter(self._storyline_rule(), campaign=campaign)

    @staticmethod
    def _storyline_rule():
        # A film of a storyline still in draft would lead there.
        return Q(storyline__isnull=True) | published_through("storyline")

    def of_campaign(self, campaign):
        """The films of ``campaign``; all of them when there is no (active) campaign."""
        return self if campaign is None else self.filter(campaign=campaign)


class Video(Publishable):
    """An animation or film: an uploaded file with a poster, or an external video loaded on click."""

    class Kind(models.TextChoices):
        ANIMATION = "animation", _("Animatie")
        FILM = "film", _("Film")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="videos", verbose_name=_("campagne")
    )
    storyline = models.ForeignKey(
        Storyline,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="videos",
        verbose_name=_("verhaallijn"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.ANIMATION)
    title = SingleLineCharField(_("titel"), max_length=160)
    description = models.TextField(_("beschrijving"), blank=True, max_length=600)
    video_file = models.FileField(
        _("videobestand"),
        upload_to="videos/",
        blank=True,
        validators=[FileExtensionValidator(["mp4", "webm"]), validate_video_file],
        help_text=_("MP4 of WebM. Of vul hieronder een externe video in."),
    )
    external_url = models.URLField(
        _("externe video"),
        blank=True,
        help_text=_("Link naar YouTube, Vimeo of TikTok. Laadt pas na een klik (privacy)."),
    )
    poster = PrivateImageField(
        _("posterafbeelding"),
        upload_to="videos/posters/",
        blank=True,
        validators=[validate_image_file],
    )
    poster_alt = SingleLineCharField(_("alt-tekst poster"), max_length=200, blank=True)
    captions = models.FileField(
        _("ondertitels (WebVTT)"),
        upload_to="videos/captions/",
        blank=True,
        validators=[FileExtensionValidator(["vtt"]), validate_captions_file],
    )
    transcript = models.TextField(_("transcript"), blank=True)
    duration_seconds = models.PositiveIntegerField(_("duur in seconden"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = VideoQuerySet.as_manager()

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("video's en animaties")
        ordering = ["order", "-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(video_file="") & ~Q(external_url=""))
                | (~Q(video_file="") & Q(external_url="")),
                name="video_has_exactly_one_source",
                violation_error_message=_(
                    "Upload een videobestand óf geef een externe link, niet allebei of geen van beide."
                ),
            ),
            image_has_alt(
                "poster",
                "poster_alt",
                name="video_poster_has_alt",
                message=_("Geef een alt-tekst bij de poster."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def has_preview_page(self) -> bool:
        return self.storyline_id is not None

    def get_absolute_url(self):
        """Where the film is shown: on its storyline's page (``?film=`` previews it there
        before it is public); a film without a storyline is on the home page."""
        if self.storyline_id is None:
            return campaign_reverse("home", url_prefix_of(self))
        return f"{self.storyline.get_absolute_url()}?{urlencode({FILM_PARAM: self.pk})}"


class PageQuerySet(PublishableQuerySet):
    def published(self):
        """Published pages that belong to no campaign or to a public one."""
        return super().published().filter(Q(campaign__isnull=True) | published_through("campaign"))

    def of_campaign(self, campaign):
        """The pages of ``campaign``'s URL space: the primary one also has the shared pages."""
        if campaign is None or campaign.is_primary:
            return self.filter(Q(campaign__isnull=True) | Q(campaign__is_primary=True))
        return self.filter(campaign=campaign)


class Page(Publishable):
    """A free page: for parents, schools or companies, privacy, accessibility."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="pages",
        null=True,
        blank=True,
        verbose_name=_("campagne"),
    )
    title = SingleLineCharField(_("titel"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    audience = models.CharField(_("doelgroep"), max_length=20, choices=Audience.choices, blank=True)
    intro = models.TextField(_("introductie"), blank=True, max_length=600)
    body = RichTextField(_("tekst"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("pagina")
        verbose_name_plural = _("pagina's")
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return campaign_reverse("campaign:page-detail", url_prefix_of(self), {"slug": self.slug})

    def clean(self):
        super().clean()
        # /<slug>/ is a campaign's landing page before it is a free page.
        if self.slug and Campaign.objects.filter(slug=self.slug).exists():
            raise ValidationError(
                {"slug": _("Een campagne heeft al dit adres; kies een andere slug.")}
            )


# The channels' own limits (captions), and how many hashtags still read well per channel.
SOCIAL_TEXT_LIMITS = {"linkedin": 3000, "instagram": 2200, "tiktok": 2200}
SOCIAL_HASHTAG_LIMITS = {"linkedin": 5, "instagram": 30, "tiktok": 10}
# Pupils' channels are video or image first: a caption alone is not a post there.
SOCIAL_CHANNELS_NEEDING_MEDIA = {"instagram", "tiktok"}
HASHTAG = re.compile(r"(?<![\w#])#\w+")


def monday_of(day):
    """The Monday of the ISO week a date falls in: how the social calendar names a week."""
    return day - dt.timedelta(days=day.weekday())


def validate_featured(value):
    """Featured rows are stored as ["app_label.model", pk] pairs."""
    if not isinstance(value, list) or not all(
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], str)
        and isinstance(item[1], int)
        for item in value
    ):
        raise ValidationError(_("Ongeldige lijst van scholen en bedrijven in beeld."))


class SocialPostQuerySet(models.QuerySet):
    def posted_between(self, start, end):
        """Posts that went out in [start, end) with the address of the real post; oldest first."""
        return (
            self.filter(status=SocialPost.Status.POSTED, posted_at__gte=start, posted_at__lt=end)
            .exclude(posted_url="")
            .order_by("posted_at", "pk")
        )


class SocialPost(models.Model):
    """A draft for social media: one story, many forms (TikTok, Instagram, LinkedIn)."""

    class Channel(models.TextChoices):
        TIKTOK = "tiktok", _("TikTok")
        INSTAGRAM = "instagram", _("Instagram")
        LINKEDIN = "linkedin", _("LinkedIn")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        READY = "ready", _("Klaar")
        POSTED = "posted", _("Geplaatst")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="social_posts", verbose_name=_("campagne")
    )
    storyline = models.ForeignKey(
        Storyline,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_posts",
        verbose_name=_("verhaallijn"),
    )
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    audience = models.CharField(_("doelgroep"), max_length=20, choices=Audience.choices)
    title = SingleLineCharField(_("werktitel"), max_length=160)
    text = models.TextField(_("tekst"), max_length=3000)
    link_url = models.URLField(_("link"), blank=True)
    image = PrivateImageField(
        _("afbeelding"), upload_to="social/", blank=True, validators=[validate_image_file]
    )
    image_alt = SingleLineCharField(_("alt-tekst afbeelding"), max_length=200, blank=True)
    video_url = models.URLField(_("video (link)"), blank=True)
    # The story a draft was made from: a news item, session or round lives in an app that
    # campaign may not import, so the link is generic.
    story_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("soort verhaal"),
    )
    story_id = models.PositiveBigIntegerField(_("verhaal-id"), null=True, blank=True)
    story = GenericForeignKey("story_type", "story_id")
    planned_week = models.DateField(
        _("geplande week"),
        null=True,
        blank=True,
        help_text=_("De maandag van de week waarin het bericht geplaatst wordt."),
    )
    planned_for = models.DateTimeField(_("gepland op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    posted_at = models.DateTimeField(_("geplaatst op"), null=True, blank=True)
    posted_url = models.URLField(_("link naar het geplaatste bericht"), max_length=500, blank=True)
    # The schools and companies the post puts in the picture, as ["app_label.model", pk]
    # pairs: airtime is counted over them, and campaign may not hold foreign keys to
    # schools or companies. The drafting service fills it from the story.
    featured = models.JSONField(
        _("in beeld"), default=list, blank=True, validators=[validate_featured]
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    objects = SocialPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("social-mediabericht")
        verbose_name_plural = _("social-mediaberichten")
        ordering = ["planned_week", "planned_for", "-created_at"]
        indexes = [models.Index(fields=["story_type", "story_id"], name="socialpost_story")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="posted") | ~Q(posted_url=""),
                name="socialpost_posted_has_url",
                violation_error_message=_(
                    "Geef de link naar het geplaatste bericht als het geplaatst is."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.title}"

    def clean(self):
        super().clean()
        if self.planned_week and self.planned_week.isoweekday() != 1:
            # The calendar groups posts by their week's Monday; any other day would
            # fall outside every cell.
            raise ValidationError(
                {"planned_week": _("Kies de maandag van de week waarin het bericht gepland is.")}
            )
        errors = self.channel_problems()
        if errors:
            raise ValidationError(errors)

    def channel_problems(self) -> dict[str, list]:
        """What breaks the channel's rules; media are needed only from "klaar" on, so a
        draft can be saved before its picture exists."""
        problems: dict[str, list] = {}
        limit = SOCIAL_TEXT_LIMITS.get(self.channel)
        if limit and len(self.text) > limit:
            problems.setdefault("text", []).append(
                _("%(channel)s staat hooguit %(limit)d tekens toe; dit zijn er %(count)d.")
                % {"channel": self.get_channel_display(), "limit": limit, "count": len(self.text)}
            )
        max_tags = SOCIAL_HASHTAG_LIMITS.get(self.channel)
        tags = len(HASHTAG.findall(self.text))
        if max_tags is not None and tags > max_tags:
            problems.setdefault("text", []).append(
                _("%(channel)s: gebruik hooguit %(limit)d hashtags; dit zijn er %(count)d.")
                % {"channel": self.get_channel_display(), "limit": max_tags, "count": tags}
            )
        if self.image and not self.image_alt.strip():
            problems.setdefault("image_alt", []).append(_("Geef een alt-tekst bij de afbeelding."))
        if (
            self.status != self.Status.PLANNED
            and self.channel in SOCIAL_CHANNELS_NEEDING_MEDIA
            and not (self.image or self.video_url)
        ):
            problems.setdefault("image", []).append(
                _("%(channel)s heeft een afbeelding of video nodig voordat het bericht klaar is.")
                % {"channel": self.get_channel_display()}
            )
        return problems


class OutgoingEmailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=OutgoingEmail.Status.FAILED)


class OutgoingEmail(models.Model):
    """One queued e-mail: makes its delivery idempotent and a failure visible to coordinators.

    The message itself travels in the task's arguments; this row records what became of
    it. The worker marks it sent right after the mail server accepted it, and checks
    that mark before sending, so a task run again after a crash does not send twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RETRYING = "retrying", _("Wordt opnieuw geprobeerd")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Mislukt")

    id = models.UUIDField(_("kenmerk"), primary_key=True, default=uuid.uuid4, editable=False)
    recipients = models.TextField(_("aan"))
    subject = models.TextField(_("onderwerp"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    queued_at = models.DateTimeField(_("in de wachtrij sinds"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    failed_at = models.DateTimeField(_("mislukt op"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["-queued_at"]

    def __str__(self):
        return f"{self.subject} → {self.recipients}"


class PhotoQuerySet(models.QuerySet):
    def in_use(self):
        return self.filter(withdrawn_at__isnull=True)


class Photo(models.Model):
    """The register of stored images: consent for pupils on them, where each is used, withdrawal.

    A row is made when an image field stores a file (campaign.images.PrivateImageField).
    """

    file = models.FileField(_("bestand"), max_length=255, unique=True, editable=False)
    shows_pupils = models.BooleanField(
        _("staan er leerlingen op?"),
        null=True,
        blank=True,
        help_text=_("Herkenbare kinderen of jongeren op de foto. Leeg: nog niet bekeken."),
    )
    consent_declared_by = SingleLineCharField(
        _("toestemming ouders verklaard door"),
        max_length=250,
        blank=True,
        help_text=_("Wie verklaarde dat de ouders toestemming gaven voor publicatie."),
    )
    consent_declared_at = models.DateTimeField(_("toestemming verklaard op"), null=True, blank=True)
    usages = models.JSONField(
        _("gebruikt in"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Waar de foto stond toen hij werd ingetrokken."),
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True, editable=False)
    withdrawn_by = SingleLineCharField(
        _("ingetrokken door"), max_length=150, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("opgeslagen op"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_declared_by="", consent_declared_at__isnull=True)
                | (~Q(consent_declared_by="") & Q(consent_declared_at__isnull=False)),
                name="photo_consent_has_declarer_and_date",
                violation_error_message=_(
                    "Vul bij toestemming zowel in wie die verklaarde als wanneer."
                ),
            ),
        ]

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def find_usages(self) -> list[dict]:
        """Every row and field that shows this file now (one query per image field)."""
        return find_usages([self.file.name]).get(self.file.name, [])


def find_usages(names) -> dict[str, list[dict]]:
    """Where each of the stored file ``names`` is used: one query per image field."""
    from campaign.images import private_image_fields, registered_rows

    names = [name for name in names if name]
    found: dict[str, list[dict]] = {}
    if not names:
        return found
    for field in private_image_fields():
        model = field.model
        rows = registered_rows(field).filter(**{f"{field.name}__in": names})
        for row in rows:
            found.setdefault(getattr(row, field.attname).name, []).append(
                {
                    "model": str(model._meta.verbose_name),  # field registry
                    "field": str(field.verbose_name),
                    "app_label": model._meta.app_label,  # field registry
                    "model_name": model._meta.model_name,  # field registry
                    "pk": row.pk,
                    "field_name": field.name,
                    "object": str(row),
                }
            )
    return found


# The region lives in its own module; importing it here registers its models with the app.
from campaign.region import Region, RegionContact, RegionPartner  # noqa: E402, F401
