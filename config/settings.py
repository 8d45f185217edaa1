"""Settings of the site: one module, configured by the environment."""

import ipaddress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is optional; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for development).")
    SECRET_KEY = "django-insecure-development-only-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used in e-mails, feeds and canonical URLs. It is in
# every cancel link mailed to parents, so production must set it. In development it
# follows PORT (set by `make run PORT=...`), so mailed links reach this server.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SITE_URL (e.g. https://techniekdoethet.nl) when DEBUG is off."
        )
    SITE_URL = f"http://localhost:{env.int('PORT', default=8000)}"
# What the site calls itself where no campaign is at hand (no campaign published yet);
# otherwise titles, feeds, calendars and mails take the campaign's name from the data.
SITE_NAME = env.str("SITE_NAME", default="Ontdek het vmbo")

INSTALLED_APPS = [
    # django.contrib.admin with our AdminSite (config/admin_site.py).
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "ckeditor",
    "imagekit",
    # django_tasks_db, with Dutch names in the admin.
    "campaign.taskqueue.TaskQueueConfig",
    "django_ratelimit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Revisions of content: history, compare and restore in the admin (campaign/history.py).
    "reversion",
    "campaign",
    "schools",
    "companies",
    "events",
    # Login lockouts and two-factor login in the admin (config/admin.py, models.py).
    "config.apps.ProjectConfig",
    # Demo content and development commands; at the top: it may import every app.
    "demo",
]

MIDDLEWARE = [
    # First: one log line per request, static files and redirects included (config.logs).
    "config.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early: everything below may build a campaign's URLs from the request's directory.
    "campaign.sites.CampaignDirectoryMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here (static files come compressed from WhiteNoise, above).
    # BREACH: Django pads every gzipped response with random bytes ("Heal the Breach")
    # and masks the CSRF token anew in every response.
    "django.middleware.gzip.GZipMiddleware",
    # ETag of the uncompressed page, so a browser's or proxy's copy is answered with 304.
    "django.middleware.http.ConditionalGetMiddleware",
    # Above sessions and CSRF: it must see the cookies they set on the response.
    "config.middleware.PublicCacheControlMiddleware",
    "config.middleware.PrivateFormAnswerMiddleware",
    # Above sessions, CSRF, messages and CSP: a page from the cache needs none of them.
    "config.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the site speaks one language (LANGUAGE_CODE, always active),
    # and LocaleMiddleware would add "Vary: Accept-Language" to every page, splitting
    # every shared cache per browser language.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "campaign.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# SQLite (development) is shared by runserver and the task worker. WAL lets readers go on
# while one connection writes; IMMEDIATE transactions take the write lock at BEGIN, so a
# transaction that read first never fails at once with "database is locked" when it
# wants to write; the busy timeout (seconds) makes the other side wait for its turn.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Production uses Redis (CACHE_URL=redis://…): the rate limits of the public forms
# must be counted in one place shared by all server processes.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
RATELIMIT_USE_CACHE = "default"
# Who is who behind a proxy (config.clientip): a forwarded address is believed only from
# these proxy addresses or networks ("unix" for a Unix socket); otherwise REMOTE_ADDR.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        if _proxy != "unix":
            ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is no address or network."
        ) from error
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="X-Forwarded-For")
if TRUSTED_PROXY_HEADER.lower() not in ("x-forwarded-for", "x-real-ip"):
    raise ImproperlyConfigured("TRUSTED_PROXY_HEADER must be X-Forwarded-For or X-Real-IP.")
RATELIMIT_IP_META_KEY = "config.clientip.client_ip"
# School news form: posts per hour per private link and per visitor address.
NEWS_SUBMIT_RATE_PER_LINK = env.str("NEWS_SUBMIT_RATE_PER_LINK", default="10/h")
NEWS_SUBMIT_RATE_PER_IP = env.str("NEWS_SUBMIT_RATE_PER_IP", default="20/h")
# Masterclass sign-ups per visitor address: a teacher with a few classes, not a flood.
MASTERCLASS_SIGNUP_RATE_PER_IP = env.str("MASTERCLASS_SIGNUP_RATE_PER_IP", default="12/h")

