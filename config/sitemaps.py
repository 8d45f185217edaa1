"""sitemap.xml: every public page, nothing in draft or planned for later."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator

from campaign.models import Page, Storyline, campaign_reverse
from campaign.sites import current_directory
from companies.models import Company
from events.models import Session
from schools.models import NewsItem, School

STATIC_PAGES = (
    "home",
    "campaign:storyline-list",
    "events:session-list",
    "schools:school-list",
    "schools:open-days",
    "companies:company-list",
    "schools:news-list",
    "audience-parents",
    "audience-schools",
    "audience-companies",
    "this-week",
)
# What each other campaign has at its own address (schools, companies, news are shared).
CAMPAIGN_PAGES = (
    "home",
    "campaign:storyline-list",
    "events:session-list",
    "audience-parents",
    "audience-schools",
    "audience-companies",
    "this-week",
)
# Served by their own views at the same address; listed once, as static pages.
AUDIENCE_PAGE_SLUGS = ("voor-ouders", "voor-scholen", "voor-bedrijven")


class SiteSitemap(Sitemap):
    """Addresses built from SITE_URL, like canonical URLs, not from the request's host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    @property
    def paginator(self):
        # The rows as a list: the paginator counts it without a COUNT query per section.
        return Paginator(list(self._items()), self.limit)


class StaticSitemap(SiteSitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        # (URL name, campaign prefix): the primary campaign's and the shared pages, then
        # the pages of every other public campaign in its own URL space.
        items = [(name, "") for name in STATIC_PAGES]
        for campaign in current_directory().campaigns:
            if campaign.url_prefix and campaign.is_public:
                items += [(name, campaign.url_prefix) for name in CAMPAIGN_PAGES]
        return items

    def location(self, item):
        name, prefix = item
        return campaign_reverse(name, prefix)


class PublishableSitemap(SiteSitemap):
    def lastmod(self, item):
        return item.updated_at


class StorylineSitemap(PublishableSitemap):
    priority = 0.9
    changefreq = "weekly"

    def items(self):
        return Storyline.objects.published().order_by("order", "pk")


class SchoolSitemap(PublishableSitemap):
    changefreq = "weekly"

    def items(self):
        return School.objects.published().order_by("name", "pk")


class CompanySitemap(PublishableSitemap):
    changefreq = "monthly"

    def items(self):
        return Company.objects.published().order_by("name", "pk")


class SessionSitemap(PublishableSitemap):
    changefreq = "daily"

    def items(self):
        return Session.objects.public().select_related("round").order_by("starts_at", "pk")


class NewsSitemap(PublishableSitemap):
    changefreq = "monthly"

    def items(self):
        return NewsItem.objects.public()


class PageSitemap(PublishableSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        # A list, not a queryset: a site has a few free pages, and no count query is needed.
        return list(Page.objects.published().exclude(slug__in=AUDIENCE_PAGE_SLUGS).order_by("pk"))


sitemaps = {
    "pages": StaticSitemap,
    "storylines": StorylineSitemap,
    "sessions": SessionSitemap,
    "schools": SchoolSitemap,
    "companies": CompanySitemap,
    "news": NewsSitemap,
    "info": PageSitemap,
}
