from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Techniek doet het — beheer")
admin.site.site_title = _("Techniek doet het")
admin.site.index_title = _("Beheer van de campagne")

urlpatterns = [
    path(settings.ADMIN_URL_PATH, admin.site.urls),
    path("", include("schools.urls")),
    path("", include("companies.urls")),
    path("", include("events.urls")),
    path("", include("campaign.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
