"""The "Deze week" feed: one entry per week, the web version of each weekly post.

As in the news feed (schools/feeds.py) no stored text goes in as markup: every title and
name is plain text on one line, HTML-escaped where readers take the element for HTML.
"""

from django.contrib.syndication.views import Feed
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaign.calendar import CALENDAR_DOMAIN
from campaign.context_processors import get_active_campaign, site_name
from campaign.models import campaign_reverse
from campaign.seo import absolute_url
from config.weeks import Week, WeekContent, week_contents
from schools.feeds import as_html_text

FEED_WEEKS = 8


def week_title(week: Week) -> str:
    return _("Week %(number)s: %(first)s – %(last)s") % {
        "number": week.number,
        "first": date_format(week.monday, "j F"),
        "last": date_format(week.sunday, "j F Y"),
    }


def week_summary(content: WeekContent) -> str:
    """One line per kind, titles separated by semicolons: plain text, not yet escaped."""
    parts = []
    if content.news_items:
        parts.append(_("Nieuws: %s.") % "; ".join(n.title for n in content.news_items))
    if content.sessions:
        sessions = []
        for session in content.sessions:
            label = f"{session.title} ({date_format(localtime(session.starts_at), 'j F')}"
            if session.seats_left:
                label += ", " + ngettext(
                    "nog %(seats)d plek vrij", "nog %(seats)d plekken vrij", session.seats_left
                ) % {"seats": session.seats_left}
            sessions.append(label + ")")
        parts.append(_("Masterclasses: %s.") % "; ".join(sessions))
    if content.videos:
        parts.append(_("Nieuwe filmpjes: %s.") % "; ".join(v.title for v in content.videos))
    return " ".join(parts)


class WeekFeed(Feed):
    description = gettext_lazy(
        "Elke week: het nieuws van de scholen, de masterclasses met vrije plekken en de "
        "nieuwe filmpjes."
    )
    language = "nl"

    def get_object(self, request, *args, **kwargs):
        return get_active_campaign(request)

    def title(self, campaign):
        return _("%(name)s — deze week") % {"name": site_name(campaign)}

    def link(self, campaign):
        return absolute_url(campaign_reverse("this-week", campaign.url_prefix if campaign else ""))

    def feed_url(self, campaign):
        prefix = campaign.url_prefix if campaign else ""
        return absolute_url(campaign_reverse("this-week-feed", prefix))

    def items(self, campaign):
        current = Week.current()
        # Weeks without anything to tell are left out, as the weekly post would be.
        return [
            content
            for content in week_contents(current - (FEED_WEEKS - 1), current, campaign)
            if content
        ]

    def item_link(self, item):
        return absolute_url(item.week.get_absolute_url())

    def item_title(self, item):
        return as_html_text(week_title(item.week))

    def item_description(self, item):
        return as_html_text(week_summary(item))

    def item_pubdate(self, item):
        return item.week.starts_at

    def item_guid(self, item):
        return f"week-{item.week.slug}@{CALENDAR_DOMAIN}"

    def item_guid_is_permalink(self, item):
        return False
