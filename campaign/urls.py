from django.urls import path

from campaign import views
from campaign.sites import campaign_paths

app_name = "campaign"

urlpatterns = [
    *campaign_paths("thema.css", views.theme_css, name="theme-css"),
    *campaign_paths(
        "thema.<slug:fingerprint>.css", views.theme_css, name="theme-css-fingerprinted"
    ),
    *campaign_paths("verhaallijnen/", views.StorylineListView.as_view(), name="storyline-list"),
    *campaign_paths(
        "verhaallijnen/<slug:slug>/",
        views.StorylineDetailView.as_view(),
        name="storyline-detail",
    ),
    # Another campaign's landing page, /<campaign-slug>/; the free page with that slug
    # when there is no such campaign (one look in the campaigns every page reads anyway).
    path("<campaign:campaign_slug>/", views.landing_or_page, name="landing"),
    # Catch-all for free pages (privacy, toegankelijkheid...): config includes this app last.
    # Reached for resolving only by a slug that is one of the site's own segments.
    *campaign_paths("<slug:slug>/", views.PageDetailView.as_view(), name="page-detail"),
]
