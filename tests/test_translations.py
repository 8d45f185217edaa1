"""The admin speaks Dutch, also where Django 6.1's own Dutch catalogue has gaps."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext


def test_admin_strings_missing_from_django_are_dutch_when_language_is_nl():
    with translation.override("nl"):
        assert gettext("Filter by %(field_name)s") == "Filter op %(field_name)s"
        assert gettext("Logout") == "Afmelden"
        assert ngettext("…and %(count)d more object.", "…and %(count)d more objects.", 2) == (
            "…en nog %(count)d objecten."
        )


@pytest.mark.django_db
def test_admin_date_picker_strings_are_dutch_when_catalog_is_loaded(admin_client):
    response = admin_client.get("/beheer/jsi18n/")

    body = response.content.decode()
    assert "Vandaag (%(date)s)" in body
    assert "Jij loopt %(offset)s uur achter." in body
