"""The admin's start page: "Deze week", each line linking to where it is fixed, at a fixed
number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.models import Audience, SocialPost, Storyline, Video
from campaign.publishing import PublicationStatus
from events.models import Registration, SessionAudience
from schools.models import NewsItem
from tests.factories import (
    AudienceMessageFactory,
    NewsItemFactory,
    PageFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
    SocialPostFactory,
    StorylineFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db

HARD = (
    "<p>Ter bevordering van de instroom in het technisch beroepsonderwijs wordt een "
    "gecoördineerde implementatiestrategie ontwikkeld, waarbij de verantwoordelijkheidsverdeling "
    "tussen onderwijsinstellingen en werkgeversorganisaties nadrukkelijk wordt geformaliseerd.</p>"
)


def dashboard(client) -> str:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    """The HTML of one dashboard section."""
    match = re.search(
        rf'<section class="module desk-section" id="desk-{key}".*?</section>', html, re.S
    )
    assert match, f"no section {key}"
    return match.group(0)


def ago(**kwargs):
    return timezone.now() - dt.timedelta(**kwargs)


def ahead(**kwargs):
    return timezone.now() + dt.timedelta(**kwargs)


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_pending_news_is_listed_oldest_first_with_its_age(coordinator_client):
    NewsItemFactory(title="Nieuwe robotles", status=NewsItem.Status.SUBMITTED)
    older = NewsItemFactory(title="Open dag verslag", status=NewsItem.Status.SUBMITTED)
    NewsItem.objects.filter(pk=older.pk).update(created_at=ago(days=5))
    NewsItemFactory(title="Al gepubliceerd")

    html = section(dashboard(coordinator_client), "moderation")

    assert html.index("Open dag verslag") < html.index("Nieuwe robotles")
    assert "5 dagen oud" in html and "vandaag ingestuurd" in html
    assert "Al gepubliceerd" not in html
    assert change_url(older) in html
    assert reverse("admin:schools_newsitem_moderation") in html


def test_items_going_live_this_week_are_listed_with_their_date(coordinator_client):
    tomorrow = StorylineFactory(title="Zorgtechniek", published_at=ahead(days=1))
    StorylineFactory(title="Al online", published_at=ago(days=1))
    StorylineFactory(title="Volgende maand", published_at=ahead(days=30))
    StorylineFactory(
        title="Nog concept", status=PublicationStatus.DRAFT, published_at=ahead(days=1)
    )
    news = NewsItemFactory(title="Nieuws van morgen", published_at=ahead(days=2))

    html = section(dashboard(coordinator_client), "going-live")

    assert "Verhaallijn: Zorgtechniek" in html and change_url(tomorrow) in html
    assert "Nieuws van morgen" in html and change_url(news) in html
    assert "online vanaf" in html
    for absent in ("Al online", "Volgende maand", "Nog concept"):
        assert absent not in html


def test_items_going_offline_this_week_are_listed_with_their_offline_date(coordinator_client):
    expiring = NewsItemFactory(title="Open dag vrijdag", unpublish_at=ahead(days=3))
    PageFactory(title="Zomeractie", unpublish_at=ahead(days=2))
    NewsItemFactory(title="Loopt nog lang", unpublish_at=ahead(days=40))
    NewsItemFactory(title="Al offline", published_at=ago(days=9), unpublish_at=ago(days=1))

    html = section(dashboard(coordinator_client), "going-live")

    assert "Open dag vrijdag" in html and change_url(expiring) in html
    assert "Zomeractie" in html
    assert html.index("Zomeractie") < html.index("Open dag vrijdag")
    assert "offline vanaf" in html
    for absent in ("Loopt nog lang", "Al offline"):
        assert absent not in html


def test_sessions_in_the_coming_four_weeks_show_fill_rate_and_waiting_list(coordinator_client):
    session = SessionFactory(title="Robots bouwen", starts_at=ahead(days=10), seats=20)
    group = {"kind": Registration.Kind.GROUP, "child_first_name": "", "child_group": ""}
    RegistrationFactory(session=session, pupil_count=5, **group)
    RegistrationFactory(
        session=session, pupil_count=3, status=Registration.Status.WAITLISTED, **group
    )
    SessionFactory(title="Te ver weg", starts_at=ahead(days=40))

    html = section(dashboard(coordinator_client), "sessions")

    assert "Robots bouwen" in html and change_url(session) in html
    assert "5 van 20 plaatsen bezet (25%)" in html
    assert "3 leerlingen op de wachtlijst" in html
    assert "Te ver weg" not in html


def test_empty_matrix_cells_link_to_the_prefilled_add_form(coordinator_client):
    storyline = StorylineFactory(title="Groene techniek")
    for audience in (Audience.PUPIL, Audience.PARENT, Audience.SCHOOL):
        AudienceMessageFactory(storyline=storyline, audience=audience)

    html = section(dashboard(coordinator_client), "matrix")

    assert "Groene techniek: boodschap voor bedrijven ontbreekt" in html
    assert f"storyline={storyline.pk}&amp;audience=company" in html
    assert "audience=pupil" not in html


def test_texts_above_their_target_are_listed_with_lix_and_target(coordinator_client):
    message = AudienceMessageFactory(audience=Audience.PUPIL, body=HARD)
    AudienceMessageFactory(audience=Audience.PARENT, body="<p>Kort en klaar. Echt.</p>")
    page = PageFactory(title="Voor scholen", audience=Audience.SCHOOL, body=HARD)
    news = NewsItemFactory(title="Moeilijk nieuws", body=HARD)

    html = section(dashboard(coordinator_client), "readability")

    assert "doel hoogstens 35" in html and change_url(message) in html
    assert "Pagina: Voor scholen" in html and change_url(page) in html
    assert "Moeilijk nieuws" in html and change_url(news) in html
    assert "(3)" in html


def test_missing_alt_texts_captions_and_vague_links_are_listed(coordinator_client):
    storyline = StorylineFactory(title="Bouw")
    Storyline.objects.filter(pk=storyline.pk).update(
        hero_image="storylines/bouw.jpg", hero_image_alt="IMG_0412.jpg"
    )
    described = StorylineFactory(title="Zorg")
    Storyline.objects.filter(pk=described.pk).update(
        hero_image="storylines/zorg.jpg", hero_image_alt="Een verpleegkundige met een tillift"
    )
    silent = VideoFactory(title="Stille film", transcript="")
    VideoFactory(title="Film met transcript", transcript="Een robot praat.")
    Video.objects.filter(pk=silent.pk).update(captions="")
    page = PageFactory(title="Ouderavond", body='<p>Alles weten? <a href="/x">Klik hier</a>.</p>')

    html = section(dashboard(coordinator_client), "accessibility")

    assert "Verhaallijn: Bouw" in html and "“IMG_0412.jpg”" in html
    assert "Verhaallijn: Zorg" not in html
    assert "Stille film" in html and "film zonder ondertitels en zonder transcript" in html
    assert "Film met transcript" not in html
    assert "Pagina: Ouderavond" in html and "“Klik hier”" in html and change_url(page) in html


def test_schools_without_news_or_masterclass_in_90_days_are_listed(coordinator_client):
    quiet = SchoolFactory(name="Stille school")
    NewsItemFactory(school=quiet, published_at=ago(days=120))
    with_news = SchoolFactory(name="Nieuwsschool")
    NewsItemFactory(school=with_news, published_at=ago(days=10))
    hosting_soon = SchoolFactory(name="Gastschool")
    SessionFactory(host_school=hosting_soon, starts_at=ahead(days=20))

    html = section(dashboard(coordinator_client), "quiet-schools")

    assert "Stille school" in html and change_url(quiet) in html
    assert "laatste masterclass: nooit" in html
    assert "Nieuwsschool" not in html and "Gastschool" not in html


def test_weeks_since_the_last_linkedin_post_are_counted(coordinator_client):
    SocialPostFactory(status=SocialPost.Status.POSTED, posted_at=ago(days=15))
    SocialPostFactory(status=SocialPost.Status.READY, posted_at=None)
    SocialPostFactory(
        channel=SocialPost.Channel.TIKTOK, status=SocialPost.Status.POSTED, posted_at=ago(days=1)
    )

    html = section(dashboard(coordinator_client), "linkedin")

    assert "2 weken sinds het laatste LinkedIn-bericht" in html
    assert "channel__exact=linkedin" in html


def test_no_linkedin_post_yet_is_a_warning(coordinator_client):
    html = section(dashboard(coordinator_client), "linkedin")

    assert "Nog geen LinkedIn-bericht geplaatst." in html and "Let op:" in html


def test_app_list_stays_on_the_start_page(coordinator_client):
    html = dashboard(coordinator_client)

    assert 'href="#app-list"' in html and 'id="app-list"' in html
    assert reverse("admin:campaign_storyline_changelist") in html


def test_staff_without_permissions_sees_no_dashboard(client, django_user_model):
    NewsItemFactory(title="Geheim ingestuurd", status=NewsItem.Status.SUBMITTED)
    client.force_login(django_user_model.objects.create_user("stagiair", is_staff=True))

    html = dashboard(client)

    assert "Deze week" not in html and "Geheim ingestuurd" not in html


def build_content(numbers: range):
    """One of each thing the dashboard lists per number, with its relations."""
    for i in numbers:
        storyline = StorylineFactory(title=f"Lijn {i}", published_at=ahead(days=2))
        AudienceMessageFactory(storyline=storyline, audience=Audience.PUPIL, body=HARD)
        school = SchoolFactory(name=f"School {i}")
        NewsItemFactory(school=school, title=f"Wacht {i}", status=NewsItem.Status.SUBMITTED)
        NewsItemFactory(school=school, title=f"Morgen {i}", published_at=ahead(days=1), body=HARD)
        session = SessionFactory(
            title=f"Les {i}", host_school=school, storyline=storyline, starts_at=ahead(days=9)
        )
        RegistrationFactory(session=session)
        RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
        VideoFactory(storyline=storyline, transcript="")
        PageFactory(body='<p><a href="/x">lees meer</a></p>')
        SchoolFactory(name=f"Stil {i}")
        SocialPostFactory(status=SocialPost.Status.POSTED, posted_at=ago(days=i + 3))


def test_dashboard_costs_the_same_queries_with_ten_times_the_content(coordinator_client):
    url = reverse("admin:index")
    build_content(range(1))
    coordinator_client.get(url)  # Warm the permission cache of the session's user.
    with CaptureQueriesContext(connection) as small:
        small_html = coordinator_client.get(url).content.decode()

    build_content(range(1, 10))
    coordinator_client.get(url)  # The site data, read again after the writes.
    with CaptureQueriesContext(connection) as large:
        large_html = coordinator_client.get(url).content.decode()

    # The page really shows ten times as much, or an equal count would prove nothing.
    for marker in ("Wacht 9", "Morgen 9", "Les 9", "Lijn 9", "Stil 9"):
        assert marker not in small_html and marker in large_html
    print(f"\nDashboard queries: {len(small.captured_queries)} and {len(large.captured_queries)}")
    assert len(large.captured_queries) == len(small.captured_queries), "\n".join(
        query["sql"] for query in large.captured_queries
    )


def test_a_partners_session_counts_its_partner_seats_and_waiting_list(coordinator_client):
    session = SessionFactory(
        audience_type=SessionAudience.PARTNERS,
        seats=0,
        partner_seats=2,
        starts_at=timezone.now() + dt.timedelta(days=10),
    )
    partner = {
        "session": session,
        "kind": Registration.Kind.PARTNER,
        "child_first_name": "",
        "primary_school": "",
        "has_parental_consent": False,
        "organisation_type": "municipality",
        "organisation_name": "Gemeente Hoorn",
    }
    RegistrationFactory(**partner)
    RegistrationFactory(**partner, status=Registration.Status.WAITLISTED)

    html = coordinator_client.get(reverse("admin:index")).content.decode()

    assert "1 van 2 plaatsen bezet (50%)" in html
    assert "1 partner op de wachtlijst" in html


def test_region_section_lists_what_is_missing_when_the_region_is_not_filled_in(
    coordinator_client,
):
    html = section(dashboard(coordinator_client), "region")

    assert "Vul de regio in" in html
    assert "privacyverklaring" in html and "toegankelijkheidsverklaring" in html
    assert reverse("admin:campaign_region_changelist") in html


def test_region_section_is_left_out_when_the_region_is_complete(coordinator_client):
    from campaign.models import Region, RegionContact

    region = Region.objects.create(
        name="Regio Zuidwoud",
        privacy_page=PageFactory(slug="privacy"),
        accessibility_page=PageFactory(slug="toegankelijkheid"),
    )
    RegionContact.objects.create(region=region, name="Ilse", email="ilse@example.org")

    assert 'id="desk-region"' not in dashboard(coordinator_client)
