import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.publishing import PublicationStatus
from companies.models import Offer
from tests.factories import (
    CompanyFactory,
    MasterclassRoundFactory,
    OfferFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def future():
    return timezone.now() + dt.timedelta(days=3)


def make_company(related=2, with_logo=False, **kwargs):
    """A company with what its page shows: storylines, offers, schools and sessions."""
    if with_logo:
        kwargs["logo"] = make_image_file("logo.png", image_format="PNG")
    company = CompanyFactory(**kwargs)
    company.storylines.add(*StorylineFactory.create_batch(related))
    kinds = list(Offer.Kind.values)
    for kind in kinds[: min(related, len(kinds))]:
        OfferFactory(company=company, kind=kind)
    company.schools.add(*SchoolFactory.create_batch(related))
    for session in SessionFactory.create_batch(related):
        session.companies.add(company)
    return company


# List ----------------------------------------------------------------------------


def test_company_list_shows_public_companies_with_offers_and_storylines(client):
    company = make_company(name="Scheepswerf West BV")
    CompanyFactory(name="Conceptbedrijf", status=DRAFT)
    CompanyFactory(name="Toekomstbedrijf", published_at=future())
    response = client.get(reverse("companies:company-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<h1") == 1
    assert "Scheepswerf West BV" in text
    assert company.get_absolute_url() in text
    assert "bedrijfsbezoek" in text  # offers are listed on the card
    for storyline in company.storylines.all():
        assert storyline.title in text
    assert "Conceptbedrijf" not in text
    assert "Toekomstbedrijf" not in text


def test_company_list_filters_by_storyline_when_storyline_given(client):
    robots = StorylineFactory(title="Robotica", slug="robotica")
    green = StorylineFactory(title="Groene techniek", slug="groen")
    CompanyFactory(name="Robotbouwers").storylines.add(robots)
    CompanyFactory(name="Kwekerij Groen").storylines.add(green)
    response = client.get(reverse("companies:company-list"), {"verhaallijn": "robotica"})
    text = response.content.decode()
    assert "Robotbouwers" in text
    assert "Kwekerij Groen" not in text
    assert response.context["current_storyline"] == robots


def test_company_list_ignores_draft_storyline_filter_when_storyline_not_public(client):
    secret = StorylineFactory(title="Geheim", slug="geheim", status=DRAFT)
    CompanyFactory(name="Geheim Bedrijf").storylines.add(secret)
    CompanyFactory(name="Ander Bedrijf")
    response = client.get(reverse("companies:company-list"), {"verhaallijn": "geheim"})
    text = response.content.decode()
    assert response.context["current_storyline"] is None
    assert "Ander Bedrijf" in text
    assert ">Geheim<" not in text and "Geheim</a>" not in text


# Detail --------------------------------------------------------------------------


def test_company_detail_shows_description_storylines_schools_offers_sessions(client):
    company = make_company(
        name="Installatiebedrijf Koster",
        description="<p>Wij leggen <em>warmtepompen</em> aan.</p>",
        website="https://koster.example",
    )
    response = client.get(company.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<h1") == 1
    assert "Installatiebedrijf Koster" in text
    assert "<em>warmtepompen</em>" in text
    assert "Zo doe je mee" in text
    assert 'aria-label="Kruimelpad"' in text
    for storyline in company.storylines.all():
        assert storyline.title in text
    for school in company.schools.all():
        assert school.name in text
    for offer in company.offers.all():
        assert offer.get_kind_display() in text
    for session in company.sessions.all():
        assert session.title in text


def test_company_detail_hides_non_public_related_content(client):
    company = CompanyFactory()
    company.schools.add(SchoolFactory(name="Conceptschool", status=DRAFT))
    company.storylines.add(StorylineFactory(title="Conceptlijn", status=DRAFT))
    hidden_sessions = [
        SessionFactory(title="Conceptsessie", status=DRAFT),
        SessionFactory(title="Rondesessie", round=MasterclassRoundFactory(status=DRAFT)),
        SessionFactory(title="Schoolsessie", host_school=SchoolFactory(status=DRAFT)),
        SessionFactory(title="Lijnsessie", storyline=StorylineFactory(status=DRAFT)),
        SessionFactory(title="Toekomstsessie", published_at=future()),
    ]
    for session in hidden_sessions:
        session.companies.add(company)
    SessionFactory(title="Zichtbare sessie").companies.add(company)
    text = client.get(company.get_absolute_url()).content.decode()
    assert "Zichtbare sessie" in text
    for hidden in [
        "Conceptschool",
        "Conceptlijn",
        "Conceptsessie",
        "Rondesessie",
        "Schoolsessie",
        "Lijnsessie",
        "Toekomstsessie",
    ]:
        assert hidden not in text


@pytest.mark.parametrize("public", ["draft", "future"])
def test_company_detail_gives_404_when_company_not_public(client, public):
    kwargs = {"status": DRAFT} if public == "draft" else {"published_at": future()}
    company = CompanyFactory(**kwargs)
    assert client.get(company.get_absolute_url()).status_code == 404


def test_company_detail_gives_404_when_slug_unknown(client):
    url = reverse("companies:company-detail", kwargs={"slug": "bestaat-niet"})
    assert client.get(url).status_code == 404


# Query budget --------------------------------------------------------------------

# Each page's own queries, warm: the campaigns and the region come from the shared cache
# (one query each after a content write).
PAGE_QUERIES = {
    "company-list": 5,  # storylines for the filter, count (paging), companies, their storylines, offers
    "company-detail": 5,  # company, storylines, offers, schools, sessions
}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def build_content(size: int) -> dict:
    companies = [
        make_company(related=2 * size if i == 0 else 2, with_logo=(i % 2 == 0)) for i in range(size)
    ]
    CompanyFactory.create_batch(size, status=DRAFT)
    return {
        "company-list": reverse("companies:company-list"),
        "company-detail": companies[0].get_absolute_url(),
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
