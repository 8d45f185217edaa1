from django.urls import path
from django.views.decorators.cache import cache_control

from campaign.sites import campaign_paths
from events import ics, views

app_name = "events"

# Calendar apps poll the feed; let them and proxies keep a copy for a while.
calendar_cache = cache_control(public=True, max_age=60 * 60)

urlpatterns = [
    *campaign_paths("masterclasses/", views.SessionListView.as_view(), name="session-list"),
    *campaign_paths("masterclasses/agenda.ics", calendar_cache(ics.agenda_ics), name="agenda-ics"),
    # Shared: the cancel link in a mail works whatever campaign the session belongs to.
    path(
        "masterclasses/annuleren/<str:token>/",
        views.registration_cancel,
        name="registration-cancel",
    ),
    *campaign_paths(
        "masterclasses/<slug:slug>/", views.SessionDetailView.as_view(), name="session-detail"
    ),
    *campaign_paths(
        "masterclasses/<slug:slug>/aangemeld/", views.signup_done, name="session-signup-done"
    ),
    *campaign_paths(
        "masterclasses/<slug:slug>/agenda.ics", calendar_cache(ics.session_ics), name="session-ics"
    ),
]