# Admin login lockout (django-axes, database handler): after LOGIN_FAILURE_LIMIT wrong
# passwords for one user name, or from one address (config.clientip), the login is
# refused, the right password too, for LOGIN_LOCKOUT_MINUTES (0: until a coordinator
# unlocks it under "Inloggen en beveiliging" in the admin).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=60)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES) if LOGIN_LOCKOUT_MINUTES else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "config.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "config.login.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Our own Dutch admin (config.admin) instead of axes' English one; no log of every login.
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner on every management command; failures are still logged.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# Optional two-factor login (django-otp, TOTP): a user who confirmed an authenticator app
# (admin: Tweestapsverificatie) must give its code at login (config.login).
OTP_TOTP_ISSUER = urlsplit(SITE_URL).hostname or "localhost"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
# locale/: our strings (makemessages); locale-django/: Dutch for strings that Django
# 6.1's own Dutch catalogue leaves empty (kept by hand).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-django"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Production serves MEDIA_ROOT from nginx (README); Django serves it (config/media.py,
# the same rules) in development, or when asked, e.g. to try `make prod` without nginx.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible object storage (django-storages, config/storage.py) when a
# bucket is named; otherwise local files in MEDIA_ROOT. Without keys, boto3 finds them
# itself (AWS_* environment variables, an instance role).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "config.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "object_acls": env.bool("AWS_S3_OBJECT_ACLS", default=True),
        },
    }

