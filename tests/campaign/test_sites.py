"""Each campaign's URL space: /<slug>/... never shadows the site's own addresses."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import get_resolver, resolve, reverse
from django.urls.resolvers import URLPattern, URLResolver

from campaign.models import RESERVED_SLUGS, Campaign, Page
from campaign.publishing import PublicationStatus
from campaign.services import CampaignError, make_primary_campaign
from campaign.sites import admin_segment
from tests.factories import CampaignFactory, PageFactory, StorylineFactory

pytestmark = pytest.mark.django_db


def first_segments(patterns, prefix="") -> set[str]:
    """The literal first path segment of every pattern (those starting with a
    converter, the campaign spaces and the free pages, have none)."""
    segments = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver) and route in ("", "/"):
            segments |= first_segments(pattern.url_patterns, route.strip("/"))
        elif isinstance(pattern, URLPattern | URLResolver) and route and route[0] not in "<(":
            segments.add(route.split("/", 1)[0].rstrip("$"))
    return segments


def test_every_first_segment_of_the_site_is_reserved_for_campaign_slugs():
    segments = first_segments(get_resolver().url_patterns) - {admin_segment()}
    # thema.<fingerprint>.css: a segment with a dot is never a slug.
    segments = {s for s in segments if not ("<" in s and "." in s)}
    assert segments <= RESERVED_SLUGS, segments - RESERVED_SLUGS


def test_campaign_slug_is_refused_when_it_is_an_address_of_the_site(settings):
    settings.ADMIN_URL_PATH = "kantoor/"
    for slug in ("masterclasses", "kantoor"):
        with pytest.raises(ValidationError, match="is al een adres van de website"):
            CampaignFactory.build(slug=slug).full_clean()


def test_campaign_and_page_cannot_share_a_slug_when_either_comes_second():
    PageFactory(slug="zorg")
    with pytest.raises(ValidationError, match="Een pagina heeft al dit adres"):
        CampaignFactory.build(slug="zorg").full_clean()
    CampaignFactory(slug="bouw")
    with pytest.raises(ValidationError, match="Een campagne heeft al dit adres"):
        PageFactory.build(slug="bouw").full_clean()


def test_site_addresses_resolve_as_before_when_a_campaign_exists():
    CampaignFactory()
    CampaignFactory(slug="zorg")
    assert resolve("/verhaallijnen/robotica/").url_name == "storyline-detail"
    assert "campaign_slug" not in resolve("/verhaallijnen/robotica/").kwargs
    assert resolve("/masterclasses/").kwargs == {}
    assert resolve("/zorg/masterclasses/").kwargs == {"campaign_slug": "zorg"}
    assert resolve("/zorg/").url_name == "landing"


def test_links_go_to_each_campaigns_own_address_when_there_are_two():
    primary = CampaignFactory()
    care = CampaignFactory(slug="zorg")
    assert primary.is_primary and not care.is_primary

    assert StorylineFactory(campaign=primary, slug="robots").get_absolute_url() == (
        "/verhaallijnen/robots/"
    )
    assert StorylineFactory(campaign=care, slug="zorgrobots").get_absolute_url() == (
        "/zorg/verhaallijnen/zorgrobots/"
    )
    assert care.get_absolute_url() == "/zorg/"
    assert primary.get_absolute_url() == "/"
    assert PageFactory(campaign=care, slug="over-zorg").get_absolute_url() == "/zorg/over-zorg/"
    assert PageFactory(slug="privacy").get_absolute_url() == reverse(
        "campaign:page-detail", args=["privacy"]
    )


def test_free_page_is_served_at_its_slug_when_no_campaign_has_it(client):
    CampaignFactory()
    PageFactory(slug="privacy", title="Privacyverklaring")
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "Privacyverklaring" in response.text
    assert client.get("/bestaat-niet/").status_code == 404


def test_campaign_page_is_served_in_its_own_space_only(client):
    CampaignFactory()
    care = CampaignFactory(slug="zorg")
    PageFactory(campaign=care, slug="over-zorg", title="Over zorg")
    assert client.get("/zorg/over-zorg/").status_code == 200
    assert client.get("/over-zorg/").status_code == 404


def test_the_primary_campaign_has_no_second_address(client):
    CampaignFactory(slug="techniek")
    assert client.get("/techniek/").status_code == 404
    assert client.get("/techniek/verhaallijnen/").status_code == 404


def test_admin_add_form_proposes_primary_only_for_the_first_campaign(coordinator_client):
    url = reverse("admin:campaign_campaign_add")
    checkbox = re.compile(r'<input type="checkbox" name="is_primary"[^>]*>')
    assert "checked" in checkbox.search(coordinator_client.get(url).text)[0]
    CampaignFactory()
    assert "checked" not in checkbox.search(coordinator_client.get(url).text)[0]


def test_campaign_change_page_says_what_goes_live_and_that_the_home_page_stays(
    coordinator_client,
):
    primary = CampaignFactory(name="Techniek voor iedereen")
    care = CampaignFactory(slug="zorg", status=PublicationStatus.DRAFT)
    StorylineFactory(campaign=care)
    StorylineFactory(campaign=care, status=PublicationStatus.DRAFT)

    html = coordinator_client.get(reverse("admin:campaign_campaign_change", args=[care.pk])).text
    assert (
        "Nog niet zichtbaar voor bezoekers (voorbeeld). Gaat live op /zorg/ met 1 verhaallijnen"
        in (html)
    )
    assert f"De homepagina blijft “{primary.name}” tonen" in html

    primary_page = coordinator_client.get(
        reverse("admin:campaign_campaign_change", args=[primary.pk])
    ).text
    assert "Staat live op / met" in primary_page
    assert "Dit is de hoofdcampagne" in primary_page
    assert Campaign.objects.count() == 2 and Page.objects.count() == 0


def test_make_primary_moves_the_home_page_to_another_campaign_in_one_step(client):
    techniek = CampaignFactory(slug="techniek")
    care = CampaignFactory(slug="zorg")
    StorylineFactory(campaign=care, title="Zorgrobots", slug="zorgrobots")

    make_primary_campaign(campaign=care)

    techniek.refresh_from_db()
    care.refresh_from_db()
    assert care.is_primary and not techniek.is_primary
    assert "Zorgrobots" in client.get("/").text
    assert client.get("/techniek/").status_code == 200
    assert client.get("/zorg/").status_code == 404


def test_make_primary_refuses_a_campaign_in_draft():
    primary = CampaignFactory()
    draft = CampaignFactory(status=PublicationStatus.DRAFT)

    with pytest.raises(CampaignError, match="Publiceer"):
        make_primary_campaign(campaign=draft)
    primary.refresh_from_db()
    assert primary.is_primary


def test_admin_action_makes_the_chosen_campaign_primary(coordinator_client):
    CampaignFactory()
    care = CampaignFactory(name="Zorg doet ertoe")

    response = coordinator_client.post(
        reverse("admin:campaign_campaign_changelist"),
        {"action": "make_primary", "_selected_action": [care.pk]},
        follow=True,
    )

    assert "“Zorg doet ertoe” staat nu op de homepagina" in response.text
    assert Campaign.objects.get(is_primary=True) == care


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_the_shown_campaign_at_home_and_gives_it_the_old_rounds():
    import datetime as dt

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from events.models import MasterclassRound

    before = [
        ("campaign", "0013_region_permissions"),
        ("events", "0009_remove_sessionfigures"),
    ]
    after = [("campaign", "0014_campaigns_side_by_side"), ("events", "0010_campaigns_side_by_side")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        OldCampaign = old_apps.get_model("campaign", "Campaign")
        OldCampaign.objects.create(name="Oud", slug="oud", is_active=False)
        OldCampaign.objects.create(name="Techniek", slug="techniek", is_active=True)
        old_apps.get_model("events", "MasterclassRound").objects.create(
            name="Voorjaar",
            slug="voorjaar",
            starts_on=dt.date(2027, 3, 1),
            ends_on=dt.date(2027, 4, 1),
        )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)

    techniek, old = Campaign.objects.get(slug="techniek"), Campaign.objects.get(slug="oud")
    assert techniek.is_primary and techniek.status == PublicationStatus.PUBLISHED
    assert not old.is_primary and old.status == PublicationStatus.DRAFT
    assert Campaign.objects.primary() == techniek
    assert MasterclassRound.objects.get(slug="voorjaar").campaign == techniek
