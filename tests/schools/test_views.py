import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.publishing import PublicationStatus, rotate_for_day
from schools.models import NewsItem, School
from tests.factories import (
    CompanyFactory,
    MasterclassRoundFactory,
    NewsItemFactory,
    OpenDayFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def future():
    return timezone.now() + dt.timedelta(days=3)


def jsonld_of(response) -> dict:
    blocks = JSONLD.findall(response.content.decode())
    assert len(blocks) == 1
    return json.loads(blocks[0])


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def make_school(with_photo=False, related=2, **kwargs):
    """A school with what its page shows: storylines, open days, companies, sessions, news."""
    if with_photo:
        kwargs.update(photo=make_image_file("school.jpg"), photo_alt="Het schoolgebouw")
    school = SchoolFactory(**kwargs)
    school.storylines.add(*StorylineFactory.create_batch(related))
    OpenDayFactory.create_batch(related, school=school)
    for company in CompanyFactory.create_batch(related):
        company.schools.add(school)
    SessionFactory.create_batch(related, host_school=school)
    NewsItemFactory.create_batch(related, school=school)
    return school


def past_session(**kwargs):
    starts_at = timezone.now() - dt.timedelta(days=3)
    return SessionFactory(
        starts_at=starts_at,
        registration_opens_at=starts_at - dt.timedelta(days=20),
        registration_closes_at=starts_at - dt.timedelta(days=1),
        **kwargs,
    )


# Schools list ---------------------------------------------------------------------


def test_school_list_shows_published_schools_with_cards(client):
    school = make_school(name="Vakcollege De Dijk", learning_paths="basis, kader")
    response = client.get(reverse("schools:school-list"))
    response_text = response.content.decode()
    assert response.status_code == 200
    assert "Vakcollege De Dijk" in response_text
    assert "basis, kader" in response_text
    assert school.get_absolute_url() in response_text
    assert "schuift elke dag" in response_text
    assert response_text.count("<h1") == 1


def test_school_list_hides_draft_and_future_schools_when_not_public(client):
    SchoolFactory(name="Openbaar College")
    SchoolFactory(name="Conceptschool", status=DRAFT)
    SchoolFactory(name="Toekomstschool", published_at=future())
    text = client.get(reverse("schools:school-list")).content.decode()
    assert "Openbaar College" in text
    assert "Conceptschool" not in text
    assert "Toekomstschool" not in text


def test_school_list_filters_by_profile_when_profile_given(client):
    SchoolFactory(name="Groene School", profile=School.Profile.GREEN)
    SchoolFactory(name="Techniekschool", profile=School.Profile.TECHNICAL)
    text = client.get(reverse("schools:school-list"), {"profiel": "groen"}).content.decode()
    assert "Groene School" in text
    assert "Techniekschool" not in text
    assert 'href="?profiel=technisch"' in text
    # An unknown profile shows every school instead of an error.
    text = client.get(reverse("schools:school-list"), {"profiel": "<script>"}).content.decode()
    assert "Techniekschool" in text and "Groene School" in text


def test_school_card_hides_draft_storylines_when_storyline_not_public(client):
    school = SchoolFactory()
    school.storylines.add(StorylineFactory(title="Zichtbare lijn"))
    school.storylines.add(StorylineFactory(title="Geheime lijn", status=DRAFT))
    text = client.get(reverse("schools:school-list")).content.decode()
    assert "Zichtbare lijn" in text
    assert "Geheime lijn" not in text


# Fair rotation -------------------------------------------------------------------


def first_school_on(client, day: dt.date) -> str:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        response = client.get(reverse("schools:school-list"))
    return response.context["schools"][0].name


def test_school_list_rotates_first_school_when_day_changes(client):
    names = [f"School {letter}" for letter in "ABCD"]
    for name in names:
        SchoolFactory(name=name)
    start = timezone.localdate() + dt.timedelta(days=1)
    firsts = [first_school_on(client, start + dt.timedelta(days=i)) for i in range(len(names))]
    # Every school is first once in n days, and the first changes every day.
    assert sorted(firsts) == names
    assert all(a != b for a, b in zip(firsts, firsts[1:], strict=False))


def test_school_list_keeps_same_order_when_same_day(client):
    for letter in "ABC":
        SchoolFactory(name=f"School {letter}")
    day = timezone.localdate() + dt.timedelta(days=5)
    assert first_school_on(client, day) == first_school_on(client, day)


def test_rotate_for_day_is_a_shift_of_the_whole_list():
    items = list(range(5))
    day = dt.date(2027, 3, 1)
    rotated = rotate_for_day(items, day)
    assert sorted(rotated) == items
    assert rotated[0] == day.toordinal() % 5
    assert rotate_for_day([], day) == []


# School page ---------------------------------------------------------------------


def test_school_detail_shows_profile_paths_address_and_related_content(client):
    school = make_school(
        name="Techniekcollege Hoorn",
        learning_paths="basis, kader, gemengd",
        street_address="Werfweg 3",
        phone="0229 123 456",
        email="info@techniekcollege.example",
        description="<p>Een school met een eigen werkplaats.</p>",
    )
    response = client.get(school.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1" in text and text.count("<h1") == 1
    for expected in [
        "Techniekcollege Hoorn",
        "Technisch",
        "basis, kader, gemengd",
        "Werfweg 3",
        "Een school met een eigen werkplaats.",
        "info@techniekcollege.example",
        'aria-label="Kruimelpad"',
    ]:
        assert expected in text
    for storyline in school.storylines.all():
        assert storyline.title in text
    for company in school.companies.all():
        assert company.name in text
    for session in school.hosted_sessions.all():
        assert session.title in text
    for item in school.news_items.all():
        assert item.title in text
    assert text.count(reverse("schools:open-day-ics", kwargs={"pk": school.open_days.first().pk}))


def test_school_detail_hides_non_public_related_content(client):
    school = SchoolFactory()
    CompanyFactory(name="Conceptbedrijf", status=DRAFT).schools.add(school)
    CompanyFactory(name="Zichtbaar Bedrijf").schools.add(school)
    SessionFactory(host_school=school, title="Conceptsessie", status=DRAFT)
    SessionFactory(
        host_school=school,
        title="Sessie van conceptronde",
        round=MasterclassRoundFactory(status=DRAFT),
    )
    past_session(host_school=school, title="Voorbije sessie")
    SessionFactory(host_school=school, title="Zichtbare sessie")
    NewsItemFactory(school=school, title="Ingestuurd bericht", status=NewsItem.Status.SUBMITTED)
    NewsItemFactory(
        school=school,
        title="Afgewezen bericht",
        status=NewsItem.Status.REJECTED,
        rejection_reason="Nee",
    )
    NewsItemFactory(school=school, title="Toekomstbericht", published_at=future())
    OpenDayFactory(
        school=school,
        title="Oude open dag",
        starts_at=timezone.now() - dt.timedelta(days=10),
        ends_at=timezone.now() - dt.timedelta(days=10) + dt.timedelta(hours=2),
    )
    text = client.get(school.get_absolute_url()).content.decode()
    assert "Zichtbaar Bedrijf" in text
    assert "Zichtbare sessie" in text
    for hidden in [
        "Conceptbedrijf",
        "Conceptsessie",
        "Sessie van conceptronde",
        "Voorbije sessie",
        "Ingestuurd bericht",
        "Afgewezen bericht",
        "Toekomstbericht",
        "Oude open dag",
    ]:
        assert hidden not in text


@pytest.mark.parametrize("kwargs", [{"status": DRAFT}, {"published_at": "future"}])
def test_school_detail_gives_404_when_school_not_public(client, kwargs):
    if kwargs.get("published_at") == "future":
        kwargs = {"published_at": future()}
    school = SchoolFactory(**kwargs)
    assert client.get(school.get_absolute_url()).status_code == 404


def test_school_detail_gives_404_when_slug_unknown(client):
    assert (
        client.get(reverse("schools:school-detail", kwargs={"slug": "bestaat-niet"})).status_code
        == 404
    )


def test_school_detail_has_school_json_ld(client):
    school = make_school(name='Het "Dijk" </script> College', with_photo=True)
    response = client.get(school.get_absolute_url())
    # The name cannot end the data block early: "<" is escaped inside it.
    assert "\\u003C/script\\u003E College" in response.content.decode()
    data = jsonld_of(response)
    assert data["@type"] == "School"
    assert data["name"] == 'Het "Dijk" </script> College'
    assert data["address"]["@type"] == "PostalAddress"
    assert data["address"]["addressLocality"] == school.town
    assert data["url"].endswith(school.get_absolute_url())
    assert data["event"][0]["@type"] == "Event"


# Open days -----------------------------------------------------------------------


def test_open_days_lists_upcoming_open_days_of_public_schools_by_date(client):
    later = OpenDayFactory(
        school=SchoolFactory(name="Latere School"), starts_at=timezone.now() + dt.timedelta(days=40)
    )
    sooner = OpenDayFactory(
        school=SchoolFactory(name="Eerdere School"),
        starts_at=timezone.now() + dt.timedelta(days=10),
    )
    OpenDayFactory(school=SchoolFactory(name="Conceptschool", status=DRAFT))
    OpenDayFactory(school=SchoolFactory(name="Toekomstschool", published_at=future()))
    OpenDayFactory(
        school=SchoolFactory(name="Voorbije School"),
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=3),
    )
    response = client.get(reverse("schools:open-days"))
    assert response.status_code == 200
    assert list(response.context["open_days"]) == [sooner, later]
    text = response.content.decode()
    assert text.index("Eerdere School") < text.index("Latere School")
    assert "Conceptschool" not in text
    assert "Toekomstschool" not in text
    assert "Voorbije School" not in text
    local_start = timezone.localtime(sooner.starts_at)
    assert local_start.strftime("%H:%M") in text


def test_open_day_ics_is_a_calendar_in_amsterdam_time(client):
    import icalendar

    school = SchoolFactory(name="Agendaschool")
    day = timezone.localdate() + dt.timedelta(days=30)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 30)))
    open_day = OpenDayFactory(
        school=school, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    response = client.get(reverse("schools:open-day-ics", kwargs={"pk": open_day.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "max-age=" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"open-day-{open_day.pk}@techniekdoethet.nl"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART").strftime("%H:%M") == "18:30"
    assert "Agendaschool" in str(event["SUMMARY"])


def test_open_day_ics_gives_404_when_school_not_public(client):
    open_day = OpenDayFactory(school=SchoolFactory(status=DRAFT))
    assert (
        client.get(reverse("schools:open-day-ics", kwargs={"pk": open_day.pk})).status_code == 404
    )


# News ----------------------------------------------------------------------------


def make_hidden_news():
    NewsItemFactory(title="Conceptbericht", status=NewsItem.Status.DRAFT)
    NewsItemFactory(title="Ingestuurd bericht", status=NewsItem.Status.SUBMITTED)
    NewsItemFactory(
        title="Afgewezen bericht", status=NewsItem.Status.REJECTED, rejection_reason="Nee"
    )
    NewsItemFactory(title="Toekomstbericht", published_at=future())
    NewsItemFactory(title="Bericht van conceptschool", school=SchoolFactory(status=DRAFT))


HIDDEN_NEWS = [
    "Conceptbericht",
    "Ingestuurd bericht",
    "Afgewezen bericht",
    "Toekomstbericht",
    "Bericht van conceptschool",
]


def test_news_list_shows_published_news_newest_first(client):
    older = NewsItemFactory(
        title="Ouder bericht", published_at=timezone.now() - dt.timedelta(days=2)
    )
    newer = NewsItemFactory(
        title="Nieuwer bericht", published_at=timezone.now() - dt.timedelta(hours=2)
    )
    regional = NewsItemFactory(title="Regionaal bericht", school=None)
    make_hidden_news()
    response = client.get(reverse("schools:news-list"))
    assert response.status_code == 200
    assert list(response.context["news_items"]) == [regional, newer, older]
    text = response.content.decode()
    assert "Regionaal nieuws" in text
    for hidden in HIDDEN_NEWS:
        assert hidden not in text


def test_news_list_paginates_when_many_items(client):
    NewsItemFactory.create_batch(15)
    first = client.get(reverse("schools:news-list"))
    second = client.get(reverse("schools:news-list"), {"page": 2})
    assert len(first.context["news_items"]) == 12
    assert len(second.context["news_items"]) == 3
    assert 'rel="next"' in first.content.decode()
    assert client.get(reverse("schools:news-list"), {"page": 9}).status_code == 404


def test_news_detail_shows_the_item(client):
    item = NewsItemFactory(
        title="Robotwedstrijd gewonnen", body="<p>Het team won de <strong>finale</strong>.</p>"
    )
    NewsItemFactory(school=item.school, title="Ander bericht van de school")
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Robotwedstrijd gewonnen" in text
    assert "<strong>finale</strong>" in text
    assert item.school.name in text
    assert "Ander bericht van de school" in text
    assert text.count("<h1") == 1
    assert jsonld_of(response)["@type"] == "NewsArticle"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": NewsItem.Status.DRAFT},
        {"status": NewsItem.Status.SUBMITTED},
        {"status": NewsItem.Status.REJECTED, "rejection_reason": "Geen toestemming"},
        {"future": True},
        {"draft_school": True},
    ],
)
def test_news_detail_gives_404_when_item_not_public(client, kwargs):
    if kwargs.pop("future", False):
        kwargs["published_at"] = future()
    if kwargs.pop("draft_school", False):
        kwargs["school"] = SchoolFactory(status=DRAFT)
    item = NewsItemFactory(**kwargs)
    assert client.get(item.get_absolute_url()).status_code == 404


def test_news_detail_gives_404_when_slug_unknown(client):
    assert (
        client.get(reverse("schools:news-detail", kwargs={"slug": "onbekend"})).status_code == 404
    )


# Query budget --------------------------------------------------------------------

# Each page's own queries, warm: the campaigns and the region come from the shared cache
# (one query each after a content write).
PAGE_QUERIES = {
    "school-list": 3,  # schools, storylines, open days
    "school-detail": 6,  # school, storylines, open days, companies, sessions, news
    "open-days": 1,  # open days with their school
    "news-list": 2,  # count, page
    "news-detail": 2,  # item, more news
}


def build_content(size: int) -> dict:
    """``size`` schools; the first one, whose page is measured, has 2 × ``size`` of each relation."""
    schools = [
        make_school(with_photo=(i % 2 == 0), related=2 * size if i == 0 else 2) for i in range(size)
    ]
    NewsItemFactory.create_batch(size, school=None)
    make_hidden_news()
    return {
        "school-list": reverse("schools:school-list"),
        "school-detail": schools[0].get_absolute_url(),
        "open-days": reverse("schools:open-days"),
        "news-list": reverse("schools:news-list"),
        "news-detail": schools[0].news_items.first().get_absolute_url(),
    }


@pytest.mark.parametrize("page_name", list(PAGE_QUERIES))
def test_page_costs_same_queries_when_ten_times_the_content(
    client, page_name, django_assert_num_queries
):
    urls = build_content(1)
    client.get(urls[page_name])  # warm up: image renditions, caches
    small = queries_for(client, urls[page_name])
    urls = build_content(10)
    client.get(urls[page_name])
    large = queries_for(client, urls[page_name])
    assert small == large
    with django_assert_num_queries(PAGE_QUERIES[page_name]):
        client.get(urls[page_name])
