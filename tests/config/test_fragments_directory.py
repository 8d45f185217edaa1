"""The company and news pages and the directory lists (companies, schools, open days, news,
storylines) with the fragment cache on: a warm request costs no query and gives the same
page as a render without the cache; a save, a scheduled moment and a preview always show;
each filter and page number is kept apart (config.fragments, campaign.kept)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign.models import Storyline
from campaign.preview import preview_url
from campaign.publishing import PublicationStatus
from companies.models import Company
from companies.views import CompanyListView
from schools.models import NewsItem, OpenDay, School
from schools.views import NewsListView, SchoolListView
from tests.config.test_fragments import (  # noqa: F401 - the autouse fixtures apply here too
    _clocks_at_noon,
    _fragments_on,
    fragment_entries,
    get,
    html,
    travel,
)
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    NewsItemFactory,
    OfferFactory,
    OpenDayFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    add_care_campaign,
)

pytestmark = pytest.mark.django_db


def kept_for_the_public_and_fresh_for_a_coordinator(client, coordinator, path, change):
    """A ``change`` that sends no signal (an update in bulk, "Zonder signaal") is not on the
    kept page the public gets, as it would not be on a cached page; a coordinator, who
    never gets kept parts, sees it at once."""
    html(client, path)
    change()
    assert "Zonder signaal" not in html(client, path)
    logged_in = Client()
    logged_in.force_login(coordinator)
    assert "Zonder signaal" in html(logged_in, path)


def uncached(client, path, settings) -> str:
    seconds, settings.FRAGMENT_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS, 0
    try:
        return html(client, path)
    finally:
        settings.FRAGMENT_CACHE_SECONDS = seconds


def fragment_names() -> set:
    return {key.split(":kept:fragment:")[1].split(":")[0] for key in fragment_entries()}


def warm_and_identical(client, settings, path, shown) -> str:
    first, queries = get(client, path)
    assert queries
    for text in shown:
        assert text in first
    second, queries = get(client, path)
    assert queries == [] and second == first
    assert uncached(client, path, settings) == first
    return first


@pytest.fixture
def storyline():
    CampaignFactory(name="Techniek doet het")
    return StorylineFactory(title="Robotica", slug="robotica")


# ------------------------------------------------------------------ the company page


@pytest.fixture
def company(storyline):
    company = CompanyFactory(name="Robotbedrijf BV", slug="robotbedrijf")
    company.storylines.add(storyline)
    OfferFactory(company=company, description="Lassen met een robot")
    school = SchoolFactory(name="Het Robotcollege")
    company.schools.add(school)
    SessionFactory(storyline=storyline, host_school=school, title="Robotles").companies.add(company)
    return company


def test_a_company_page_a_second_time_costs_no_query_and_is_the_page_without_the_cache(
    client, company, settings
):
    path = company.get_absolute_url()
    warm_and_identical(
        client,
        settings,
        path,
        ["Robotbedrijf BV</h1>", "Lassen met een robot", "Het Robotcollege", "Robotles"],
    )
    assert fragment_names() == {"header", "header-end", "footer", "company"}


def test_each_company_page_is_its_own(client, company):
    other = CompanyFactory(name="Groenbedrijf BV", slug="groenbedrijf")
    for _ in range(2):
        assert "Robotbedrijf BV</h1>" in html(client, company.get_absolute_url())
        assert "Groenbedrijf BV</h1>" in html(client, other.get_absolute_url())


def test_a_save_shows_on_the_next_company_page(client, company):
    path = company.get_absolute_url()
    html(client, path)
    company.summary = "Nu ook met drones."
    company.save()
    SessionFactory(storyline=company.storylines.get(), title="Dronevliegen").companies.add(company)
    page = html(client, path)
    assert "Nu ook met drones." in page and "Dronevliegen" in page


def test_a_company_going_offline_later_is_gone_at_its_time(client, company):
    company.unpublish_at = timezone.now() + dt.timedelta(minutes=3)
    company.save()
    path = company.get_absolute_url()
    html(client, path)
    assert get(client, path)[1] == []
    now, clock = travel(company.unpublish_at + dt.timedelta(seconds=1))
    with now, clock:
        assert client.get(path).status_code == 404


def test_a_masterclass_that_has_ended_leaves_the_company_page_at_its_end(client, company):
    SessionFactory(
        storyline=company.storylines.get(),
        title="Robotles vandaag",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(minutes=5),
        registration_opens_at=timezone.now() - dt.timedelta(days=7),
    ).companies.add(company)
    path = company.get_absolute_url()
    assert "Robotles vandaag" in html(client, path)
    assert get(client, path)[1] == []
    now, clock = travel(timezone.now() + dt.timedelta(minutes=6))
    with now, clock:
        assert "Robotles vandaag" not in html(client, path)


def test_a_coordinator_previews_a_draft_company_past_the_kept_rows(client, coordinator, company):
    draft = CompanyFactory(name="Conceptbedrijf BV", status=PublicationStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    html(client, company.get_absolute_url())
    Company.objects.filter(pk=company.pk).update(summary="Zonder signaal.")
    logged_in = Client()
    logged_in.force_login(coordinator)
    assert "Conceptbedrijf BV</h1>" in html(logged_in, preview_url(draft))
    assert "Zonder signaal." in html(logged_in, company.get_absolute_url())  # fresh
    assert "Conceptbedrijf BV</h1>" in html(Client(), preview_url(draft))  # shared link
    assert client.get(draft.get_absolute_url()).status_code == 404
    public, queries = get(client, company.get_absolute_url())
    assert queries == [] and "Zonder signaal." not in public  # kept, as pages are


# ------------------------------------------------------------------- the news item


@pytest.fixture
def news_item(storyline):
    school = SchoolFactory(name="Het Robotcollege")
    NewsItemFactory(school=school, title="Eerder nieuws van de school")
    return NewsItemFactory(school=school, title="Lasrobot in de werkplaats", slug="lasrobot")


def test_a_news_item_a_second_time_costs_no_query_and_is_the_page_without_the_cache(
    client, news_item, settings
):
    warm_and_identical(
        client,
        settings,
        news_item.get_absolute_url(),
        ["Lasrobot in de werkplaats</h1>", "Het Robotcollege", "Eerder nieuws van de school"],
    )
    assert fragment_names() == {"header", "header-end", "footer", "news-item"}


def test_each_news_item_is_its_own(client, news_item):
    other = NewsItemFactory(title="Regionale robotdag", school=None)
    for _ in range(2):
        assert "Lasrobot in de werkplaats</h1>" in html(client, news_item.get_absolute_url())
        assert "Regionale robotdag</h1>" in html(client, other.get_absolute_url())


def test_more_news_of_the_school_shows_after_the_save(client, news_item):
    path = news_item.get_absolute_url()
    html(client, path)
    NewsItemFactory(school=news_item.school, title="Nieuwe werkplaats open")
    assert "Nieuwe werkplaats open" in html(client, path)
    news_item.title = "Lasrobot in de nieuwe werkplaats"
    news_item.save()
    assert "Lasrobot in de nieuwe werkplaats</h1>" in html(client, path)


def test_news_published_later_shows_under_the_item_at_its_time(client, news_item):
    later = NewsItemFactory(
        school=news_item.school,
        title="Later nieuws",
        published_at=timezone.now() + dt.timedelta(minutes=2),
    )
    path = news_item.get_absolute_url()
    assert "Later nieuws" not in html(client, path)
    page, queries = get(client, path)
    assert queries == [] and "Later nieuws" not in page
    now, clock = travel(later.published_at + dt.timedelta(seconds=1))
    with now, clock:
        assert "Later nieuws" in html(client, path)


def test_a_coordinator_previews_a_draft_news_item(client, coordinator, news_item):
    draft = NewsItemFactory(title="Conceptnieuws", status=PublicationStatus.DRAFT)
    html(client, news_item.get_absolute_url())
    assert client.get(draft.get_absolute_url()).status_code == 404
    logged_in = Client()
    logged_in.force_login(coordinator)
    assert "Conceptnieuws</h1>" in html(logged_in, preview_url(draft))
    assert "Conceptnieuws</h1>" in html(Client(), preview_url(draft))
    assert client.get(draft.get_absolute_url()).status_code == 404


# -------------------------------------------------------------- the storyline list


def test_the_storyline_list_a_second_time_costs_no_query_and_is_the_page_without_the_cache(
    client, storyline, settings
):
    StorylineFactory(title="Groene techniek", slug="groen")
    page = warm_and_identical(
        client, settings, reverse("campaign:storyline-list"), ["Robotica", "Groene techniek"]
    )
    assert "robotica, groene techniek" in page or "groene techniek, robotica" in page
    assert fragment_names() == {"header", "header-end", "footer", "storyline-list"}


def test_a_storyline_saved_or_published_later_shows_on_the_storyline_list(client, storyline):
    path = reverse("campaign:storyline-list")
    later = StorylineFactory(
        title="Groene techniek", published_at=timezone.now() + dt.timedelta(minutes=2)
    )
    html(client, path)
    storyline.title = "Robots en drones"
    storyline.save()
    page, queries = get(client, path)
    assert queries and "Robots en drones" in page and "Groene techniek" not in page
    assert get(client, path)[1] == []
    now, clock = travel(later.published_at + dt.timedelta(seconds=1))
    with now, clock:
        assert "Groene techniek" in html(client, path)


def test_each_campaign_has_its_own_storyline_list(client, storyline):
    add_care_campaign(host_school=SchoolFactory())
    for _ in range(2):
        primary = html(client, reverse("campaign:storyline-list"))
        care = html(client, "/zorg" + reverse("campaign:storyline-list"))
        assert "Robotica" in primary and "Zorgtechniek" not in primary
        assert "Zorgtechniek" in care and "Robotica" not in care


def test_a_coordinator_sees_the_storyline_list_afresh(client, coordinator, storyline):
    path = reverse("campaign:storyline-list")
    kept_for_the_public_and_fresh_for_a_coordinator(
        client,
        coordinator,
        path,
        lambda: Storyline.objects.filter(pk=storyline.pk).update(title="Zonder signaal"),
    )


# ------------------------------------------------------------------ the school list


@pytest.fixture
def schools(storyline, monkeypatch):
    """Two pages of two technical schools and one green one."""
    monkeypatch.setattr(SchoolListView, "paginate_by", 2)
    for name in ("Het Robotcollege", "Het Techcollege", "De Lasschool"):
        SchoolFactory(name=name, profile=School.Profile.TECHNICAL)
    return SchoolFactory(name="De Kwekerij", profile=School.Profile.GREEN)


def school_names(page: str) -> set:
    return {
        name
        for name in ("Het Robotcollege", "Het Techcollege", "De Lasschool", "De Kwekerij")
        if f">{name}</a>" in page
    }


def test_the_school_list_a_second_time_costs_no_query_and_is_the_page_without_the_cache(
    client, schools, settings
):
    path = reverse("schools:school-list")
    first = warm_and_identical(client, settings, path, ['rel="next"'])
    assert len(school_names(first)) == 2
    assert fragment_names() == {"header", "header-end", "footer", "school-list"}
    second = warm_and_identical(client, settings, path + "?page=2", ['rel="prev"'])
    assert len(school_names(second)) == 2 and not school_names(first) & school_names(second)


def test_each_profile_and_page_of_the_school_list_is_kept_apart(client, schools):
    path = reverse("schools:school-list")
    for _ in range(2):  # rendered, then from the cache
        green = html(client, path + "?profiel=groen")
        assert school_names(green) == {"De Kwekerij"} and 'rel="next"' not in green
        technical = html(client, path + "?profiel=technisch")
        later = html(client, path + "?profiel=technisch&page=2")
        assert len(school_names(technical)) == 2 and len(school_names(later)) == 1
        assert 'href="/scholen/?profiel=technisch&amp;page=2"' in technical
        assert 'href="/scholen/?profiel=technisch"' in later  # back to page 1, filter kept
        assert 'aria-current="page">Technisch' in technical
    # A made-up profile is the whole list, not a variant of its own.
    whole = html(client, path)
    made_up, queries = get(client, path + "?profiel=niets")
    assert queries == [] and school_names(made_up) == school_names(whole)


@pytest.mark.parametrize("number", ["3", "0", "x", "99"])
def test_a_page_past_the_end_of_the_school_list_is_still_not_found(client, schools, number):
    path = reverse("schools:school-list")
    for _ in range(2):  # with nothing kept, then with the count kept
        assert client.get(f"{path}?page={number}").status_code == 404
        assert client.get(f"{path}?page=2").status_code == 200
    assert client.get(f"{path}?page=last").status_code == 200


def test_a_school_saved_or_published_later_shows_on_the_school_list(client, schools):
    path = reverse("schools:school-list")
    later = SchoolFactory(
        name="De Boomgaard",
        profile=School.Profile.GREEN,
        published_at=timezone.now() + dt.timedelta(minutes=2),
    )
    html(client, path + "?profiel=groen")
    assert "Pagina 1 van 2" in html(client, path)
    schools.name = "De Nieuwe Kwekerij"
    schools.save()
    page, queries = get(client, path + "?profiel=groen")
    assert queries and ">De Nieuwe Kwekerij</a>" in page and "De Boomgaard" not in page
    assert get(client, path + "?profiel=groen")[1] == []
    now, clock = travel(later.published_at + dt.timedelta(seconds=1))
    with now, clock:
        assert "De Boomgaard" in html(client, path + "?profiel=groen")
        assert "Pagina 1 van 3" in html(client, path)  # the count too


def test_the_school_list_takes_its_next_turn_at_midnight(client, schools):
    path = reverse("schools:school-list")
    today = html(client, path)
    midnight = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time())
    )
    now, clock = travel(midnight + dt.timedelta(seconds=1))
    with now, clock:
        tomorrow = html(client, path)
    assert school_names(tomorrow) != school_names(today)


def test_a_coordinator_sees_the_school_list_afresh(client, coordinator, schools):
    path = reverse("schools:school-list") + "?profiel=groen"
    kept_for_the_public_and_fresh_for_a_coordinator(
        client,
        coordinator,
        path,
        lambda: School.objects.filter(pk=schools.pk).update(name="Zonder signaal"),
    )
    page, queries = get(client, path + "&voorbeeld=x")
    assert queries and "Zonder signaal" in page


# -------------------------------------------------------------------- the news list


@pytest.fixture
def news(storyline, monkeypatch):
    """Two pages of news: three items."""
    monkeypatch.setattr(NewsListView, "paginate_by", 2)
    for hours, title in ((3, "Oudste bericht"), (2, "Middelste bericht"), (1, "Nieuwste bericht")):
        NewsItemFactory(title=title, published_at=timezone.now() - dt.timedelta(hours=hours))


def test_the_news_list_a_second_time_costs_no_query_and_is_the_page_without_the_cache(
    client, news, settings
):
    path = reverse("schools:news-list")
    first = warm_and_identical(
        client, settings, path, ["Nieuwste bericht", "Middelste bericht", "Pagina 1 van 2"]
    )
    assert "Oudste bericht" not in first
    assert fragment_names() == {"header", "header-end", "footer", "news-list"}
    second = warm_and_identical(client, settings, path + "?page=2", ["Oudste bericht"])
    assert "Nieuwste bericht" not in second and "pagina 2 —" in second


@pytest.mark.parametrize("number", ["3", "0", "x"])
def test_a_page_past_the_end_of_the_news_list_is_still_not_found(client, news, number):
    path = reverse("schools:news-list")
    for _ in range(2):
        assert client.get(f"{path}?page={number}").status_code == 404
        assert client.get(f"{path}?page=2").status_code == 200


def test_news_saved_or_published_later_shows_on_the_news_list(client, news):
    path = reverse("schools:news-list")
    later = NewsItemFactory(
        title="Later bericht", published_at=timezone.now() + dt.timedelta(minutes=2)
    )
    html(client, path)
    NewsItemFactory(title="Vers bericht")
    page, queries = get(client, path)
    assert queries and "Vers bericht" in page and "Later bericht" not in page
    assert get(client, path)[1] == []
    now, clock = travel(later.published_at + dt.timedelta(seconds=1))
    with now, clock:
        page = html(client, path)
    assert "Later bericht" in page and "Pagina 1 van 3" in page


def test_a_coordinator_sees_the_news_list_afresh(client, coordinator, news):
    path = reverse("schools:news-list")
    kept_for_the_public_and_fresh_for_a_coordinator(
        client,
        coordinator,
        path,
        lambda: NewsItem.objects.filter(title="Nieuwste bericht").update(title="Zonder signaal"),
    )


# ----------------------------------------------------------------- the company list


@pytest.fixture
def companies(storyline, monkeypatch):
    """Two pages of companies, two of them in the storyline."""
    monkeypatch.setattr(CompanyListView, "paginate_by", 2)
    for name in ("Aalbedrijf BV", "Bouwbedrijf BV"):
        CompanyFactory(name=name).storylines.add(storyline)
    CompanyFactory(name="Croissantbakker BV")
    StorylineFactory(title="Groene techniek", slug="groen")


def company_names(page: str) -> set:
    return {
        name
        for name in ("Aalbedrijf BV", "Bouwbedrijf BV", "Croissantbakker BV")
        if f">{name}</a>" in page
    }


def test_the_company_list_a_second_time_costs_no_query_and_is_the_page_without_the_cache(
    client, companies, settings
):
    path = reverse("companies:company-list")
    first = warm_and_identical(client, settings, path, ["Pagina 1 van 2", "Groene techniek"])
    assert company_names(first) == {"Aalbedrijf BV", "Bouwbedrijf BV"}
    assert fragment_names() == {"header", "header-end", "footer", "company-list"}
    second = warm_and_identical(client, settings, path + "?page=2", ["Pagina 2 van 2"])
    assert company_names(second) == {"Croissantbakker BV"}


def test_each_storyline_and_page_of_the_company_list_is_kept_apart(client, companies):
    path = reverse("companies:company-list")
    for _ in range(2):  # rendered, then from the cache
        robots = html(client, path + "?verhaallijn=robotica")
        assert company_names(robots) == {"Aalbedrijf BV", "Bouwbedrijf BV"}
        assert "Pagina 1 van 2" not in robots and "Robotica — Bedrijven" in robots
        assert 'href="?verhaallijn=robotica" aria-current="page"' in robots
        green = html(client, path + "?verhaallijn=groen")
        assert company_names(green) == set() and "nog geen bedrijven" in green
        assert company_names(html(client, path + "?page=2")) == {"Croissantbakker BV"}
        assert client.get(path + "?verhaallijn=robotica&page=2").status_code == 404
    # A made-up storyline is the whole list, not a variant of its own.
    whole = html(client, path)
    made_up, queries = get(client, path + "?verhaallijn=niets")
    assert queries == [] and company_names(made_up) == company_names(whole)


def test_a_company_saved_or_published_later_shows_on_the_company_list(client, companies, storyline):
    path = reverse("companies:company-list") + "?verhaallijn=robotica"
    later = CompanyFactory(
        name="Aaa Later BV", published_at=timezone.now() + dt.timedelta(minutes=2)
    )
    later.storylines.add(storyline)
    html(client, path)
    CompanyFactory(name="Aa Vers BV").storylines.add(storyline)
    page, queries = get(client, path)
    assert queries and "Aa Vers BV" in page and "Aaa Later BV" not in page
    assert get(client, path)[1] == []
    now, clock = travel(later.published_at + dt.timedelta(seconds=1))
    with now, clock:
        page = html(client, path)
    assert "Aaa Later BV" in page and "Pagina 1 van 2" in page


def test_a_coordinator_sees_the_company_list_afresh(client, coordinator, companies):
    path = reverse("companies:company-list")
    kept_for_the_public_and_fresh_for_a_coordinator(
        client,
        coordinator,
        path,
        lambda: Company.objects.filter(name="Aalbedrijf BV").update(name="Aa Zonder signaal BV"),
    )


# ---------------------------------------------------------------- the open-day list


@pytest.fixture
def open_day(storyline):
    return OpenDayFactory(school=SchoolFactory(name="Het Robotcollege"), title="Open robotavond")


def test_the_open_days_a_second_time_cost_no_query_and_are_the_page_without_the_cache(
    client, open_day, settings
):
    warm_and_identical(
        client, settings, reverse("schools:open-days"), ["Open robotavond", "Het Robotcollege"]
    )
    assert fragment_names() == {"header", "header-end", "footer", "open-days"}


def test_an_open_day_saved_shows_and_one_ended_leaves_at_its_end(client, open_day):
    path = reverse("schools:open-days")
    html(client, path)
    OpenDayFactory(
        school=open_day.school,
        title="Open middag vandaag",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(minutes=5),
    )
    page, queries = get(client, path)
    assert queries and "Open middag vandaag" in page and "Open robotavond" in page
    assert get(client, path)[1] == []
    now, clock = travel(timezone.now() + dt.timedelta(minutes=6))
    with now, clock:
        page = html(client, path)
    assert "Open middag vandaag" not in page and "Open robotavond" in page


def test_a_coordinator_sees_the_open_days_afresh(client, coordinator, open_day):
    path = reverse("schools:open-days")
    kept_for_the_public_and_fresh_for_a_coordinator(
        client,
        coordinator,
        path,
        lambda: OpenDay.objects.filter(pk=open_day.pk).update(title="Zonder signaal"),
    )
