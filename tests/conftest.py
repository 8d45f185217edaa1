import os
import shutil

import pytest
from django.db import connection


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Django's order once more, last: the tests in a transaction first, then those that
    empty the database (browser tests, transactional ones). pytest groups tests by
    parameters after pytest-django sorted them; a test parametrized by a name that is also
    a fixture of wider scope (Playwright's ``page``) was moved among the browser tests and
    found the coordinators' group, made by a data migration, deleted by their flush."""
    from pytest_django.plugin import pytest_collection_modifyitems as in_djangos_order

    in_djangos_order(items)


# CI sets STRICT_TESTS=1: then a missing PostgreSQL or Chromium fails the run
# instead of skipping tests quietly.
STRICT = os.environ.get("STRICT_TESTS") == "1"


def skip_or_fail(reason):
    if STRICT:
        pytest.fail(f"{reason} (STRICT_TESTS=1: CI must not skip this)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without running collectstatic first (no manifest needed)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def postgres_only():
    """Mark a test as meaningful only on PostgreSQL: skipped on SQLite, required in CI."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        skip_or_fail("needs Chromium (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache: image sizes and rendition states are cached by name."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(db, django_user_model):
    """A staff user in the "Coördinator" group (made by a data migration), not a superuser."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "coordinator", "coordinator@example.org", password=None, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Coördinator"))
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def db_rejects(db):
    """``with db_rejects("constraint_name"):`` — the database itself must refuse the write.

    The write runs in a savepoint, so the test's transaction stays usable on PostgreSQL.
    The error must name one of ``names`` (a constraint name, or the column that SQLite
    reports for a UNIQUE violation), so a different failure does not pass by accident.
    """
    import contextlib

    from django.db import IntegrityError, transaction

    @contextlib.contextmanager
    def rejects(*names):
        with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
            yield excinfo
        message = str(excinfo.value)
        assert any(name in message for name in names), message

    return rejects
