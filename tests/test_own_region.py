"""Another region runs its own installation by data alone.

1. No template or module names the demo region, its towns, schools, companies or people:
   the names come from the demo data file, so the list stays right when the demo changes.
2. The README's "Start your own region" steps, done exactly as written with a made-up
   region (through the admin where the README says so), give a site that shows that
   region's name, partners and campaign on every public page, and no demo name anywhere.
"""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, Page, Region, Storyline
from companies.models import Company
from demo.loader import read_content
from schools.models import School
from tests.campaign.test_history import form_data
from tests.factories import make_image_file

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
NOT_CODE = {"tests", "demo", ".venv", "node_modules", ".git", "locale", "locale-django"}


def demo_region_names() -> set[str]:
    """The demo region's names as the data file has them: region, places, organisations, people."""
    content = read_content()
    region = content["region"]
    names = {region["name"], region["partnership_name"], *region["other_names"]}
    names |= {row["name"] for row in region["partners"] + region["contacts"]}
    for row in content["schools"] + content["companies"]:
        names |= {row["name"], row["town"]}
    return names


def names_pattern(names) -> re.Pattern:
    words = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


def code_files():
    """Templates, Python modules (settings too) and the site's own CSS, JS and SVG."""
    for path in sorted(ROOT.rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & NOT_CODE or not path.is_file():
            continue
        if path.suffix == ".py" or "templates" in parts or path.suffix in {".css", ".js", ".svg"}:
            yield path


def test_the_demo_region_names_many_places_and_schools():
    names = demo_region_names()
    assert {"West-Friesland", "Hoorn", "Enkhuizen", "Vakcollege Westerdijk"} <= names
    assert len(names) > 40


def test_no_template_or_module_names_the_demo_region_when_read_line_by_line():
    pattern = names_pattern(demo_region_names())
    found = []
    for path in code_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if match := pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {match.group()}")
    assert found == []


def test_the_check_finds_a_demo_name_when_one_is_written_in_code():
    pattern = names_pattern(demo_region_names())
    assert pattern.search('{% translate "Scholen in West-Friesland" %}')
    assert pattern.search("town = 'hoorn'")
    assert not pattern.search("de eenhoorn van Zuidwoud")


# --------------------------------------------------------------------------------------
# The README's steps with a made-up region

REGION = "Regio Zuidwoud"
PARTNERSHIP = "Samen Techniek Zuidwoud"
PARTNER = "Stichting Werkplaats Zuidwoud"
CONTACT = "Ilse Verbeek"
CAMPAIGN = "Maak het in Zuidwoud"
SCHOOL = "Lyceum De Zuidpier"
COMPANY = "Pompenfabriek Zuidwoud"
STORYLINE = "Pompen en gemalen"


def readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Start your own region")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def add_in_admin(client, model, files=None, **fields):
    """Fill in the admin's add form of ``model`` as a coordinator would, and save it."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    page = client.get(url)
    assert page.status_code == 200, url
    response = client.post(url, {**form_data(page, **fields), **(files or {})})
    assert response.status_code == 302, response.context and list(response.context["errors"])
    return model.objects.order_by("-pk").first()


def published(days_ago=1) -> dict:
    moment = timezone.localtime() - dt.timedelta(days=days_ago)
    return {
        "status": "published",
        "published_at_0": moment.strftime("%d-%m-%Y"),
        "published_at_1": moment.strftime("%H:%M:%S"),
    }


def start_own_region(client):
    """Every step of the README's section, in its order."""
    steps = readme_section()

    # 1. An empty installation: migrate (the test database is migrated; this checks it is
    #    complete) and a superuser, as the README says.
    assert "manage.py migrate" in steps and "manage.py createsuperuser" in steps
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    call_command(
        "createsuperuser",
        interactive=False,
        username="beheer",
        email="beheer@zuidwoud.example",
        stdout=io.StringIO(),
    )
    client.force_login(get_user_model().objects.get(username="beheer"))

    # 2. The statements, as pages without a campaign.
    assert "Pagina" in steps
    privacy = add_in_admin(
        client,
        Page,
        title="Privacyverklaring",
        slug="privacy",
        intro="Wat Samen Techniek Zuidwoud met uw gegevens doet.",
        body="<p>We bewaren zo weinig mogelijk.</p>",
        **published(),
    )
    accessibility = add_in_admin(
        client,
        Page,
        title="Toegankelijkheid",
        slug="toegankelijkheid",
        body="<p>We volgen WCAG 2.1 AA.</p>",
        **published(),
    )

    # 3. The region, its contacts and partners.
    assert "Regio" in steps
    add_in_admin(
        client,
        Region,
        files={"partners-0-logo": make_image_file("werkplaats.png", image_format="PNG")},
        name=REGION,
        partnership_name=PARTNERSHIP,
        partnership_description="Vmbo-scholen en bedrijven in Zuidwoud laten zien wat techniek is.",
        programme_name="Sterk Techniekonderwijs",
        programme_url="https://www.sterktechniekonderwijs.nl/",
        privacy_page=str(privacy.pk),
        accessibility_page=str(accessibility.pk),
        **{
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": CONTACT,
            "contacts-0-role": "coördinator",
            "contacts-0-email": "ilse@zuidwoud.example",
            "contacts-0-phone": "0123 45 67 89",
            "contacts-0-order": "1",
            "partners-TOTAL_FORMS": "1",
            "partners-0-name": PARTNER,
            "partners-0-url": "https://werkplaats.zuidwoud.example/",
            "partners-0-order": "1",
        },
    )

    # 4. The campaign, published and the primary one, and its storylines, published.
    assert "Campagnes" in steps and "Verhaallijnen" in steps
    campaign = add_in_admin(
        client,
        Campaign,
        name=CAMPAIGN,
        slug="maak-het",
        tagline="Techniek zit overal in Zuidwoud",
        intro="Pompen, gemalen en dijken: in Zuidwoud houdt techniek je voeten droog.",
        primary_color="#0B6E4F",
        secondary_color="#08415C",
        is_primary="on",
        **published(),
    )
    storyline = add_in_admin(
        client,
        Storyline,
        files={"hero_image": make_image_file("gemaal.jpg", size=(1200, 675))},
        campaign=str(campaign.pk),
        hero_image_alt="Een gemaal aan de dijk van Zuidwoud",
        title=STORYLINE,
        slug="pompen-en-gemalen",
        color="#0B6E4F",
        pupil_text="Zonder pompen stond Zuidwoud onder water. Jij kunt ze leren bouwen.",
        order="1",
        **published(),
    )

    # 5. Schools and companies, published and linked to the storyline.
    assert "Scholen" in steps and "Bedrijven" in steps
    school = add_in_admin(
        client,
        School,
        name=SCHOOL,
        slug="de-zuidpier",
        profile="technical",
        summary="Techniek en water op de pier van Zuidwoud.",
        street_address="Pierweg 1",
        postal_code="9999 ZW",
        town="Zuidwoud",
        website="https://zuidpier.example/",
        storylines=[str(storyline.pk)],
        **published(),
    )
    company = add_in_admin(
        client,
        Company,
        name=COMPANY,
        slug="pompenfabriek-zuidwoud",
        town="Zuidwoud",
        summary="Bouwt de pompen van de gemalen.",
        website="https://pompen.zuidwoud.example/",
        storylines=[str(storyline.pk)],
        schools=[str(school.pk)],
        **published(),
    )
    client.logout()
    return {"storyline": storyline, "school": school, "company": company}


@pytest.mark.django_db
def test_a_made_up_region_set_up_as_the_readme_says_shows_itself_and_no_demo_name(client):
    rows = start_own_region(client)
    demo_names = names_pattern(demo_region_names())

    html_pages = {
        "home": reverse("home"),
        "storylines": reverse("campaign:storyline-list"),
        "storyline": rows["storyline"].get_absolute_url(),
        "schools": reverse("schools:school-list"),
        "school": rows["school"].get_absolute_url(),
        "open days": reverse("schools:open-days"),
        "companies": reverse("companies:company-list"),
        "company": rows["company"].get_absolute_url(),
        "agenda": reverse("events:session-list"),
        "news": reverse("schools:news-list"),
        "for parents": reverse("audience-parents"),
        "for companies": reverse("audience-companies"),
        "privacy": reverse("campaign:page-detail", args=["privacy"]),
        "search": reverse("search") + "?q=Zuidpier",
        "404": "/bestaat-niet/",
    }
    for name, path in html_pages.items():
        response = client.get(path)
        assert response.status_code == (404 if name == "404" else 200), name
        html = response.content.decode()
        for shown in (REGION, PARTNER, CAMPAIGN, CONTACT, "/privacy/", "/toegankelijkheid/"):
            assert shown in html, f"{name} does not show {shown}"
        assert not demo_names.search(html), f"{name}: {demo_names.search(html).group()}"
    assert SCHOOL in client.get(html_pages["search"]).content.decode()
    assert SCHOOL in client.get(html_pages["schools"]).content.decode()
    assert COMPANY in client.get(html_pages["storyline"]).content.decode()

    other_pages = {
        "news RSS": (reverse("schools:news-feed"), [REGION]),
        "news Atom": (reverse("schools:news-atom"), [REGION]),
        "agenda .ics": (reverse("events:agenda-ics"), []),
        "sitemap": (reverse("sitemap"), ["/scholen/de-zuidpier/", "/bedrijven/pompenfabriek"]),
        "robots.txt": (reverse("robots-txt"), []),
    }
    for name, (path, shown) in other_pages.items():
        response = client.get(path)
        assert response.status_code == 200, name
        text = response.content.decode()
        assert all(part in text for part in shown), f"{name} does not show {shown}"
        assert not demo_names.search(text), f"{name}: {demo_names.search(text).group()}"
