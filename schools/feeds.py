"""News as RSS and Atom, open days as iCalendar; the calendar helpers are shared with events."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from campaign.calendar import CALENDAR_DOMAIN, calendar_response, new_calendar, new_event
from campaign.seo import absolute_url
from schools.models import NewsItem, OpenDay

FEED_SIZE = 20


class NewsFeed(Feed):
    title = _("Techniek doet het — nieuws van de scholen")
    description = _(
        "Nieuws van de vmbo-scholen en bedrijven van Techniek doet het in West-Friesland."
    )
    language = "nl"

    def link(self):
        return absolute_url(reverse("schools:news-list"))

    def feed_url(self):
        return absolute_url(reverse("schools:news-feed"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return NewsItem.objects.public()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or strip_tags(item.body)[:500]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.school.name if item.school else str(_("Techniek doet het"))

    def item_guid(self, item):
        return f"news-{item.pk}@{CALENDAR_DOMAIN}"

    def item_guid_is_permalink(self, item):
        return False


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description

    def feed_url(self):
        return absolute_url(reverse("schools:news-atom"))

    def item_guid(self, item):
        # Atom ids must be URIs.
        return f"tag:{CALENDAR_DOMAIN},2026:news-{item.pk}"


# iCalendar -----------------------------------------------------------------


def open_day_ics(request, pk):
    open_day = get_object_or_404(OpenDay.objects.public().select_related("school"), pk=pk)
    school = open_day.school
    school_url = absolute_url(school.get_absolute_url())
    description = "\n\n".join(
        part for part in (open_day.description, open_day.signup_url, school_url) if part
    )
    calendar = new_calendar(f"{open_day.title} {school.name}")
    calendar.add_component(
        new_event(
            uid=f"open-day-{open_day.pk}@{CALENDAR_DOMAIN}",
            summary=f"{open_day.title} {school.name}",
            starts_at=open_day.starts_at,
            ends_at=open_day.ends_at,
            stamp=timezone.now(),
            location=f"{school.name}, {school.street_address}, {school.postal_code} {school.town}",
            description=description,
            url=school_url,
        )
    )
    return calendar_response(calendar, filename=f"open-dag-{school.slug}.ics")
