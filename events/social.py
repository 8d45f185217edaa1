"""From any story to social-media drafts: one per channel, in that channel's audience voice.

It lives in events, the top app, because a story may be a news item (schools), a session
or round (events), a storyline or a video (campaign), and the draft names the schools and
companies it features.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from campaign.models import Audience, Campaign, SocialPost, Storyline, Video
from campaign.richtext import rich_text_to_plain
from events.models import MasterclassRound, Session
from schools.models import NewsItem

Channel = SocialPost.Channel
# Who reads each channel: LinkedIn is the stakeholders' weekly post, the others are pupils'.
CHANNEL_AUDIENCE = {
    Channel.LINKEDIN: Audience.COMPANY,
    Channel.INSTAGRAM: Audience.PUPIL,
    Channel.TIKTOK: Audience.PUPIL,
}
# Pupils read a caption, not an article: the text is cut to this before the hashtags.
PUPIL_TEXT_CHARS = 300


@dataclass
class Story:
    """What a draft needs from any kind of story."""

    title: str
    url: str
    campaign: Campaign | None
    storyline: Storyline | None
    professional_text: str
    pupil_text: str
    video_url: str = ""
    featured: list = field(default_factory=list)


def hashtag(name: str) -> str:
    """ "Zorg doet ertoe" becomes #ZorgDoetErtoe: readable, and one tag per name."""
    words = re.findall(r"\w+", name)
    return "#" + "".join(word[:1].upper() + word[1:] for word in words) if words else ""


def tagged_link(url: str, *, channel: str, campaign: Campaign | None) -> str:
    query = {"utm_source": channel, "utm_medium": "social"}
    if campaign is not None:
        query["utm_campaign"] = campaign.slug
    return f"{settings.SITE_URL}{url}?{urlencode(query)}"


def _storyline_text(storyline: Storyline, audience: str) -> str:
    message = storyline.messages.filter(audience=audience).first()
    if message is None:
        return ""
    return f"{message.headline}\n\n{rich_text_to_plain(message.body)}"


def _featured(*, school=None, companies=()) -> list:
    pairs = [["schools.school", school.pk]] if school is not None else []
    return pairs + [["companies.company", company.pk] for company in companies]


def story_of(obj) -> Story:
    """The parts of a news item, storyline, video, session or round a draft is made of."""
    # Shared stories (school news) are told in the primary campaign.
    primary = Campaign.objects.primary()
    if isinstance(obj, NewsItem):
        text = obj.summary or rich_text_to_plain(obj.body)
        return Story(
            title=obj.title,
            url=obj.get_absolute_url(),
            campaign=primary,
            storyline=None,
            professional_text=f"{obj.title}\n\n{rich_text_to_plain(obj.body)}",
            pupil_text=f"{obj.title}! {text}",
            featured=_featured(school=obj.school),
        )
    if isinstance(obj, Storyline):
        return Story(
            title=obj.title,
            url=obj.get_absolute_url(),
            campaign=obj.campaign,
            storyline=obj,
            professional_text=_storyline_text(obj, Audience.COMPANY)
            or _storyline_text(obj, Audience.SCHOOL)
            or obj.pupil_text,
            pupil_text=_storyline_text(obj, Audience.PUPIL) or obj.pupil_text,
        )
    if isinstance(obj, Video):
        return Story(
            title=obj.title,
            url=obj.get_absolute_url(),
            campaign=obj.campaign,
            storyline=obj.storyline,
            professional_text=f"{obj.title}\n\n{obj.description}".strip(),
            pupil_text=f"{obj.title} 🎬 {obj.description}".strip(),
            video_url=obj.external_url
            or (f"{settings.SITE_URL}{obj.video_file.url}" if obj.video_file else ""),
        )
    if isinstance(obj, Session):
        companies = list(obj.companies.all())
        names = ", ".join(company.name for company in companies)
        where = _("Masterclass op %(school)s") % {"school": obj.host_school.name}
        with_whom = _(" met %(companies)s") % {"companies": names} if names else ""
        summary = obj.summary or rich_text_to_plain(obj.description, one_line=True)
        return Story(
            title=obj.title,
            url=obj.get_absolute_url(),
            campaign=obj.storyline.campaign,
            storyline=obj.storyline,
            professional_text=f"{obj.title}: {where}{with_whom}.\n\n{summary}".strip(),
            pupil_text=f"{obj.title}! {where}{with_whom}. {summary}".strip(),
            featured=_featured(school=obj.host_school, companies=companies),
        )
    if isinstance(obj, MasterclassRound):
        sessions = list(obj.sessions.select_related("host_school").prefetch_related("companies"))
        schools = {session.host_school.pk: session.host_school for session in sessions}
        companies = {c.pk: c for session in sessions for c in session.companies.all()}
        visiting = ", ".join(school.name for school in schools.values())
        stops = _("Het techniekcircus komt langs %(schools)s.") % {"schools": visiting}
        return Story(
            title=obj.name,
            url=obj.get_absolute_url(),
            campaign=obj.campaign or primary,
            storyline=None,
            professional_text=f"{obj.name}\n\n{obj.description}\n\n{stops}".strip(),
            pupil_text=f"{obj.name}! {stops}",
            featured=[["schools.school", pk] for pk in schools]
            + [["companies.company", pk] for pk in companies],
        )
    raise TypeError(f"no social drafts for {type(obj).__name__}")


def _caption(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def draft_social_posts(*, story, channels) -> list[SocialPost]:
    """Make one planned draft per channel from a story, in the channel's audience voice."""
    parts = story_of(story)
    if parts.campaign is None:
        raise ValueError(_("Er is geen actieve campagne om het bericht onder te plaatsen."))
    tags = [hashtag(parts.campaign.name)]
    if parts.storyline is not None:
        tags.append(hashtag(parts.storyline.title))
    tag_line = " ".join(tag for tag in tags if tag)
    posts = []
    with transaction.atomic():
        for channel in channels:
            audience = CHANNEL_AUDIENCE[channel]
            link = tagged_link(parts.url, channel=channel, campaign=parts.campaign)
            if audience == Audience.PUPIL:
                body = _caption(parts.pupil_text, PUPIL_TEXT_CHARS)
                text = f"{body}\n\n{_('Link in bio')}: {link}\n\n{tag_line}"
            else:
                body = _caption(parts.professional_text, 2500)
                text = f"{body}\n\n{_('Lees meer')}: {link}\n\n{tag_line}"
            post = SocialPost(
                campaign=parts.campaign,
                storyline=parts.storyline,
                channel=channel,
                audience=audience,
                title=parts.title[:160],
                text=text,
                link_url=link,
                video_url=parts.video_url,
                story=story,
                featured=parts.featured,
            )
            post.full_clean()
            post.save()
            posts.append(post)
    return posts
