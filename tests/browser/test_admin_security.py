"""The admin in a real browser: strict CSP works everywhere but the editor, 2FA, lockout page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from schools.models import NewsItem
from tests.browser.watch import SCREENSHOTS, axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-voor-de-test"  # noqa: S105


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, animations="disabled")


def visit(watch, url):
    watch.reset()
    response = watch.page.goto(url, wait_until="load")
    assert response.status == 200, url
    return response


def log_in(page, site, code=""):
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "anne")
    page.fill("#id_password", PASSWORD)
    if code:
        page.fill("#id_otp_token", code)
    page.click("input[type=submit]")


@pytest.fixture
def anne(site):
    # A superuser: the live server's flushed database has no "Coördinator" group left.
    return get_user_model().objects.create_superuser("anne", "anne@example.org", PASSWORD)


def test_admin_runs_under_strict_policy_and_editor_under_relaxed_when_browsed(
    watched_page, site, anne
):
    page = watched_page.page
    visit(watched_page, site.url(reverse("admin:login")))
    shot(page, "admin-login")
    assert watched_page.problems() == []
    assert axe_problems(page) == []

    log_in(page, site)
    page.wait_for_url(site.url(reverse("admin:index")))
    item = NewsItem.objects.first()
    for name in ("admin:index", "admin:schools_newsitem_changelist", "admin:two-factor"):
        response = visit(watched_page, site.url(reverse(name)))
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], name
        assert watched_page.problems() == [], name
    shot(page, "admin-two-factor")
    assert axe_problems(page) == []

    response = visit(
        watched_page, site.url(reverse("admin:schools_newsitem_change", args=[item.pk]))
    )
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    page.wait_for_selector(".cke_wysiwyg_frame", timeout=10_000)
    assert watched_page.problems() == []


def test_coordinator_sets_up_two_factor_and_needs_the_code_when_logging_in_again(
    watched_page, site, anne
):
    page = watched_page.page
    log_in(page, site)
    page.wait_for_url(site.url(reverse("admin:index")))
    page.click(f"a[href='{reverse('admin:two-factor')}']")
    page.wait_for_url(site.url(reverse("admin:two-factor")))
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    device = TOTPDevice.objects.get(user=anne)
    page.fill("#id_code", str(TOTP(device.bin_key).token()).zfill(6))
    page.click("input[type=submit]")
    assert "Tweestapsverificatie staat aan" in page.inner_text(".messagelist")
    page.click("#logout-form button")

    log_in(page, site)
    assert "Vul ook de code uit je authenticator-app in." in page.inner_text("#content")
    shot(page, "admin-login-code-missing")
    # The code of the next time step: the one just used for set-up is spent.
    device.refresh_from_db()
    totp = TOTP(device.bin_key, drift=device.drift)
    totp.time = totp.time + device.step
    log_in(page, site, str(totp.token()).zfill(6))
    page.wait_for_url(site.url(reverse("admin:index")))


def test_locked_out_login_shows_the_dutch_page_when_limit_is_reached(
    watched_page, site, anne, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    page = watched_page.page
    watched_page.reset()
    for _attempt in range(2):
        page.goto(site.url(reverse("admin:login")))
        page.fill("#id_username", "anne")
        page.fill("#id_password", "fout")
        page.click("input[type=submit]")

    assert "Te veel mislukte pogingen" in page.inner_text("#content")
    shot(page, "admin-locked-out")
    assert watched_page.problems(document_status=429) == []
    assert axe_problems(page) == []
