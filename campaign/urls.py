from django.urls import path

from campaign import views

app_name = "campaign"

urlpatterns = [
    path("thema.css", views.theme_css, name="theme-css"),
    path("thema.<slug:fingerprint>.css", views.theme_css, name="theme-css-fingerprinted"),
    path("verhaallijnen/", views.StorylineListView.as_view(), name="storyline-list"),
    path(
        "verhaallijnen/<slug:slug>/",
        views.StorylineDetailView.as_view(),
        name="storyline-detail",
    ),
    # Catch-all for free pages (privacy, toegankelijkheid...): config includes this app last.
    path("<slug:slug>/", views.PageDetailView.as_view(), name="page-detail"),
]