# Uploads: checked by content in campaign.images; these are the hard limits.
MAX_IMAGE_UPLOAD_BYTES = env.int("MAX_IMAGE_UPLOAD_BYTES", default=8 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)
MAX_VIDEO_UPLOAD_BYTES = env.int("MAX_VIDEO_UPLOAD_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# Mail: Django 6.1 uses MAILERS; EMAIL_URL (django-environ syntax) is mapped onto it.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_mailer_options = {
    "host": _email.get("EMAIL_HOST") or None,
    "port": _email.get("EMAIL_PORT") or None,
    "username": _email.get("EMAIL_HOST_USER") or None,
    "password": _email.get("EMAIL_HOST_PASSWORD") or None,
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": env.int("EMAIL_TIMEOUT", default=20),
}
_backend = _email["EMAIL_BACKEND"]
MAILERS = {
    "default": {
        "BACKEND": _backend,
        "OPTIONS": _mailer_options if _backend.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <noreply@techniekdoethet.nl>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Coordinators who receive notices of new school news and registrations.
COORDINATOR_EMAILS = env.list("COORDINATOR_EMAILS", default=["coordinator@techniekdoethet.nl"])

# The region until coordinators fill it in at Beheer → Regio (campaign.region.Region).
REGION_NAME = env.str("REGION_NAME", default="")
REGION_PARTNERSHIP_NAME = env.str("REGION_PARTNERSHIP_NAME", default="")
REGION_PROGRAMME_NAME = env.str("REGION_PROGRAMME_NAME", default="")
REGION_PROGRAMME_URL = env.str("REGION_PROGRAMME_URL", default="")

# Durable task queue: e-mail is queued in the database and sent by `manage.py run_worker`.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# A task still "running" after this many seconds was left by a dead worker (killed by
# out-of-memory or a hard stop) and is run again. Keep it well above EMAIL_TIMEOUT.
TASK_RUNNING_TIMEOUT = env.int("TASK_RUNNING_TIMEOUT", default=300)

# Security. Production sets these through the environment (see .env.example).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# The load balancer asks for /gezond/ over plain HTTP on the app server itself.
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# A strict policy on every page; only the admin add/change pages that show CKEditor get
# EDITOR_CSP (CKEditor 4 needs inline script and style), through csp_override in
# config/admin_site.py.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", CSP.NONCE],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "media-src": ["'self'"],
    "frame-src": [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
        "https://www.tiktok.com",
    ],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features no page of ours uses are off for the page and everything it embeds;
# the click-to-load video players (the frame-src above) may go full screen and play.
_video_players = ["self", *SECURE_CSP["frame-src"]]
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "bluetooth": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
    "autoplay": _video_players,
    "encrypted-media": _video_players,
    "fullscreen": _video_players,
    "picture-in-picture": _video_players,
}
EDITOR_CSP = {
    **SECURE_CSP,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}
ADMIN_URL_PATH = "beheer/"

# Rich text: django-ckeditor behind our own seam (campaign.richtext), which adds the
# toolbar, headings and allowed content derived from the sanitiser's allow-list. No source
# mode, no iframes, no uploads (ckeditor_uploader is not installed).
CKEDITOR_BASEPATH = STATIC_URL + "ckeditor/ckeditor/"
CKEDITOR_CONFIGS = {
    "default": {
        "language": "nl",
        "removePlugins": "sourcearea,iframe,flash,forms,exportpdf,image,uploadimage,uploadfile",
        "fullPage": False,
        "height": 260,
        "width": "100%",
    },
}
SILENCED_SYSTEM_CHECKS = [
    # ckeditor.W001 warns that CKEditor 4.22.1 has unfixed security issues. We keep it
    # because every rich-text value is sanitised on the server with nh3 before it is
    # stored (campaign.richtext), the toolbar has no source mode or iframes, and
    # ckeditor_uploader (CSRF-exempt upload view) is not installed. See README.
    "ckeditor.W001",
]
# django-ratelimit's check of a shared cache runs before every management command: on a
# single machine without Redis it stopped even `migrate`. config/checks.py runs the same
# check under `check --deploy` only, which production must pass (a shared cache: Redis).
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

# Image renditions (django-imagekit) are made on first use and kept on disk; checking
# for them costs no SQL query, so pages keep a fixed query count.
# Full-page cache for anonymous visitors (config.pagecache), in the default cache: the
# longest a page is kept. Invalidated on every content change and at scheduled moments;
# off (0) by default in development, where templates change under it.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 300)
# The parts of a page that are the same for every visitor (config.fragments), kept under
# the same rules; what renders a page when the full-page cache cannot keep it.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=0 if DEBUG else 300)

# Image renditions are made by the task worker when an image is stored (campaign.renditions).
# The tests turn this off: the media view of the development server and the browser tests
# makes a missing rendition on request instead (not every demo load needs all of them).
RENDITIONS_AHEAD = env.bool("RENDITIONS_AHEAD", default=True)

IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.JustInTime"
IMAGEKIT_CACHEFILE_DIR = "renditions"

# Logs go to standard error, one line per event; with LOG_FORMAT=json (the default in
# production) each line is a JSON object: time, level, logger, message and the event's
# fields (config.logs: one line per request and per finished task).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Each request and task has its own line (config.logs); these would repeat it.
        "django.server": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

# Privacy: registrations are removed this many days after their session.
REGISTRATION_RETENTION_DAYS = env.int("REGISTRATION_RETENTION_DAYS", default=30)
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=3)

# Readability (LIX) the admin holds each audience's texts to; news and pages without an
# audience are held to the parents' target. Pupils are about 11 years old.
READABILITY_LIX_TARGETS = {
    "pupil": env.int("LIX_TARGET_PUPIL", default=35),
    "parent": env.int("LIX_TARGET_PARENT", default=45),
    "school": env.int("LIX_TARGET_SCHOOL", default=50),
    "company": env.int("LIX_TARGET_COMPANY", default=50),
}
# A shareable preview link for one draft stays valid this many days.
PREVIEW_LINK_DAYS = env.int("PREVIEW_LINK_DAYS", default=7)
