import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company, Contribution, Offer
from tests.factories import (
    CompanyFactory,
    ContributionFactory,
    OfferFactory,
    SchoolFactory,
    StorylineFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db


def make_company():
    company = CompanyFactory(logo=make_image_file("logo.png", image_format="PNG"))
    company.storylines.add(StorylineFactory())
    company.schools.add(SchoolFactory())
    OfferFactory(company=company, kind=Offer.Kind.GUEST_LESSON)
    OfferFactory(company=company, kind=Offer.Kind.COMPANY_VISIT)
    return company


FACTORIES = {Company: make_company, Offer: OfferFactory, Contribution: ContributionFactory}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_companies_model_is_covered_when_registered_in_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "companies"}
    assert registered == set(FACTORIES)


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_coordinator_gets_changelist_add_and_change_page_when_in_group(coordinator_client, model):
    obj = FACTORIES[model]()

    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = coordinator_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_changelist_query_count_stays_the_same_when_ten_times_more_rows(
    coordinator_client, django_assert_num_queries, model
):
    FACTORIES[model]()
    url = admin_url(model, "changelist")
    coordinator_client.get(url)
    with CaptureQueriesContext(connection) as one_row:
        assert coordinator_client.get(url).status_code == 200

    expected = len(one_row.captured_queries)  # read before the next request resets the log
    for _ in range(9):
        FACTORIES[model]()
    coordinator_client.get(url)  # warm: the site data, read again after the writes
    with django_assert_num_queries(expected):
        response = coordinator_client.get(url)
    assert response.context["cl"].result_count == model.objects.count() >= 10


def test_company_changelist_shows_offers_and_logo_when_listed(coordinator_client):
    make_company()

    html = coordinator_client.get(admin_url(Company, "changelist")).content.decode()

    assert "Gastles" in html and "Bedrijfsbezoek" in html
    assert 'width="96" height="72"' in html


def test_company_changelist_filters_by_offer_kind_when_chosen(coordinator_client):
    visiting = make_company()
    CompanyFactory()

    response = coordinator_client.get(
        admin_url(Company, "changelist"), {"offers__kind": "company_visit"}
    )

    assert list(response.context["cl"].result_list) == [visiting]


def company_post_data(**overrides):
    data = {
        "name": "Damen Shipyards",
        "slug": "damen",
        "sector": "Scheepsbouw",
        "town": "Den Helder",
        "summary": "",
        "description": "",
        "website": "",
        "contact_name": "",
        "contact_email": "",
        "status": "draft",
        "published_at_0": "2027-01-10",
        "published_at_1": "09:00",
        "offers-TOTAL_FORMS": "0",
        "offers-INITIAL_FORMS": "0",
        "offers-MIN_NUM_FORMS": "0",
        "offers-MAX_NUM_FORMS": "1000",
        "contributions-TOTAL_FORMS": "0",
        "contributions-INITIAL_FORMS": "0",
        "contributions-MIN_NUM_FORMS": "0",
        "contributions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def offer(index, kind):
    return {f"offers-{index}-kind": kind, f"offers-{index}-description": ""}


def test_company_add_saves_offers_when_input_valid(coordinator_client):
    data = company_post_data(
        **{"offers-TOTAL_FORMS": "2"}, **offer(0, "guest_lesson"), **offer(1, "taster_day")
    )

    response = coordinator_client.post(admin_url(Company, "add"), data)

    assert response.status_code == 302
    assert Company.objects.get().offers.count() == 2


def test_company_add_shows_form_error_when_offer_kind_twice(coordinator_client):
    data = company_post_data(
        **{"offers-TOTAL_FORMS": "2"}, **offer(0, "guest_lesson"), **offer(1, "guest_lesson")
    )

    response = coordinator_client.post(admin_url(Company, "add"), data)

    assert response.status_code == 200
    assert (
        "Elk soort aanbod staat er één keer in: Gastles staat er twee keer in."
        in response.content.decode()
    )
    assert not Company.objects.exists()
    assert not Offer.objects.exists()


def test_offer_add_shows_form_error_when_company_already_offers_it(coordinator_client):
    existing = OfferFactory(kind=Offer.Kind.TASTER_DAY)

    response = coordinator_client.post(
        admin_url(Offer, "add"),
        {"company": existing.company_id, "kind": "taster_day", "description": ""},
    )

    assert response.status_code == 200
    assert "Dit bedrijf heeft dit aanbod al." in response.content.decode()
    assert Offer.objects.count() == 1


def test_company_add_shows_form_error_when_slug_taken(coordinator_client):
    CompanyFactory(slug="damen")

    response = coordinator_client.post(admin_url(Company, "add"), company_post_data())

    assert response.status_code == 200
    assert "Er bestaat al een Bedrijf met eenzelfde Slug." in response.content.decode()
    assert Company.objects.count() == 1


def test_contribution_changelist_filters_by_year_and_kind_when_chosen(coordinator_client):
    this = ContributionFactory(date=dt.date(2027, 3, 1), kind=Contribution.Kind.INTERNSHIP_PLACES)
    ContributionFactory(date=dt.date(2026, 3, 1), kind=Contribution.Kind.INTERNSHIP_PLACES)
    ContributionFactory(date=dt.date(2027, 4, 1), kind=Contribution.Kind.GUEST_LESSON)

    response = coordinator_client.get(
        admin_url(Contribution, "changelist"), {"jaar": "2027", "kind__exact": "internship_places"}
    )

    assert list(response.context["cl"].result_list) == [this]
    # A year typed by hand that is no number filters nothing, and is no error.
    response = coordinator_client.get(admin_url(Contribution, "changelist"), {"jaar": "x"})
    assert response.status_code == 200


def test_company_change_page_keeps_contributions_inline(coordinator_client):
    company = make_company()
    ContributionFactory(company=company, note="Drie stageplaatsen voor de bouw")

    html = coordinator_client.get(admin_url(Company, "change", company.pk)).content.decode()

    assert "Drie stageplaatsen voor de bouw" in html
