"""Management commands on one machine with DEBUG off and no Redis; `check --deploy` still
insists on a shared cache for the rate limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {
    "SECRET_KEY": "a-long-production-secret-for-the-test-" + "x" * 40,
    "ALLOWED_HOSTS": "example.org",
    "SITE_URL": "https://example.org",
}


def manage(*args, tmp_path, **environment):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Not the developer's .env: only what is given here.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **PRODUCTION,
        **environment,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path):
    if (BASE_DIR / ".env").exists():
        pytest.skip("a local .env would change the environment under test")


def test_migrate_runs_when_debug_is_off_and_the_cache_is_local_memory(tmp_path):
    result = manage("migrate", "--noinput", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "ratelimit" not in result.stderr
    assert (tmp_path / "db.sqlite3").exists()


def test_check_deploy_fails_when_the_rate_limits_have_no_shared_cache(tmp_path):
    result = manage("check", "--deploy", tmp_path=tmp_path)

    assert result.returncode != 0
    assert "config.ratelimit_E003" in result.stderr
    assert "CACHE_URL=redis://" in result.stderr


def test_check_deploy_accepts_the_cache_when_it_is_redis(tmp_path):
    result = manage("check", "--deploy", tmp_path=tmp_path, CACHE_URL="redis://127.0.0.1:6379/8")

    assert "ratelimit" not in result.stdout + result.stderr
