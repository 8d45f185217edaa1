"""A summary is not shown again when the text below already says it."""

import pytest
from django.urls import reverse

from campaign.templatetags.text import is_repeated_in
from tests.factories import NewsItemFactory, SessionFactory


@pytest.mark.parametrize(
    ("summary", "body", "repeated"),
    [
        ("Kort nieuws.", "<p>Kort nieuws.</p>", True),
        ("Kort  nieuws", "<p>Kort nieuws. En meer.</p>", True),
        ("Bouw een robot…", "<p>Bouw een robotarm die kan grijpen.</p>", True),
        ("Tom &amp; Jerry", "<p>Tom &amp; Jerry bouwen.</p>", True),
        ("Tom & Jerry bouwen", "<p>Tom &amp; Jerry bouwen.</p>", True),
        ("Kort nieuws.", "<p>Ander nieuws. Kort nieuws.</p>", False),
        ("Een samenvatting", "<p>Het hele verhaal.</p>", False),
        ("", "<p>Tekst</p>", False),
        ("...", "<p>Tekst</p>", False),
        ("Tekst", "", False),
    ],
)
def test_summary_is_repeated_when_body_opens_with_it(summary, body, repeated):
    assert is_repeated_in(summary, body) is repeated


@pytest.mark.django_db
def test_short_news_item_shows_its_text_once(client):
    item = NewsItemFactory(summary="De tiny house is af.", body="<p>De tiny house is af.</p>")
    text = client.get(reverse("schools:news-detail", args=[item.slug])).text
    main = text.split("<main", 1)[1]
    assert main.count("De tiny house is af.") == 1


@pytest.mark.django_db
def test_news_item_keeps_a_summary_that_says_something_else(client):
    item = NewsItemFactory(summary="Kort gezegd: het huis is af.", body="<p>Lang verhaal.</p>")
    text = client.get(reverse("schools:news-detail", args=[item.slug])).text
    assert "Kort gezegd: het huis is af." in text.split("<main", 1)[1]


@pytest.mark.django_db
def test_session_summary_is_not_repeated_under_what_you_will_do(client):
    session = SessionFactory(
        summary="Je programmeert een robotarm.",
        description="<p>Je programmeert een robotarm. Daarna laat je hem grijpen.</p>",
    )
    main = client.get(session.get_absolute_url()).text.split("<main", 1)[1]
    assert main.count("Je programmeert een robotarm.") == 1
    assert "Daarna laat je hem grijpen." in main
