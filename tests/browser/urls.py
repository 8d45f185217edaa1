"""The site's URLs for the live server of the browser tests, plus what only tests need.

``config.urls`` serves uploaded files only with DEBUG on, and the live server runs with
DEBUG off: without this, every uploaded picture would show as a broken image. The
media view reads ``settings.MEDIA_ROOT`` per request, because the tests move it.
"""

from django.conf import settings
from django.urls import path, re_path

from config.media import serve_media
from config.urls import handler404, handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]

SERVER_ERROR_PATH = "test-only/server-error/"


def media(request, path):
    return serve_media(request, path)


def server_error(request):
    """Lets a test see the house-style 500 page, the way a visitor would."""
    raise RuntimeError("test-only view: an error on purpose, to show the 500 page")


urlpatterns = [
    re_path(r"^{}(?P<path>.+)$".format(settings.MEDIA_URL.lstrip("/")), media),
    path(SERVER_ERROR_PATH, server_error),
    *site_urlpatterns,
]
