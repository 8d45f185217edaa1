"""The share image of each public page type, served by one view that caches the file.

The drawing lives in campaign.shareimages; this app sits above all the others, so it
knows how a school, a news item or a session turns into what is drawn.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from campaign.context_processors import site_name
from campaign.models import Campaign, Storyline
from campaign.shareimages import SIZES, ShareContent, ensure_share_image
from companies.models import Company
from events.models import Session
from schools.models import NewsItem, School

DEFAULT_COLOR = Campaign._meta.get_field("primary_color").default
DEFAULT_ACCENT = Campaign._meta.get_field("secondary_color").default


def _public_objects(kind: str):
    """What the public may see of each kind; the key is the address segment."""
    querysets = {
        "campagne": lambda: Campaign.objects.published(),
        "verhaallijn": lambda: Storyline.objects.published().select_related("campaign"),
        "school": lambda: School.objects.published(),
        "nieuws": lambda: NewsItem.objects.public().select_related("school"),
        "masterclass": lambda: Session.objects.public().select_related(
            "storyline", "host_school", "round__campaign"
        ),
        "bedrijf": lambda: Company.objects.published(),
    }
    if kind not in querysets:
        raise Http404
    return querysets[kind]()


def _all_objects(kind: str):
    """Everything of a kind, for coordinators who prepare a post before a page is public."""
    models = {
        "campagne": Campaign,
        "verhaallijn": Storyline,
        "school": School,
        "nieuws": NewsItem,
        "masterclass": Session,
        "bedrijf": Company,
    }
    if kind not in models:
        raise Http404
    return models[kind].objects.all()


def _first_storyline(row):
    return row.storylines.published().order_by("order", "title").first()


def _campaign_of(row):
    """The campaign whose colours and name a share image carries: the row's own, or for
    what all campaigns share (schools, companies, news) the primary one."""
    if isinstance(row, Campaign):
        return row
    if isinstance(row, Storyline):
        return row.campaign
    if isinstance(row, Session) and row.round.campaign is not None:
        return row.round.campaign
    return Campaign.objects.primary()


def share_content(row) -> ShareContent:
    """What the share image of a page shows: its title, its storyline icon, a logo."""
    campaign = _campaign_of(row)
    color = campaign.primary_color if campaign else DEFAULT_COLOR
    accent = campaign.secondary_color if campaign else DEFAULT_ACCENT
    footer = site_name(campaign)
    if isinstance(row, Campaign):
        return ShareContent(
            title=row.tagline or row.name,
            kicker="",
            footer=footer,
            color=color,
            accent=accent,
            logo=row.logo.name,
        )
    if isinstance(row, Storyline):
        return ShareContent(
            title=row.title,
            kicker=_("Verhaallijn"),
            footer=footer,
            color=row.color,
            accent=accent,
            icon=row.icon,
        )
    if isinstance(row, Session):
        storyline = row.storyline
        school = row.host_school
        return ShareContent(
            title=row.title,
            kicker=_("Masterclass"),
            footer=footer,
            color=storyline.color if storyline else color,
            accent=accent,
            icon=storyline.icon if storyline else "",
            logo=school.logo.name if school else "",
        )
    if isinstance(row, NewsItem):
        school = row.school
        storyline = _first_storyline(school) if school else None
        return ShareContent(
            title=row.title,
            kicker=_("Nieuws van %(school)s") % {"school": school.name} if school else _("Nieuws"),
            footer=footer,
            color=color,
            accent=accent,
            icon=storyline.icon if storyline else "",
            logo=school.logo.name if school else "",
        )
    if isinstance(row, School | Company):
        storyline = _first_storyline(row)
        return ShareContent(
            title=row.name,
            kicker=_("School") if isinstance(row, School) else _("Bedrijf"),
            footer=footer,
            color=color,
            accent=accent,
            icon=storyline.icon if storyline else "",
            logo=row.logo.name,
        )
    raise TypeError(f"No share image for {type(row).__name__}")


def _serve(request, row, width: int, height: int):
    size = (width, height)
    if size not in SIZES.values():
        raise Http404
    name = ensure_share_image(share_content(row), size)
    response = FileResponse(default_storage.open(name), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="deelbeeld-{width}x{height}.png"'
    # The address stays the same when the page changes: let shares pick up an edit soon.
    patch_cache_control(response, public=True, max_age=60 * 60)
    return response


def share_image(request, kind: str, pk: int, width: int, height: int):
    """The share image of a public page, drawn on the first request and then kept."""
    return _serve(request, get_object_or_404(_public_objects(kind), pk=pk), width, height)


@staff_member_required
def share_image_admin(request, kind: str, pk: int, width: int, height: int):
    """The same image for coordinators, also of a page that is not public yet."""
    response = _serve(request, get_object_or_404(_all_objects(kind), pk=pk), width, height)
    patch_cache_control(response, private=True)
    return response
