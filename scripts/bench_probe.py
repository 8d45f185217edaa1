"""Part of `make bench` (scripts/bench.py): run inside one checkout of the site, with its
settings and database, it writes the benchmark plan as JSON: one address per page type,
the forms to post to, a coordinator's admin page to save, and per page type the HTML bytes
and the SQL queries of one request rendered in full (no full-page cache, no fragment
cache), twice:

- warm: the steady state, the same request a second time (the site data that the checkout
  keeps per content version is in the cache): what every render costs;
- cold: right after the cache is cleared (the first request after a write reads the site
  data again).

It uses only what every version of the site has (models, URL names, the test client), so
that an earlier commit can be measured with the same plan.

    python scripts/bench_probe.py plan.json
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Queries of the page itself: no whole page and no fragment from the cache. An earlier
# commit without these settings ignores them.
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ["FRAGMENT_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaign.models import Storyline  # noqa: E402
from companies.models import Company  # noqa: E402
from events.models import Session  # noqa: E402
from schools.models import NewsItem, School  # noqa: E402


def url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def first(queryset):
    row = queryset.order_by("pk").first()
    return row.get_absolute_url() if row is not None else None


def open_session():
    """A public session that takes sign-ups now, with the most seats (the sign-up target)."""
    now = timezone.now()
    for session in Session.objects.filter(starts_at__gt=now).order_by("starts_at"):
        if session.registration_state() == "open":
            return session
    return None


def main(out: Path) -> None:
    storyline = Storyline.objects.published().order_by("order", "pk").first()
    school = School.objects.published().order_by("name", "pk").first()
    session = open_session()
    news = NewsItem.objects.published().order_by("-published_at").first()
    pages = {
        "home": "/",
        "storyline": storyline.get_absolute_url() if storyline else None,
        "storyline list": url("campaign:storyline-list"),
        "school": school.get_absolute_url() if school else None,
        "school list": url("schools:school-list"),
        "company": first(Company.objects.published()),
        "company list": url("companies:company-list"),
        "agenda": url("events:session-list"),
        "session": session.get_absolute_url() if session else None,
        "news list": url("schools:news-list"),
        "news item": news.get_absolute_url() if news else None,
        "for parents": url("audience-parents"),
        "search": (url("search") or "/zoeken/") + "?q=robot",
        "sitemap.xml": url("sitemap"),
        "robots.txt": url("robots-txt"),
    }
    pages = {name: path for name, path in pages.items() if path}

    client = Client()
    measured = {}
    for name, path in pages.items():
        client.get(path)  # templates, first-use renditions of the old code, the site data
        with CaptureQueriesContext(connection) as warm:
            response = client.get(path)
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(path)
        measured[name] = {
            "path": path,
            "status": response.status_code,
            "queries_warm": len(warm),
            "queries_cold": len(cold),
            "bytes": len(response.content),
        }

    admin_school = School.objects.order_by("pk").first()
    plan = {
        "pages": measured,
        "news_submit": url("schools:news-submit", school.submission_token) if school else None,
        "signup": session.get_absolute_url() if session else None,
        "admin_login": "/" + settings.ADMIN_URL_PATH + "login/",
        "admin_change": url("admin:schools_school_change", admin_school.pk),
    }
    out.write_text(json.dumps(plan, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
