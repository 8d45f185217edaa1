import datetime as dt
import secrets

from django.db import models
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, Storyline, campaign_reverse
from campaign.plaintext import SingleLineCharField
from campaign.publishing import (
    Publishable,
    PublishableQuerySet,
    published_through,
)
from campaign.richtext import RichTextField
from campaign.sites import url_prefix_of
from companies.models import Company
from schools.models import School


def new_cancel_token() -> str:
    return secrets.token_urlsafe(32)


# On the page for schools, ?ronde=<pk> shows a round that is not public yet to those who
# may preview it.
ROUND_PARAM = "ronde"


class RoundQuerySet(PublishableQuerySet):
    def published(self):
        """Published rounds of a public campaign (or of none)."""
        return super().published().filter(of_public_campaign("campaign"))

    def of_campaign(self, campaign):
        """The rounds of ``campaign``; all of them when there is no campaign."""
        return self if campaign is None else self.filter(campaign=campaign)


def of_public_campaign(relation: str) -> Q:
    """Rows whose campaign (through ``relation``) is public, or that have none."""
    return Q(**{f"{relation}__isnull": True}) | published_through(relation)


class MasterclassRound(Publishable):
    """One tour of the travelling circus, e.g. "Voorjaar 2027": a session at every partner school."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="rounds",
        # Only empty for rounds made before there was any campaign.
        null=True,
        verbose_name=_("campagne"),
    )
    name = SingleLineCharField(_("naam"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    starts_on = models.DateField(_("eerste dag"))
    ends_on = models.DateField(_("laatste dag"))
    description = models.TextField(_("toelichting"), blank=True, max_length=1000)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("masterclassronde")
        verbose_name_plural = _("masterclassrondes")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="round_ends_on_or_after_start",
                violation_error_message=_("De laatste dag mag niet vóór de eerste dag liggen."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """Rounds are shown on the page for schools; ``?ronde=`` previews this one there."""
        url = campaign_reverse("audience-schools", url_prefix_of(self))
        return f"{url}?{urlencode({ROUND_PARAM: self.pk})}"


class SessionQuerySet(PublishableQuerySet):
    def public(self, *, previewing: str = ""):
        """Published sessions whose round, host school and storyline are public too.

        ``previewing`` names one of those three whose row is being previewed: on its page the
        sessions show as they will once it is public (they must still be public otherwise).
        """
        relations = [r for r in ("round", "host_school", "storyline") if r != previewing]
        public = self.published().filter(*(published_through(r) for r in relations))
        if previewing in ("round", "campaign"):
            return public
        return public.filter(of_public_campaign("round__campaign"))

    def of_campaign(self, campaign):
        """The sessions of ``campaign``'s rounds; all of them when there is no campaign."""
        return self if campaign is None else self.filter(round__campaign=campaign)

    def listed(self, campaign):
        """The public sessions of ``campaign``; of a campaign in preview (only ever the
        request's own) as they will be once it is published."""
        previewing = "campaign" if campaign is not None and not campaign.is_public else ""
        return self.public(previewing=previewing).of_campaign(campaign)

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def with_seats(self):
        """The one seat count, per kind of seat. Pupils: ``seats_taken`` (pupils with a
        confirmed place), ``seats_left``, ``waitlisted_pupils`` and ``waitlisted_bookings``.
        Partners: ``partner_seats_taken``, ``partner_seats_left`` and ``waitlisted_partners``.
        A pupil never takes a partner's seat, nor the other way round.

        Subqueries rather than joins, so that other joins and prefetches cannot multiply the sums.
        """
        registrations = (
            Registration.objects.filter(session=OuterRef("pk")).order_by().values("session")
        )
        pupils = registrations.exclude(kind=Registration.Kind.PARTNER)
        partners = registrations.filter(kind=Registration.Kind.PARTNER)

        def total(rows, status, aggregate):
            rows = rows.filter(status=status).annotate(total=aggregate).values("total")
            return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

        def left(seats, taken):
            return Greatest(
                ExpressionWrapper(F(seats) - F(taken), output_field=IntegerField()),
                Value(0),
                output_field=IntegerField(),
            )

        confirmed, waitlisted = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED
        return self.annotate(
            seats_taken=total(pupils, confirmed, Sum("pupil_count")),
            waitlisted_pupils=total(pupils, waitlisted, Sum("pupil_count")),
            waitlisted_bookings=total(pupils, waitlisted, Count("pk")),
            partner_seats_taken=total(partners, confirmed, Count("pk")),
            waitlisted_partners=total(partners, waitlisted, Count("pk")),
        ).annotate(
            seats_left=left("seats", "seats_taken"),
            partner_seats_left=left("partner_seats", "partner_seats_taken"),
        )

    def due_for_purge(self, *, retention_days: int, now=None):
        """Sessions that ended more than ``retention_days`` ago and still hold registrations."""
        now = now or timezone.now()
        return (
            self.filter(ends_at__lt=now - dt.timedelta(days=retention_days))
            .filter(Exists(Registration.objects.filter(session=OuterRef("pk"))))
            .order_by("ends_at", "pk")
        )

    def for_listing(self):
        """What ``events/includes/session_card.html`` shows besides the session's own fields."""
        return self.select_related("host_school", "storyline", "round")


