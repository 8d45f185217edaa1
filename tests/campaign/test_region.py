"""The region: one row that coordinators fill in, read in one query per request."""

import pytest
from django.urls import reverse

from campaign.context_processors import coordinator_email
from campaign.models import Region, RegionContact, RegionPartner
from campaign.publishing import PublicationStatus
from campaign.region import get_region
from tests.factories import PageFactory, make_image_file

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


def make_region(**fields) -> Region:
    return Region.objects.create(name="Regio Zuidwoud", **fields)


def test_region_comes_with_partners_and_contacts_in_order_in_one_query(
    django_assert_num_queries,
):
    region = make_region(privacy_page=PageFactory(slug="privacy"))
    RegionPartner.objects.create(region=region, name="Tweede", order=2)
    RegionPartner.objects.create(
        region=region, name='Eerste "met" komma, en quote', url="https://een.example/", order=1
    )
    RegionContact.objects.create(region=region, name="Ilse", role="coördinator", order=1)

    with django_assert_num_queries(1):
        found = Region.objects.current()
        partners = found.footer_partners
        contacts = found.public_contacts
        privacy_url = found.privacy_url

    assert [p.name for p in partners] == ['Eerste "met" komma, en quote', "Tweede"]
    assert partners[0].url == "https://een.example/"
    assert [(c.name, c.role) for c in contacts] == [("Ilse", "coördinator")]
    assert privacy_url == "/privacy/"


def test_region_is_looked_up_once_per_request(rf, django_assert_num_queries):
    make_region()
    request = rf.get("/")
    with django_assert_num_queries(1):
        assert get_region(request).name == "Regio Zuidwoud"
        assert get_region(request).name == "Regio Zuidwoud"


def test_region_comes_from_settings_when_not_filled_in(settings):
    settings.REGION_NAME = "Regio Noordhoek"
    settings.REGION_PROGRAMME_NAME = "Sterk Techniekonderwijs"

    region = Region.objects.current()

    assert region.pk is None
    assert (region.name, region.programme_name) == ("Regio Noordhoek", "Sterk Techniekonderwijs")
    assert region.footer_partners == [] and region.public_contacts == []
    assert region.privacy_url == ""


def test_region_is_named_generally_when_neither_admin_nor_settings_name_it(settings, client):
    settings.REGION_NAME = ""
    assert Region.objects.current().name == "de regio"
    assert "Scholen in de regio" in client.get(reverse("schools:school-list")).text


def test_database_refuses_a_second_region(db_rejects):
    make_region()
    with db_rejects("singleton", "campaign_region"):
        Region.objects.create(name="Nog een regio")


def test_statement_link_is_left_out_when_its_page_is_not_published(client):
    make_region(
        privacy_page=PageFactory(slug="privacy", status=PublicationStatus.DRAFT),
        accessibility_page=PageFactory(slug="toegankelijkheid"),
    )

    html = client.get(reverse("schools:school-list")).text

    assert 'href="/toegankelijkheid/"' in html
    assert 'href="/privacy/"' not in html


def test_contact_address_is_the_first_contact_with_an_email_before_the_settings(rf, settings):
    settings.COORDINATOR_EMAILS = ["uit-instellingen@example.org"]
    assert coordinator_email(rf.get("/")) == "uit-instellingen@example.org"

    region = make_region()
    RegionContact.objects.create(region=region, name="Zonder adres", order=1)
    RegionContact.objects.create(region=region, name="Ilse", email="ilse@example.org", order=2)
    assert coordinator_email(rf.get("/")) == "ilse@example.org"


def test_footer_shows_partners_and_contacts_as_text_when_their_names_are_hostile(client):
    region = make_region(partnership_name=HOSTILE, partnership_description=HOSTILE)
    RegionPartner.objects.create(region=region, name=HOSTILE, url="https://p.example/")
    RegionContact.objects.create(region=region, name=HOSTILE, role=HOSTILE, phone="0123 45")

    html = client.get(reverse("schools:school-list")).text

    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 4
    assert 'href="https://p.example/"' in html
    assert 'href="tel:012345"' in html


# --------------------------------------------------------------------- admin


def admin_url(view, *args):
    return reverse(f"admin:campaign_region_{view}", args=args)


def test_region_list_leads_to_the_add_page_when_there_is_no_region(coordinator_client):
    response = coordinator_client.get(admin_url("changelist"))
    assert response.status_code == 302
    assert response["Location"] == admin_url("add")
    add_page = coordinator_client.get(admin_url("add"))
    assert add_page.status_code == 200
    assert 'name="_addanother"' not in add_page.text


def test_region_list_leads_to_the_one_region_when_filled_in(coordinator_client):
    region = make_region()

    response = coordinator_client.get(admin_url("changelist"))

    assert response["Location"] == admin_url("change", region.pk)
    assert coordinator_client.get(admin_url("add")).status_code == 403
    assert coordinator_client.get(admin_url("delete", region.pk)).status_code == 403


def test_coordinator_adds_a_partner_with_logo_and_a_contact_on_the_region_page(
    coordinator_client,
):
    from tests.campaign.test_history import form_data

    region = make_region()
    url = admin_url("change", region.pk)
    data = form_data(
        coordinator_client.get(url),
        partnership_name="Samen Techniek Zuidwoud",
        **{
            "partners-TOTAL_FORMS": "1",
            "partners-0-name": "Werkplaats Zuidwoud",
            "partners-0-url": "https://werkplaats.example/",
            "partners-0-order": "1",
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": "Ilse Verbeek",
            "contacts-0-email": "ilse@example.org",
            "contacts-0-order": "1",
        },
    )
    data["partners-0-logo"] = make_image_file("logo.png", image_format="PNG")

    response = coordinator_client.post(url, data)

    assert response.status_code == 302, list(response.context["errors"])
    region = Region.objects.current()
    assert region.partnership_name == "Samen Techniek Zuidwoud"
    [partner] = region.footer_partners
    assert partner.name == "Werkplaats Zuidwoud" and partner.logo.name.startswith("partners/")
    assert [c.email for c in region.public_contacts] == ["ilse@example.org"]


def test_region_page_offers_only_pages_without_a_campaign_as_statements(coordinator_client):
    from tests.factories import CampaignFactory

    site_page = PageFactory(title="Privacyverklaring")
    campaign_page = PageFactory(title="Voor ouders van de campagne", campaign=CampaignFactory())

    html = coordinator_client.get(admin_url("add")).text

    assert f'value="{site_page.pk}"' in html
    assert f'value="{campaign_page.pk}"' not in html
