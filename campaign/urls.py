from campaign import views
from campaign.sites import campaign_paths

app_name = "campaign"

urlpatterns = [
    *campaign_paths("thema.css", views.theme_css, name="theme-css"),
    *campaign_paths("verhaallijnen/", views.StorylineListView.as_view(), name="storyline-list"),
    *campaign_paths(
        "verhaallijnen/<slug:slug>/",
        views.StorylineDetailView.as_view(),
        name="storyline-detail",
    ),
    # Catch-all for free pages (privacy, toegankelijkheid...): config includes this app last.
    # A single segment is first a campaign's landing page (config.urls); this pattern then
    # still serves the pages whose slug is one of the site's own segments, and names them.
    *campaign_paths("<slug:slug>/", views.PageDetailView.as_view(), name="page-detail"),
]
