"""News as RSS and Atom, open days as iCalendar; the calendar helpers are shared with events.

Feed readers turn the HTML of an entry into live elements, so no stored text goes in as
markup: titles, summaries and names are plain text on one line (XML 1.0 allows no control
characters), HTML-escaped wherever a reader takes the element for HTML.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from campaign.calendar import CALENDAR_DOMAIN, calendar_response, new_calendar, new_event
from campaign.context_processors import current_site_name
from campaign.plaintext import safe_filename, single_line
from campaign.region import get_region
from campaign.richtext import rich_text_to_plain
from campaign.seo import absolute_url
from schools.models import NewsItem, OpenDay

FEED_SIZE = 20
SUMMARY_LENGTH = 500


def as_html_text(value) -> str:
    """Plain text for an element that readers take as HTML: markup shows as typed."""
    return escape(single_line(value))


class NewsFeed(Feed):
    def title(self):
        return _("%(name)s — nieuws van de scholen") % {"name": current_site_name()}

    language = "nl"

    def get_object(self, request, *args, **kwargs):
        return get_region(request)

    def description(self, region):
        return _("Nieuws van de vmbo-scholen en bedrijven van %(name)s in %(region)s.") % {
            "name": current_site_name(),
            "region": region.name,
        }

    def link(self):
        return absolute_url(reverse("schools:news-list"))

    def feed_url(self):
        return absolute_url(reverse("schools:news-feed"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return NewsItem.objects.public()[:FEED_SIZE]

    def item_title(self, item):
        # RSS says nothing of markup in titles, and most readers render it.
        return as_html_text(item.title)

    def item_description(self, item):
        text = item.summary or Truncator(rich_text_to_plain(item.body, one_line=True)).chars(
            SUMMARY_LENGTH
        )
        return as_html_text(text)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return as_html_text(item.school.name if item.school else current_site_name())

    def item_guid(self, item):
        return f"news-{item.pk}@{CALENDAR_DOMAIN}"

    def item_guid_is_permalink(self, item):
        return False


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed

    subtitle = NewsFeed.description

    def feed_url(self):
        return absolute_url(reverse("schools:news-atom"))

    # Atom titles and names are text (no type="html"): readers show them as they are.
    def item_title(self, item):
        return single_line(item.title)

    def item_author_name(self, item):
        return single_line(item.school.name if item.school else current_site_name())

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
            location=f"{school.name}, {school.postal_address}",
            description=description,
            url=school_url,
        )
    )
    return calendar_response(calendar, filename=safe_filename(f"open-dag-{school.slug}", "ics"))