class SessionAudience(models.TextChoices):
    """Who a session receives: the circus serves pupils and the partnership's own people."""

    PUPILS = "pupils", _("Leerlingen")
    PARTNERS = "partners", _("Partners")
    BOTH = "both", _("Leerlingen en partners")


class OrganisationType(models.TextChoices):
    """Where a partner works; the anonymous figures are kept per type after the purge."""

    SCHOOL = "school", _("Partnerschool")
    COMPANY = "company", _("Bedrijf")
    MUNICIPALITY = "municipality", _("Gemeente")
    EDUCATION = "education", _("Ander onderwijs")
    OTHER = "other", _("Andere organisatie")


class Session(Publishable):
    """One masterclass: a session of a round at a host school."""

    round = models.ForeignKey(
        MasterclassRound, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("ronde")
    )
    host_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
        verbose_name=_("gastschool"),
    )
    storyline = models.ForeignKey(
        Storyline, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("verhaallijn")
    )
    companies = models.ManyToManyField(
        Company, related_name="sessions", blank=True, verbose_name=_("betrokken bedrijven")
    )
    title = SingleLineCharField(_("titel"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    summary = SingleLineCharField(_("korte omschrijving"), max_length=240, blank=True)
    description = RichTextField(_("beschrijving"), blank=True)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = SingleLineCharField(
        _("plaats"), max_length=200, blank=True, help_text=_("Leeg: het adres van de gastschool.")
    )
    audience = SingleLineCharField(
        _("voor wie"),
        max_length=120,
        default=_("groep 7 en 8"),
        help_text=_("Bijvoorbeeld: groep 7 en 8."),
    )
    audience_type = models.CharField(
        _("publiek"),
        max_length=10,
        choices=SessionAudience.choices,
        default=SessionAudience.PUPILS,
        help_text=_("Leerlingen, partners (scholen, bedrijven, gemeenten) of allebei."),
    )
    seats = models.PositiveIntegerField(
        _("plaatsen"), help_text=_("Aantal leerlingen dat mee kan doen.")
    )
    partner_seats = models.PositiveIntegerField(
        _("plaatsen voor partners"),
        default=0,
        help_text=_("Aantal partners dat mee kan doen; apart van de plaatsen voor leerlingen."),
    )
    max_per_booking = models.PositiveIntegerField(
        _("maximum per groepsboeking"),
        default=30,
        help_text=_("Hoeveel leerlingen één klas mag aanmelden."),
    )
    registration_opens_at = models.DateTimeField(_("aanmelden kan vanaf"))
    registration_closes_at = models.DateTimeField(_("aanmelden kan tot"))

    objects = SessionQuerySet.as_manager()
    # The seats left, on rows from ``with_seats()`` (an annotation); None on other rows, so
    # that templates can ask without a failed lookup.
    seats_left = None

    class State(models.TextChoices):
        NOT_YET = "not_yet", _("nog niet open")
        OPEN = "open", _("open")
        FULL = "full", _("vol, wachtlijst")
        CLOSED = "closed", _("gesloten")
        PAST = "past", _("voorbij")

    class Meta:
        verbose_name = _("masterclass")
        verbose_name_plural = _("masterclasses")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("Het einde moet na het begin liggen."),
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=0),
                name="session_seats_not_negative",
                violation_error_message=_("Het aantal plaatsen kan niet negatief zijn."),
            ),
            models.CheckConstraint(
                condition=~Q(audience_type="pupils") | Q(partner_seats=0),
                name="session_pupils_only_has_no_partner_seats",
                violation_error_message=_(
                    "Een masterclass alleen voor leerlingen heeft geen plaatsen voor partners."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(audience_type="partners") | Q(seats=0),
                name="session_partners_only_has_no_pupil_seats",
                violation_error_message=_(
                    "Een masterclass alleen voor partners heeft geen plaatsen voor leerlingen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_per_booking__gte=1),
                name="session_max_per_booking_positive",
                violation_error_message=_(
                    "Een groepsboeking moet minstens één leerling kunnen bevatten."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="session_registration_window_valid",
                violation_error_message=_("Het aanmelden moet sluiten na het openen."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=F("starts_at")),
                name="session_registration_closes_before_start",
                violation_error_message=_("Het aanmelden moet sluiten vóór de masterclass begint."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_at_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return campaign_reverse(
            "events:session-detail", url_prefix_of(self.round), {"slug": self.slug}
        )

    @property
    def place(self) -> str:
        if self.location:
            return self.location
        return f"{self.host_school.name}, {self.host_school.postal_address}"

    def is_open_for_registration(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_closes_at

    @property
    def has_pupils(self) -> bool:
        return self.audience_type != SessionAudience.PARTNERS

    @property
    def has_partners(self) -> bool:
        return self.audience_type != SessionAudience.PUPILS

    def _seat_counts(self) -> "Session":
        """This session with the ``with_seats()`` annotations: itself, or read once if missing."""
        if hasattr(self, "seats_taken") and hasattr(self, "partner_seats_taken"):
            return self
        return Session.objects.with_seats().get(pk=self.pk)

    def confirmed_pupils(self) -> int:
        """Pupils with a confirmed place: ``seats_taken`` from ``with_seats()``, read if missing."""
        return self._seat_counts().seats_taken

    def confirmed_partners(self) -> int:
        return self._seat_counts().partner_seats_taken

    def free_seats(self, *, partners: bool = False) -> int:
        """Free seats of one kind: the pupils' (``seats``) or the partners' (``partner_seats``)."""
        if partners:
            return max(self.partner_seats - self.confirmed_partners(), 0)
        return max(self.seats - self.confirmed_pupils(), 0)

    def registration_state(self, now=None, *, partners: bool | None = None) -> "Session.State":
        """One of ``past``, ``not_yet``, ``closed``, ``full``, ``open``.

        Full or open is counted for one kind of seat: the partners' when ``partners`` is
        true, the pupils' when false; by default the partners' only for a partners' session.
        """
        now = now or timezone.now()
        if partners is None:
            partners = not self.has_pupils
        if self.starts_at <= now:
            return self.State.PAST
        if now < self.registration_opens_at:
            return self.State.NOT_YET
        if now >= self.registration_closes_at:
            return self.State.CLOSED
        if self.free_seats(partners=partners) <= 0:
            return self.State.FULL
        return self.State.OPEN


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def due_for_reminder(self, *, days_before: int, now=None):
        """Confirmed places in sessions starting within ``days_before`` days, not yet reminded."""
        now = now or timezone.now()
        return (
            self.filter(
                status=Registration.Status.CONFIRMED,
                reminder_sent_at__isnull=True,
                session__starts_at__gt=now,
                session__starts_at__lte=now + dt.timedelta(days=days_before),
            )
            .select_related("session", "session__host_school")
            .order_by("session__starts_at", "pk")
        )

    def pupils(self):
        return self.exclude(kind=Registration.Kind.PARTNER)

    def partners(self):
        return self.filter(kind=Registration.Kind.PARTNER)

    def waiting_list(self):
        """The waiting list in its order: first come, first served. Pupils and partners each
        have their own: chain ``pupils()`` or ``partners()``."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")


class Registration(models.Model):
    """A place at a session: one child signed up by a parent, a class booked by a teacher, or
    one partner (staff of a partner school, company, municipality…) signing up themselves."""

    class Kind(models.TextChoices):
        CHILD = "child", _("Kind (door ouder)")
        GROUP = "group", _("Klas (door leerkracht)")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bevestigd")
        WAITLISTED = "waitlisted", _("Wachtlijst")
        CANCELLED = "cancelled", _("Geannuleerd")

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("masterclass"),
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.CHILD)
    pupil_count = models.PositiveIntegerField(_("aantal leerlingen"), default=1)
    child_first_name = SingleLineCharField(_("voornaam kind"), max_length=60, blank=True)
    child_group = SingleLineCharField(_("groep of leeftijd"), max_length=30, blank=True)
    primary_school = SingleLineCharField(_("basisschool"), max_length=120, blank=True)
    contact_name = SingleLineCharField(_("naam"), max_length=120)
    contact_email = models.EmailField(_("e-mail"))
    # A partner's organisation: a partner school or company from the list, or another typed in.
    organisation_type = models.CharField(
        _("soort organisatie"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    partner_school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_registrations",
        verbose_name=_("partnerschool"),
    )
    partner_company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_registrations",
        verbose_name=_("bedrijf"),
    )
    organisation_name = SingleLineCharField(_("organisatie"), max_length=160, blank=True)
    role = SingleLineCharField(_("functie"), max_length=120, blank=True)
    dietary_needs = SingleLineCharField(_("dieetwensen"), max_length=200, blank=True)
    access_needs = SingleLineCharField(_("toegankelijkheid"), max_length=200, blank=True)
    has_parental_consent = models.BooleanField(_("toestemming ouder"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED, db_index=True
    )
    cancel_token = SingleLineCharField(
        _("annuleringscode"), max_length=64, unique=True, default=new_cancel_token, editable=False
    )
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["session", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil_count__gte=1),
                name="registration_pupil_count_positive",
                violation_error_message=_("Meld minstens één leerling aan."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="child")
                | (Q(pupil_count=1) & Q(has_parental_consent=True) & ~Q(child_first_name="")),
                name="registration_child_complete",
                violation_error_message=_(
                    "Een kind wordt alleen met voornaam en toestemming van een ouder aangemeld."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="group") | Q(child_first_name=""),
                name="registration_group_has_no_names",
                violation_error_message=_(
                    "Bij een klasboeking worden geen namen van leerlingen bewaard."
                ),
            ),
            # The same child twice for one session is a double submission; a teacher may
            # book several classes, so group bookings are not covered here.
            models.CheckConstraint(
                condition=Q(kind="partner") | ~Q(primary_school=""),
                name="registration_pupils_have_primary_school",
                violation_error_message=_("Vul de basisschool in."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="partner")
                | (Q(pupil_count=1) & Q(child_first_name="") & ~Q(organisation_type="")),
                name="registration_partner_complete",
                violation_error_message=_(
                    "Een partner meldt zichzelf aan, met de soort organisatie."
                ),
            ),
            models.UniqueConstraint(
                "session",
                Lower("contact_email"),
                condition=Q(kind="partner") & ~Q(status="cancelled"),
                name="unique_active_partner_registration",
                violation_error_message=_("U bent al aangemeld voor deze masterclass."),
            ),
            models.UniqueConstraint(
                "session",
                Lower("contact_email"),
                Lower("child_first_name"),
                condition=Q(kind="child") & ~Q(status="cancelled"),
                name="unique_active_registration",
                violation_error_message=_("Deze aanmelding bestaat al voor deze masterclass."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="registration_session_status")]

    def __str__(self):
        if self.kind == self.Kind.PARTNER:
            return f"{self.contact_name} ({self.organisation_label})"
        if self.kind == self.Kind.GROUP:
            return _("%(school)s (%(count)s leerlingen)") % {
                "school": self.primary_school,
                "count": self.pupil_count,
            }
        return f"{self.child_first_name} ({self.primary_school})"

    @property
    def is_partner(self) -> bool:
        return self.kind == self.Kind.PARTNER

    @property
    def organisation_label(self) -> str:
        """A partner's organisation as shown: the chosen school or company, or the typed name."""
        if self.partner_school_id:
            return self.partner_school.name
        if self.partner_company_id:
            return self.partner_company.name
        return self.organisation_name


class Attendance(models.TextChoices):
    """A registration's check-in, as kept in the anonymous counts."""

    YES = "yes", _("Aanwezig")
    NO = "no", _("Afwezig")
    UNKNOWN = "unknown", _("Niet bijgehouden")


class ParticipationCount(models.Model):
    """Anonymous counts of a session's sign-ups, kept after its registrations are deleted.

    One row per kind, organisation type, status and attendance: exactly the rows that
    ``events.figures.count_registrations`` groups live registrations into, so every figure
    reads "live rows ∪ stored rows" and stays the same when the purge moves rows from one to
    the other. No column holds anything about a person.
    """

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="participation_counts",
        verbose_name=_("masterclass"),
    )
    kind = models.CharField(_("soort aanmelding"), max_length=20, choices=Registration.Kind.choices)
    organisation_type = models.CharField(
        _("soort organisatie"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Registration.Status.choices)
    attended = models.CharField(_("aanwezig"), max_length=10, choices=Attendance.choices)
    bookings = models.PositiveIntegerField(_("aanmeldingen"), default=0)
    people = models.PositiveIntegerField(_("deelnemers"), default=0)

    class Meta:
        verbose_name = _("cijfers van een masterclass")
        verbose_name_plural = _("cijfers van masterclasses")
        ordering = ["session", "kind", "organisation_type", "status", "attended"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "organisation_type", "status", "attended"],
                name="unique_participation_count",
                violation_error_message=_("Deze cijfers staan er al."),
            ),
        ]

    def __str__(self):
        return f"{self.session}: {self.get_kind_display()}, {self.get_status_display()}"
