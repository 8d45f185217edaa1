from django.urls import path
from django.views.decorators.cache import cache_control

from events import ics, views

app_name = "events"

# Calendar apps poll the feed; let them and proxies keep a copy for a while.
calendar_cache = cache_control(public=True, max_age=60 * 60)

urlpatterns = [
    path("masterclasses/", views.SessionListView.as_view(), name="session-list"),
    path("masterclasses/agenda.ics", calendar_cache(ics.agenda_ics), name="agenda-ics"),
    path(
        "masterclasses/annuleren/<str:token>/",
        views.registration_cancel,
        name="registration-cancel",
    ),
    path("masterclasses/<slug:slug>/", views.SessionDetailView.as_view(), name="session-detail"),
    path(
        "masterclasses/<slug:slug>/aangemeld/",
        views.signup_done,
        name="session-signup-done",
    ),
    path(
        "masterclasses/<slug:slug>/agenda.ics",
        calendar_cache(ics.session_ics),
        name="session-ics",
    ),
]
