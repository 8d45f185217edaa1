"""Every public page type is valid HTML according to the W3C Nu Html Checker (vnu.jar).

The checker runs offline on Java 17+. Its jar comes from the npm package ``vnu-jar``
(``npm ci`` with it as a devDependency puts it in node_modules/); ``VNU_JAR`` points
elsewhere. Without Java or the jar the test is skipped, and fails in CI (STRICT_TESTS=1).
"""

import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from campaign.preview import preview_url
from campaign.publishing import PublicationStatus
from config.views import server_error
from events.models import Session
from schools.models import School
from tests.browser import demo
from tests.conftest import skip_or_fail
from tests.factories import PageFactory, add_care_campaign

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def vnu():
    """The command that runs the checker: ``[java, -jar, vnu.jar]``."""
    java = shutil.which("java")
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_JAR)
    if not java:
        skip_or_fail("needs Java 17+ for the Nu Html Checker (apt-get install default-jre)")
    if not jar.is_file():
        skip_or_fail(f"needs the Nu Html Checker at {jar} (npm ci, or set VNU_JAR)")
    return [java, "-jar", str(jar)]


def html_pages() -> dict[str, str]:
    session = Session.objects.order_by("starts_at").first()
    return {
        "home": reverse("home"),
        "storyline-list": reverse("campaign:storyline-list"),
        "storyline": reverse("campaign:storyline-detail", args=[demo.STORYLINE]),
        "storyline-parents": reverse("campaign:storyline-detail", args=[demo.STORYLINE])
        + "?voor=ouders",
        "audience-parents": reverse("audience-parents"),
        "audience-schools": reverse("audience-schools"),
        "audience-companies": reverse("audience-companies"),
        "school-list": reverse("schools:school-list"),
        "school-compare": reverse("school-compare"),
        "school": reverse("schools:school-detail", args=[demo.SCHOOL]),
        "open-days": reverse("schools:open-days"),
        "news-list": reverse("schools:news-list"),
        "news-item": reverse("schools:news-detail", args=[demo.NEWS]),
        "company-list": reverse("companies:company-list"),
        "company": reverse("companies:company-detail", args=[demo.COMPANY]),
        "agenda": reverse("events:session-list"),
        "session": session.get_absolute_url(),
        # With the pupils' forms and the partners' form; and with the partners' form only.
        "session-mixed": Session.objects.get(audience_type="both").get_absolute_url(),
        "session-partners": Session.objects.get(audience_type="partners").get_absolute_url(),
        "search": reverse("search"),
        "search-results": reverse("search") + f"?q={demo.SEARCH_WORD}",
        "privacy": reverse("campaign:page-detail", args=["privacy"]),
        "accessibility": reverse("campaign:page-detail", args=["toegankelijkheid"]),
        "this-week": reverse("this-week"),
        "this-week-earlier": "/deze-week/2026-10/",
        "not-found": "/bestaat-niet/",
        # A second campaign's own pages (add_care_campaign).
        "care-landing": "/zorg/",
        "care-storyline": "/zorg/verhaallijnen/zorg-thuis/",
        "care-agenda": "/zorg/masterclasses/",
        "care-session": Session.objects.get(title="Zorgles").get_absolute_url(),
    }


def test_every_public_page_is_valid_html(client, vnu, tmp_path):
    call_command("load_demo_content", stdout=StringIO())
    # The measured school hosts a session of a second campaign: its page shows that part.
    add_care_campaign(host_school=School.objects.get(slug=demo.SCHOOL))
    pages = html_pages()
    # A shared preview link of a draft: the page with the "Concept" banner.
    pages["preview"] = preview_url(PageFactory(status=PublicationStatus.DRAFT, slug="concept"))
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == (404 if name == "not-found" else 200), name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    files.append(tmp_path / "server-error.html")
    files[-1].write_bytes(server_error(RequestFactory().get("/")).content)

    # Fixed arguments and our own temporary files: nothing from outside reaches the command.
    result = subprocess.run(  # noqa: S603
        [*vnu, "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout.strip(), result.stderr
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{Path(message.get('url', '?')).name}:{message.get('lastLine', '?')}: "
        f"{message['message']}  [{(message.get('extract') or '').strip()}]"
        for message in messages
        if message["type"] in {"error", "non-document-error"}
    ]
    assert not errors, "\n" + "\n".join(errors)
