"""Links within the campaign the page is in: ``/zorg/verhaallijnen/`` on a page of the care
campaign, ``/verhaallijnen/`` on one of the primary campaign."""

from django import template

from campaign.context_processors import get_active_campaign
from campaign.models import campaign_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def campaign_url(context, viewname, **kwargs):
    request = context.get("request")
    campaign = get_active_campaign(request) if request is not None else None
    return campaign_reverse(viewname, campaign.url_prefix if campaign else "", kwargs)
