"""The admin's editor offers exactly what the sanitiser keeps (one allow-list for both)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from campaign.richtext import editor_config

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-voor-de-editor"  # noqa: S105


def test_editor_toolbar_and_headings_come_from_the_allow_list(page, site):
    get_user_model().objects.create_superuser("redactie", "redactie@example.org", PASSWORD)
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "redactie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.goto(site.url(reverse("admin:campaign_page_add")))
    page.wait_for_selector(".cke_button__bold", timeout=15_000)

    shown = set(
        page.eval_on_selector_all(
            ".cke_toolbox .cke_button",
            "buttons => buttons.map(b => [...b.classList].find(c => c.startsWith('cke_button__')))",
        )
    )
    expected = {
        f"cke_button__{button.lower()}"
        for group in editor_config()["toolbar"]
        for button in group
        if button != "Format"
    }
    assert shown == expected
    assert "cke_button__source" not in shown
    assert page.locator(".cke_combo__format").count() == 1

    page.click(".cke_combo__format .cke_combo_button")
    frame = page.frame_locator(".cke_combopanel iframe")
    formats = frame.locator("a[title]").evaluate_all("links => links.map(l => l.title)")
    assert len(formats) == len(editor_config()["format_tags"].split(";"))
