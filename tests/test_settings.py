"""config/settings.py reads the environment at import time and refuses unsafe production setups."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
PROBE = """
import json, sys
import environ
# A developer's .env must not leak into these tests: only the given environment counts.
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)
import django
django.setup()
from django.conf import settings
from django.core.mail import mailers
import config.settings as module
mailer = mailers.default
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "DB_NAME": str(db["NAME"]),
    "DB_HOST": db.get("HOST"),
    "DB_PORT": db.get("PORT"),
    "MAILERS": settings.MAILERS,
    "EMAIL_IN_MODULE": sorted(name for name in vars(module) if name.startswith("EMAIL_")),
    "EMAIL_OVERRIDDEN": [
        name for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS")
        if settings.is_overridden(name)
    ],
    "MAILER_CLASS": type(mailer).__module__ + "." + type(mailer).__name__,
    "MAILER": {
        key: getattr(mailer, key, None)
        for key in ("host", "port", "username", "password", "use_tls", "use_ssl")
    },
    "STATICFILES_BACKEND": settings.STORAGES["staticfiles"]["BACKEND"],
    "TIME_ZONE": settings.TIME_ZONE,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "SITE_URL": settings.SITE_URL,
}))
"""
PRODUCTION = {
    "SECRET_KEY": "a-long-production-secret-for-the-test",
    "ALLOWED_HOSTS": "example.org",
    "SITE_URL": "https://example.org",
}


def load_settings(**environment):
    """Import the settings in a fresh interpreter with only PATH and ``environment`` set."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **environment,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def loaded(**environment):
    result = load_settings(**environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _final_error(result):
    return result.stderr.strip().splitlines()[-1]


def test_import_fails_when_debug_is_off_and_secret_key_is_missing():
    result = load_settings(ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert _final_error(result).startswith("django.core.exceptions.ImproperlyConfigured")
    assert "SECRET_KEY" in _final_error(result)


def test_import_fails_when_debug_is_false_and_secret_key_is_empty():
    result = load_settings(DEBUG="false", SECRET_KEY="", ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert _final_error(result).startswith("django.core.exceptions.ImproperlyConfigured")
    assert "SECRET_KEY" in _final_error(result)


def test_import_fails_when_debug_is_off_and_allowed_hosts_is_missing():
    result = load_settings(SECRET_KEY=PRODUCTION["SECRET_KEY"])

    assert result.returncode != 0
    assert _final_error(result).startswith("django.core.exceptions.ImproperlyConfigured")
    assert "ALLOWED_HOSTS" in _final_error(result)


def test_import_fails_when_debug_is_off_and_site_url_is_missing():
    # SITE_URL is in every cancel link mailed to parents: no silent localhost in production.
    result = load_settings(SECRET_KEY=PRODUCTION["SECRET_KEY"], ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert _final_error(result).startswith("django.core.exceptions.ImproperlyConfigured")
    assert "SITE_URL" in _final_error(result)


def test_development_site_url_follows_the_port_when_site_url_is_not_set():
    assert loaded(DEBUG="true", PORT="8841")["SITE_URL"] == "http://localhost:8841"
    assert loaded(DEBUG="true")["SITE_URL"] == "http://localhost:8000"


def test_make_run_gives_every_process_a_site_url_with_its_port():
    """`make run PORT=8841`: server, worker and commands all build links with port 8841."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("needs make")
    probe = (
        "probe: ; @$(DEV) $(PY) -c "
        "'import django; django.setup(); from django.conf import settings; "
        'from campaign.seo import absolute_url; print(absolute_url("/x/"))\''
    )
    environment = {
        key: value for key, value in os.environ.items() if key not in ("SITE_URL", "PORT", "HOST")
    }
    result = subprocess.run(  # noqa: S603 - make with our own Makefile
        [make, "-s", "--no-print-directory", f"--eval={probe}", "probe", "PORT=8841"],
        cwd=BASE_DIR,
        env={**environment, "VENV": str(Path(sys.executable).parent.parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.stdout.strip().splitlines()[-1:] == ["http://127.0.0.1:8841/x/"], result.stderr


def test_debug_is_off_when_production_environment_does_not_set_it():
    values = loaded(
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        ALLOWED_HOSTS="techniekdoethet.nl,www.techniekdoethet.nl",
        SITE_URL="https://techniekdoethet.nl",
    )

    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == PRODUCTION["SECRET_KEY"]
    assert values["ALLOWED_HOSTS"] == ["techniekdoethet.nl", "www.techniekdoethet.nl"]
    assert values["STATICFILES_BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert values["MAILERS"]["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_development_runs_on_sqlite_with_dev_key_when_only_debug_is_set():
    values = loaded(DEBUG="true")

    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(BASE_DIR / "db.sqlite3")
    assert values["SECRET_KEY"].startswith("django-insecure-")
    assert "localhost" in values["ALLOWED_HOSTS"]
    assert values["MAILERS"]["default"] == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {},
    }


def test_database_is_postgresql_when_database_url_points_there():
    values = loaded(
        **PRODUCTION, DATABASE_URL="postgres://tdh:geheim@db.example.org:5433/techniekdoethet"
    )

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "techniekdoethet"
    assert values["DB_HOST"] == "db.example.org"
    assert values["DB_PORT"] == 5433


def test_mail_goes_through_smtp_mailer_when_email_url_asks_for_tls():
    values = loaded(**PRODUCTION, EMAIL_URL="smtp+tls://user:pw@mail.example.org:587")

    default = values["MAILERS"]["default"]
    assert default["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert default["OPTIONS"]["host"] == "mail.example.org"
    assert default["OPTIONS"]["port"] == 587
    assert default["OPTIONS"]["use_tls"] is True
    assert default["OPTIONS"]["use_ssl"] is False
    assert values["MAILER_CLASS"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["MAILER"] == {
        "host": "mail.example.org",
        "port": 587,
        "username": "user",
        "password": "pw",
        "use_tls": True,
        "use_ssl": False,
    }
    # Django 6.1 refuses the old EMAIL_* settings next to MAILERS.
    assert values["EMAIL_IN_MODULE"] == []
    assert values["EMAIL_OVERRIDDEN"] == []


def test_mail_uses_ssl_when_email_url_asks_for_it():
    values = loaded(**PRODUCTION, EMAIL_URL="smtp+ssl://user:pw@mail.example.org:465")

    assert values["MAILER"]["port"] == 465
    assert values["MAILER"]["use_ssl"] is True
    assert values["MAILER"]["use_tls"] is False


def test_site_speaks_dutch_in_amsterdam_time_when_configured():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ is True
    assert settings.USE_I18N is True


def test_settings_subprocess_agrees_on_language_and_time_zone_when_loaded():
    values = loaded(DEBUG="true")

    assert values["LANGUAGE_CODE"] == "nl"
    assert values["TIME_ZONE"] == "Europe/Amsterdam"


def _csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_public_pages_get_strict_csp_when_page_is_not_found(client):
    response = client.get("/deze-pagina-bestaat-niet/")

    assert response.status_code == 404
    directives = _csp_directives(response)
    # Only our own scripts, plus a per-response nonce when the page uses one.
    assert [src for src in directives["script-src"] if not src.startswith("'nonce-")] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
