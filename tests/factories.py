"""factory_boy factories for every model; defaults make public, valid rows."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaign.models import (
    Audience,
    AudienceMessage,
    Campaign,
    Page,
    Region,
    SocialPost,
    Storyline,
    Video,
)
from campaign.publishing import PublicationStatus
from companies.models import Company, Contribution, Offer
from events.models import MasterclassRound, Registration, Session
from schools.models import NewsItem, OpenDay, School


def make_image_file(name="foto.jpg", size=(64, 48), color=(230, 0, 126), image_format="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[image_format]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


class PublishedFactory(factory.django.DjangoModelFactory):
    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))

    class Meta:
        abstract = True


class CampaignFactory(PublishedFactory):
    name = factory.Sequence(lambda n: f"Campagne {n}")
    slug = factory.Sequence(lambda n: f"campagne-{n}")
    tagline = "Techniek is breder dan je denkt"
    # The first campaign of a test is the primary one, as the admin proposes.
    is_primary = factory.LazyFunction(lambda: not Campaign.objects.filter(is_primary=True).exists())

    class Meta:
        model = Campaign


def primary_campaign():
    """Content made without a campaign belongs to the primary one (made if need be)."""
    return Campaign.objects.filter(is_primary=True).first() or CampaignFactory()


class StorylineFactory(PublishedFactory):
    campaign = factory.LazyFunction(primary_campaign)
    title = factory.Sequence(lambda n: f"Verhaallijn {n}")
    slug = factory.Sequence(lambda n: f"verhaallijn-{n}")
    icon = Storyline.Icon.ROBOT
    pupil_text = "Bouw je eigen robot en ontdek wat techniek kan."
    order = factory.Sequence(int)

    class Meta:
        model = Storyline


class AudienceMessageFactory(factory.django.DjangoModelFactory):
    storyline = factory.SubFactory(StorylineFactory)
    audience = Audience.PUPIL
    headline = factory.Sequence(lambda n: f"Kop {n}")
    body = "<p>Een boodschap.</p>"
    cta_label = "Meld je aan"
    cta_url = "/masterclasses/"

    class Meta:
        model = AudienceMessage


class VideoFactory(PublishedFactory):
    campaign = factory.LazyFunction(primary_campaign)
    storyline = factory.SubFactory(StorylineFactory, campaign=factory.SelfAttribute("..campaign"))
    title = factory.Sequence(lambda n: f"Animatie {n}")
    external_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

    class Meta:
        model = Video


class PageFactory(PublishedFactory):
    title = factory.Sequence(lambda n: f"Pagina {n}")
    slug = factory.Sequence(lambda n: f"pagina-{n}")
    body = "<p>Tekst van de pagina.</p>"

    class Meta:
        model = Page


class RegionFactory(factory.django.DjangoModelFactory):
    name = "Regio Zuidwoud"

    class Meta:
        model = Region


class SocialPostFactory(factory.django.DjangoModelFactory):
    campaign = factory.LazyFunction(primary_campaign)
    channel = SocialPost.Channel.LINKEDIN
    audience = Audience.COMPANY
    title = factory.Sequence(lambda n: f"Post {n}")
    text = "Deze week in de masterclass: robots bouwen."
    status = SocialPost.Status.PLANNED
    posted_url = factory.LazyAttribute(
        lambda post: (
            "https://www.linkedin.com/feed/update/urn:li:activity:1/"
            if post.status == SocialPost.Status.POSTED
            else ""
        )
    )

    class Meta:
        model = SocialPost


class SchoolFactory(PublishedFactory):
    name = factory.Sequence(lambda n: f"Testcollege {n}")
    slug = factory.Sequence(lambda n: f"testcollege-{n}")
    profile = "technical"
    summary = "Een school met veel praktijk."
    street_address = "Schoolstraat 1"
    postal_code = "1621 AB"
    town = "Hoorn"

    class Meta:
        model = School


class OpenDayFactory(factory.django.DjangoModelFactory):
    school = factory.SubFactory(SchoolFactory)
    title = "Open dag"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))

    class Meta:
        model = OpenDay


class NewsItemFactory(factory.django.DjangoModelFactory):
    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Nieuws {n}")
    slug = factory.Sequence(lambda n: f"nieuws-{n}")
    summary = "Kort nieuws."
    body = "<p>Het hele verhaal.</p>"
    status = NewsItem.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    submitter_name = "Juf Anne"
    submitter_email = "anne@example.org"

    class Meta:
        model = NewsItem


class CompanyFactory(PublishedFactory):
    name = factory.Sequence(lambda n: f"Bedrijf {n} BV")
    slug = factory.Sequence(lambda n: f"bedrijf-{n}")
    town = "Enkhuizen"
    summary = "Een technisch bedrijf uit de regio."

    class Meta:
        model = Company


class OfferFactory(factory.django.DjangoModelFactory):
    company = factory.SubFactory(CompanyFactory)
    kind = Offer.Kind.GUEST_LESSON

    class Meta:
        model = Offer


class ContributionFactory(factory.django.DjangoModelFactory):
    company = factory.SubFactory(CompanyFactory)
    kind = Contribution.Kind.GUEST_LESSON
    date = factory.LazyFunction(timezone.localdate)

    class Meta:
        model = Contribution


class MasterclassRoundFactory(PublishedFactory):
    campaign = factory.LazyFunction(primary_campaign)
    name = factory.Sequence(lambda n: f"Ronde {n}")
    slug = factory.Sequence(lambda n: f"ronde-{n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=30))

    class Meta:
        model = MasterclassRound


class SessionFactory(PublishedFactory):
    # A new round belongs to the campaign of the session's storyline.
    round = factory.SubFactory(
        MasterclassRoundFactory, campaign=factory.SelfAttribute("..storyline.campaign")
    )
    host_school = factory.SubFactory(SchoolFactory)
    storyline = factory.SubFactory(StorylineFactory)
    title = factory.Sequence(lambda n: f"Masterclass {n}")
    slug = factory.Sequence(lambda n: f"masterclass-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=21))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    seats = 20
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(days=1))

    class Meta:
        model = Session


class RegistrationFactory(factory.django.DjangoModelFactory):
    session = factory.SubFactory(SessionFactory)
    kind = Registration.Kind.CHILD
    child_first_name = factory.Sequence(lambda n: f"Kind{n}")
    child_group = "groep 8"
    primary_school = "De Regenboog"
    contact_name = "Ouder"
    contact_email = factory.Sequence(lambda n: f"ouder{n}@example.org")
    has_parental_consent = True

    class Meta:
        model = Registration


class PhotoFactory(factory.django.DjangoModelFactory):
    """A register row for a stored photo (the file itself is made by the image field)."""

    file = factory.Sequence(lambda n: f"news/{n:032x}.jpg")

    class Meta:
        model = "campaign.Photo"


def add_care_campaign(*, host_school):
    """A second published campaign beside the primary one, at /zorg/: a storyline, a round
    with a session ("Zorgles") at ``host_school``, and a film."""
    care = CampaignFactory(name="Zorg doet ertoe", slug="zorg", primary_color="#0A7B83")
    storyline = StorylineFactory(campaign=care, slug="zorg-thuis", title="Zorgtechniek")
    SessionFactory(
        round=MasterclassRoundFactory(campaign=care, name="Zorgronde"),
        storyline=storyline,
        host_school=host_school,
        title="Zorgles",
        starts_at=timezone.now() + dt.timedelta(days=25),
    )
    VideoFactory(campaign=care, storyline=storyline, title="Zorgfilm", transcript="Zorg.")
    return care
