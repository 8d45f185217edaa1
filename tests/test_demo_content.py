import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from campaign.models import Audience, AudienceMessage, Page, SocialPost, Storyline, Video
from companies.models import Company
from demo.loader import DEFAULT_FILE, DemoLoader, read_content
from events.models import Registration, Session
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


def test_demo_content_has_the_shape_the_readme_promises():
    call_command("load_demo_content", stdout=io.StringIO())

    assert Storyline.objects.count() == 5
    # Exactly one cell of the matrix is empty: maritime has no message for schools.
    assert not AudienceMessage.objects.filter(
        storyline__slug="maritiem-en-energie", audience=Audience.SCHOOL
    ).exists()
    assert Company.objects.published().count() == 12
    assert Session.objects.count() == School.objects.count() == 4
    assert Video.objects.count() == 2
    assert SocialPost.objects.count() == 3


def test_demo_registrations_go_through_the_signup_service_once(mailoutbox):
    call_command("load_demo_content", stdout=io.StringIO())
    registrations = Registration.objects.order_by("pk")

    # The service sent its confirmation, as it does for a real sign-up.
    assert len(mailoutbox) == registrations.count() == 6
    # The circus receives partners too: one from a listed company, one typed in.
    partners = registrations.filter(kind=Registration.Kind.PARTNER)
    assert sorted(p.organisation_label for p in partners) == [
        "Gemeente Medemblik",
        "Windkracht Noord Energie",
    ]
    assert set(registrations.values_list("status", flat=True)) == {Registration.Status.CONFIRMED}
    # A class booking keeps no child's group: the service's rule, not the data file's.
    assert not registrations.filter(kind=Registration.Kind.GROUP).exclude(child_group="").exists()
    tokens = list(registrations.values_list("cancel_token", flat=True))

    call_command("load_demo_content", stdout=io.StringIO())

    assert list(Registration.objects.order_by("pk").values_list("cancel_token", flat=True)) == (
        tokens
    )
    assert len(mailoutbox) == 6


def test_demo_dates_are_offsets_from_today_when_loaded_on_another_day():
    content = read_content()
    now = timezone.make_aware(dt.datetime(2031, 9, 15, 12, 0))  # a Monday

    DemoLoader(content, now=now).load()

    first = content["round"]["sessions"][0]
    session = Session.objects.get(title=first["title"])
    starts_at = timezone.localtime(session.starts_at)
    # 28 days on is Monday 13 October; the data asks for the Wednesday after.
    assert starts_at.date() == dt.date(2031, 10, 15)
    assert starts_at.strftime("%H:%M") == first["starts"]
    assert session.round.name == "Najaar 2031"
    assert session.is_open_for_registration(now)
    news = NewsItem.objects.get(slug=content["news"][0]["slug"])
    assert news.published_at < now


def test_load_demo_content_says_which_file_it_cannot_read(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[campaign\n", encoding="utf-8")

    with pytest.raises(CommandError, match="broken.toml"):
        call_command("load_demo_content", file=broken, stdout=io.StringIO())


def test_demo_data_file_names_its_fields_and_no_app_imports_the_demo_app():
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    assert "starts_in_days" in text
    root = Path(settings.BASE_DIR)
    for app in ("campaign", "schools", "companies", "events", "config"):
        for path in (root / app).rglob("*.py"):
            assert not re.search(r"^\s*(from|import) demo\b", path.read_text(), re.MULTILINE), path


def test_ensure_dev_superuser_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("ensure_dev_superuser", stdout=io.StringIO())
