"""The programme report in a real browser: the admin page on a phone and a laptop, and printed."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from companies.models import Company, Contribution
from events.models import OrganisationType, Registration, Session, SessionAudience
from tests.browser.watch import SCREENSHOTS, check_page
from tests.factories import ContributionFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-voor-de-test"  # noqa: S105
# Screenshots to look at, besides the test artifacts (PNG, named by page and width).
SHOTS = Path(os.environ.get("REPORT_SHOTS", SCREENSHOTS))


def fill_demo_sessions():
    sessions = list(Session.objects.order_by("starts_at")[:3])
    mixed = sessions[0]
    Session.objects.filter(pk=mixed.pk).update(audience_type=SessionAudience.BOTH, partner_seats=6)
    for session in sessions:
        RegistrationFactory(session=session, attended=True)
        RegistrationFactory(session=session, attended=False)
        RegistrationFactory(
            session=session,
            kind=Registration.Kind.GROUP,
            pupil_count=14,
            child_first_name="",
            has_parental_consent=False,
            attended=True,
        )
        RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    RegistrationFactory(
        session=mixed,
        kind=Registration.Kind.PARTNER,
        child_first_name="",
        child_group="",
        primary_school="",
        has_parental_consent=False,
        organisation_type=OrganisationType.MUNICIPALITY,
        organisation_name="Gemeente Hoorn",
        attended=True,
    )
    companies = list(Company.objects.order_by("name")[:3])
    first_day = mixed.round.starts_on
    for index, company in enumerate(companies):
        ContributionFactory(company=company, date=first_day + dt.timedelta(days=index))
    ContributionFactory(
        company=companies[0],
        kind=Contribution.Kind.INTERNSHIP_PLACES,
        quantity=4,
        date=first_day,
    )
    return mixed.round


def test_coordinator_reads_and_prints_the_programme_report(watched_page, site):
    get_user_model().objects.create_superuser("anne", "anne@example.org", PASSWORD)
    masterclass_round = fill_demo_sessions()
    page = watched_page.page
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "anne")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site.url(reverse("admin:index")))

    # Found from the admin's start page, with the masterclasses.
    page.get_by_role("link", name="Cijfers van het programma").first.click()
    assert page.url.endswith(reverse("admin:programme-report"))
    page.get_by_label("Periode").select_option(f"ronde-{masterclass_round.pk}")
    page.get_by_role("button", name="Toon de cijfers").click()
    query = f"?periode=ronde-{masterclass_round.pk}"
    assert page.url.endswith(query)

    problems = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    report_url = site.url(reverse("admin:programme-report") + query)
    print_url = site.url(reverse("admin:programme-report-print") + query)
    for width in ("phone", "desktop"):
        problems += check_page(watched_page, report_url, name="admin-report", width=width)
        page.screenshot(path=SHOTS / f"report-{width}.png", full_page=True)
        assert page.get_by_role("table", name="Per gastschool").is_visible()
        problems += check_page(watched_page, print_url, name="admin-report-print", width=width)
        page.screenshot(path=SHOTS / f"report-print-{width}.png", full_page=True)
    assert problems == [], "\n".join(problems)

    # Printed: no admin menus, the buttons hidden, every table there.
    page.goto(report_url)
    page.emulate_media(media="print")
    assert not page.locator("#header").is_visible()
    assert not page.get_by_role("link", name="Afdrukbare versie").is_visible()
    assert page.get_by_role("table", name="Per verhaallijn").is_visible()
    page.screenshot(path=SHOTS / "report-admin-printed.png", full_page=True)
    page.goto(print_url)
    assert not page.get_by_text("Druk deze pagina af").is_visible()
    page.screenshot(path=SHOTS / "report-print-printed.png", full_page=True)
    page.emulate_media(media="screen")
