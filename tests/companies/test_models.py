"""Companies and their offers: the database and full_clean() both enforce the rules."""

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection

from companies.models import Company, Offer
from tests.factories import CompanyFactory, ContributionFactory, OfferFactory

pytestmark = pytest.mark.django_db


def test_every_companies_constraint_is_tested_and_exists_in_database_when_migrated():
    models = list(apps.get_app_config("companies").get_models())
    declared = {constraint.name for model in models for constraint in model._meta.constraints}
    with connection.cursor() as cursor:
        in_database = {
            name
            for model in models
            for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
        }

    assert declared == {"unique_offer_kind_per_company", "contribution_quantity_positive"}
    assert declared <= in_database


def test_database_rejects_offer_when_company_already_offers_that_kind(db_rejects):
    offer = OfferFactory(kind=Offer.Kind.COMPANY_VISIT)

    with db_rejects("unique_offer_kind_per_company", "companies_offer.company_id"):
        OfferFactory(company=offer.company, kind=Offer.Kind.COMPANY_VISIT)


def test_database_rejects_update_when_it_makes_offer_kind_repeat(db_rejects):
    offer = OfferFactory(kind=Offer.Kind.GUEST_LESSON)
    other = OfferFactory(company=offer.company, kind=Offer.Kind.TASTER_DAY)

    with db_rejects("unique_offer_kind_per_company", "companies_offer.company_id"):
        Offer.objects.filter(pk=other.pk).update(kind=Offer.Kind.GUEST_LESSON)


def test_offers_are_allowed_when_kind_or_company_differs():
    offer = OfferFactory(kind=Offer.Kind.GUEST_LESSON)
    OfferFactory(company=offer.company, kind=Offer.Kind.WORK_PLACEMENT)
    OfferFactory(kind=Offer.Kind.GUEST_LESSON)

    assert Offer.objects.filter(kind=Offer.Kind.GUEST_LESSON).count() == 2


def test_full_clean_rejects_offer_when_company_already_offers_that_kind():
    offer = OfferFactory(kind=Offer.Kind.APPRENTICESHIP)
    duplicate = Offer(company=offer.company, kind=Offer.Kind.APPRENTICESHIP)

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: ["Dit bedrijf heeft dit aanbod al."]}


def test_full_clean_accepts_offer_when_it_is_the_row_itself():
    offer = OfferFactory(kind=Offer.Kind.MASTERCLASS)
    offer.description = "Twee keer per jaar"

    offer.full_clean()


def test_database_rejects_company_when_slug_is_taken(db_rejects):
    CompanyFactory(slug="techniek-bv")

    with db_rejects("slug"):
        CompanyFactory(slug="techniek-bv")


def test_full_clean_rejects_company_when_slug_is_taken():
    CompanyFactory(slug="techniek-bv")
    duplicate = CompanyFactory()
    duplicate.slug = "techniek-bv"

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert excinfo.value.message_dict == {"slug": ["Er bestaat al een Bedrijf met eenzelfde Slug."]}


def test_deleting_company_removes_its_offers_when_it_has_some():
    offer = OfferFactory()

    offer.company.delete()

    assert not Offer.objects.exists()


def test_str_names_company_and_offer_when_shown():
    company = CompanyFactory(name="Damen Shipyards")
    offer = OfferFactory(company=company, kind=Offer.Kind.GUEST_LESSON)

    assert str(company) == "Damen Shipyards"
    assert str(offer) == "Gastles — Damen Shipyards"


def test_companies_are_ordered_by_name_when_listed():
    zeta = CompanyFactory(name="Zeta Installatietechniek")
    alfa = CompanyFactory(name="Alfa Bouw")

    assert list(Company.objects.all()) == [alfa, zeta]


def test_database_rejects_contribution_when_quantity_is_zero(db_rejects):
    with db_rejects("contribution_quantity_positive"):
        ContributionFactory(quantity=0)
