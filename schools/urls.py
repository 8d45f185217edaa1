from django.urls import path
from django.views.decorators.cache import cache_control

from schools import feeds, views

app_name = "schools"

# Feed readers and calendar apps poll; let them and proxies keep a copy for a while.
feed_cache = cache_control(public=True, max_age=60 * 60)

urlpatterns = [
    path("scholen/", views.SchoolListView.as_view(), name="school-list"),
    # Before scholen/<slug>/: "vergelijk" is not a school.
    path("scholen/vergelijk/", views.SchoolCompareView.as_view(), name="school-compare"),
    path("scholen/<slug:slug>/", views.SchoolDetailView.as_view(), name="school-detail"),
    path("open-dagen/", views.OpenDayListView.as_view(), name="open-days"),
    path("open-dagen/<int:pk>/agenda.ics", feed_cache(feeds.open_day_ics), name="open-day-ics"),
    path("nieuws/", views.NewsListView.as_view(), name="news-list"),
    path("nieuws/feed/", feed_cache(feeds.NewsFeed()), name="news-feed"),
    path("nieuws/atom/", feed_cache(feeds.NewsAtomFeed()), name="news-atom"),
    # Before nieuws/<slug>/: the private submission link of a school.
    path("nieuws/insturen/<str:token>/", views.submit_news, name="news-submit"),
    path(
        "nieuws/insturen/<str:token>/verzonden/",
        views.submit_news_thanks,
        name="news-submit-thanks",
    ),
    path("nieuws/<slug:slug>/", views.NewsDetailView.as_view(), name="news-detail"),
]
