from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path, register_converter
from django.urls.converters import StringConverter
from django.views.decorators.cache import cache_control

from campaign.sites import campaign_paths
from config import health, shareimages, views
from config.feeds import WeekFeed
from config.media import serve_media
from config.sitemaps import sitemaps

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"


class YearConverter(StringConverter):
    regex = "[0-9]{4}"


class WeekConverter(StringConverter):
    regex = "[0-9]{2}"


register_converter(YearConverter, "year")
register_converter(WeekConverter, "week")

urlpatterns = [
    path(settings.ADMIN_URL_PATH, admin.site.urls),
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    *campaign_paths("deze-week/", views.this_week, name="this-week"),
    # Feed readers poll: let them and proxies keep a copy for a while, as the news feed does.
    *campaign_paths(
        "deze-week/feed/",
        cache_control(public=True, max_age=60 * 60)(WeekFeed()),
        name="this-week-feed",
    ),
    *campaign_paths(
        "deze-week/<year:year>-<week:week>/", views.this_week, name="this-week-archive"
    ),
    *campaign_paths("voor-ouders/", views.audience_parents, name="audience-parents"),
    *campaign_paths("voor-scholen/", views.audience_schools, name="audience-schools"),
    *campaign_paths("voor-bedrijven/", views.audience_companies, name="audience-companies"),
    path(
        "sitemap.xml",
        cache_control(public=True, max_age=60 * 60)(sitemap),
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    # For the load balancer and monitoring (config/health.py); not in the sitemap.
    path("gezond/", health.health, name="health"),
    path(
        "deelbeeld/<str:kind>/<int:pk>/<int:width>x<int:height>.png",
        shareimages.share_image,
        name="share-image",
    ),
    path(
        "beheer-deelbeeld/<str:kind>/<int:pk>/<int:width>x<int:height>.png",
        shareimages.share_image_admin,
        name="share-image-admin",
    ),
    # Before the schools' scholen/<slug>/: "vergelijk" is not a school.
    path("scholen/vergelijk/", views.SchoolCompareView.as_view(), name="school-compare"),
    path("", include("schools.urls")),
    path("", include("companies.urls")),
    path("", include("events.urls")),
    # Last: its catch-all /<slug>/ serves the free pages (privacy, toegankelijkheid...).
    path("", include("campaign.urls")),
]

if settings.SERVE_MEDIA:
    # Production serves MEDIA_ROOT from nginx with the same rules (README).
    urlpatterns += [
        re_path(r"^{}(?P<path>.+)$".format(settings.MEDIA_URL.lstrip("/")), serve_media)
    ]
