"""No template variable fails to resolve on a public page.

Django logs every failed lookup (``{{ missing }}``, ``{% if company.not_prefetched %}``)
on the ``django.template`` logger and renders an empty string: a silent bug, such as a
card that never shows its offers. Here every public page type, and every page in the
sitemap, is rendered with the demo content, and any such failure fails the test.
"""

import logging
from io import StringIO

import pytest
from defusedxml import ElementTree
from django.core.management import call_command
from django.urls import reverse

from schools.models import School
from tests.browser import demo
from tests.factories import add_care_campaign

pytestmark = pytest.mark.django_db

CARE = "zorg"  # the URL space of tests.factories.add_care_campaign


class FailedLookups(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.failures: list[str] = []

    def emit(self, record):
        if record.getMessage().startswith("Exception while resolving variable"):
            self.failures.append(record.getMessage())


@pytest.fixture
def failed_lookups():
    """The failed variable lookups of the templates rendered during the test."""
    handler = FailedLookups()
    logger = logging.getLogger("django.template")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # not the tracebacks of the expected failure in the output
    yield handler.failures
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate


def sitemap_paths(client) -> list[str]:
    xml = client.get(reverse("sitemap")).content
    locations = [
        node.text for node in ElementTree.fromstring(xml).iter() if node.tag.endswith("loc")
    ]
    return ["/" + location.split("/", 3)[3] for location in locations]


def other_public_paths() -> list[str]:
    storyline = reverse("campaign:storyline-detail", args=[demo.STORYLINE])
    return [
        *(f"{storyline}?voor={audience}" for audience in ("ouders", "scholen", "bedrijven")),
        reverse("schools:school-list") + "?profiel=technisch",
        reverse("school-compare"),
        reverse("companies:company-list") + f"?verhaallijn={demo.STORYLINE}",
        reverse("events:session-list") + f"?verhaallijn={demo.STORYLINE}",
        reverse("search") + f"?q={demo.SEARCH_WORD}",
        reverse("search") + "?q=zzzgeentreffer",
        reverse("search"),
        reverse("this-week"),
        "/bestaat-niet/",
        # A second campaign's pages beside those the sitemap lists.
        f"/{CARE}/deze-week/",
        f"/{CARE}/masterclasses/?verhaallijn=zorg-thuis",
        f"/{CARE}/verhaallijnen/zorg-thuis/?voor=ouders",
        f"/{CARE}/bestaat-niet/",
    ]


def test_failed_lookups_are_caught_when_a_template_reads_a_missing_variable(failed_lookups):
    from django.template import engines

    engines["django"].from_string("{% if company.offer_list %}x{% endif %}").render({})

    assert failed_lookups, "the check would prove nothing"


def test_no_variable_fails_to_resolve_when_every_public_page_is_rendered(client, failed_lookups):
    call_command("load_demo_content", stdout=StringIO())
    # A second campaign beside the demo's, its pages under /zorg/ (in the sitemap too).
    add_care_campaign(host_school=School.objects.get(slug=demo.SCHOOL))
    paths = sitemap_paths(client)
    assert len(paths) > 30, paths
    assert {f"/{CARE}/", f"/{CARE}/verhaallijnen/zorg-thuis/"} <= set(paths), paths
    failures = {}
    for path in [*paths, *other_public_paths()]:
        before = len(failed_lookups)
        response = client.get(path)
        assert response.status_code in (200, 404), path
        if len(failed_lookups) > before:
            failures[path] = sorted(set(failed_lookups[before:]))

    assert not failures, "\n".join(f"{path}: {lines}" for path, lines in failures.items())
