import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from campaign.models import Audience, AudienceMessage, Page, Storyline, Video
from events.models import Session
from schools.models import NewsItem, School

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"campaign", "schools", "companies", "events"}


def row_counts() -> dict[str, int]:
    """Rows of every project model, including the many-to-many tables."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROJECT_APPS
    }


def media_files() -> set[str]:
    return {str(path) for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def test_demo_content_is_public_and_unchanged_when_loaded_twice():
    call_command("load_demo_content", stdout=io.StringIO())
    counts, files = row_counts(), media_files()

    out = io.StringIO()
    call_command("load_demo_content", stdout=out)

    assert row_counts() == counts
    assert media_files() == files
    assert "Demo content loaded." in out.getvalue()

    schools = School.objects.published()
    assert schools.count() == 4
    assert set(schools.values_list("profile", flat=True)) == set(School.Profile.values)
    storylines = Storyline.objects.published()
    assert 4 <= storylines.count() <= 5
    # Every cell of the storyline × audience matrix is filled except one, on purpose.
    assert AudienceMessage.objects.count() == storylines.count() * len(Audience) - 1
    assert all(storyline.messages.exists() for storyline in storylines)
    assert Video.objects.published().exists()
    assert {"ouders", "privacy", "toegankelijkheid"} <= set(
        Page.objects.published().values_list("slug", flat=True)
    )
    upcoming = Session.objects.published().upcoming()
    assert set(upcoming.values_list("host_school__slug", flat=True)) == set(
        schools.values_list("slug", flat=True)
    )
    assert any(session.is_open_for_registration() for session in upcoming)
    news = NewsItem.objects.published()
    assert news.count() >= 6
    assert news.filter(school__isnull=True).exists()
    assert NewsItem.objects.pending().exists()

    # The demo is valid by the admin's rules too: field validators, image checks, constraints.
    for label in counts:
        model = apps.get_model(label)
        if model._meta.auto_created:
            continue
        for row in model._default_manager.all():
            row.full_clean()
