"""Browser-test fixtures: the demo site on a live server, and pages that watch themselves.

Every browser test runs in a real (headless) Chromium against pytest-django's live
server, with the demo content loaded. The live server forces a transactional database,
which is emptied after each test, so each test loads the demo content again (about half
a second); the pictures it writes and their renditions stay in one media folder for the
whole run.
"""

from io import StringIO
from urllib.parse import urljoin

import pytest
from django.core import mail
from django.core.management import call_command

from tests.browser.watch import DESKTOP, PageWatch


@pytest.fixture(scope="session")
def _browser_media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(autouse=True)
def _media_root(settings, _browser_media_root):
    """Overrides tests/conftest.py: one media folder for every browser test.

    The demo's pictures are drawn once per process (demo/pictures.py caches them) and
    saved through the image fields again for each test, into this one folder.
    """
    settings.MEDIA_ROOT = _browser_media_root


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": DESKTOP,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
    }


class DemoSite:
    """The demo site on the live server: absolute URLs of its pages."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/") + "/"

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path.lstrip("/"))


@pytest.fixture
def site(live_server, settings):
    """The live server with the demo content, serving uploaded files too."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    # Canonical links, feeds and JSON-LD point at the site itself, as in production.
    settings.SITE_URL = live_server.url
    call_command("load_demo_content", stdout=StringIO())
    # The demo's sign-ups go through the service and mail their confirmations; a test
    # counts only the mail it causes itself.
    mail.outbox.clear()
    return DemoSite(live_server.url)


@pytest.fixture
def watched_page(page, site):
    """The Playwright page, watched for console errors, CSP violations and foreign requests."""
    return PageWatch(page, site.base_url)
