"""Links within the campaign whose URL space the page is in: ``/zorg/verhaallijnen/`` on a
page under /zorg/, ``/verhaallijnen/`` anywhere else. Also in an include with "only"."""

from django import template
from django.urls import NoReverseMatch, reverse

from campaign.models import campaign_reverse
from campaign.sites import entered_prefix

register = template.Library()


@register.simple_tag
def campaign_url(viewname, **kwargs):
    """``{% url %}`` for a page every campaign has (its agenda, its storylines...); a shared
    page (schools, news) keeps its one address."""
    prefix = entered_prefix()
    if not prefix:
        return reverse(viewname, kwargs=kwargs)
    try:
        return campaign_reverse(viewname, prefix, kwargs)
    except NoReverseMatch:
        return reverse(viewname, kwargs=kwargs)
