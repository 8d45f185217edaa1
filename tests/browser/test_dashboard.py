"""The admin's start page in a real browser, on a phone and a laptop."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from events.models import Registration, Session
from tests.browser.watch import check_page
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-voor-de-test"  # noqa: S105


def test_coordinator_reads_this_weeks_work_on_a_phone_and_a_laptop(watched_page, site):
    get_user_model().objects.create_superuser("anne", "anne@example.org", PASSWORD)
    demo_session = Session.objects.first()
    soon = SessionFactory(
        title="Robots bouwen bij de buren",
        round=demo_session.round,
        host_school=demo_session.host_school,
        storyline=demo_session.storyline,
        starts_at=timezone.now() + dt.timedelta(days=9),
    )
    RegistrationFactory(session=soon)
    RegistrationFactory(session=soon, status=Registration.Status.WAITLISTED)
    page = watched_page.page
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "anne")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site.url(reverse("admin:index")))

    problems = []
    for width in ("phone", "desktop"):
        problems += check_page(
            watched_page, site.url(reverse("admin:index")), name="admin-dashboard", width=width
        )
        assert page.get_by_role("heading", name="Deze week", exact=True).is_visible()
        assert page.locator("#app-list").is_visible()
    assert problems == []

    # The matrix the dashboard links to marks its texts above target, styled under the CSP.
    for width in ("phone", "desktop"):
        problems += check_page(
            watched_page,
            site.url(reverse("admin:campaign_storyline_matrix")),
            name="admin-matrix",
            width=width,
        )
    assert problems == [], "\n".join(problems)
    assert page.locator("td.matrix-over").count() >= 1

    # Every line is a link to where the matter is fixed.
    page.goto(site.url(reverse("admin:index")))
    page.get_by_role("link", name="Robots bouwen bij de buren").click()
    assert page.url.endswith(reverse("admin:events_session_change", args=[soon.pk]))
