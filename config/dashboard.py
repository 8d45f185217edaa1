"""The admin's start page: what the coordinators have to do this week.

It lives in ``config`` because it reads every app (``campaign`` may import none of the
others). Each section is a fixed number of queries, whatever the amount of content: rows
come with their relations in one go, and text checks run in Python on rows already loaded.
Each line links to the admin page where the matter is put right.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from campaign.admin import message_add_url
from campaign.contentchecks import check_text, is_vague_alt, vague_links
from campaign.models import Audience, Campaign, Page, Region, SocialPost, Storyline, Video
from companies.models import Company
from events.models import MasterclassRound, Session
from schools.models import NewsItem, School

WEEK = dt.timedelta(days=7)
ALT_FIELDS = {
    Campaign: "hero_image_alt",
    Storyline: "hero_image_alt",
    Video: "poster_alt",
    School: "photo_alt",
    NewsItem: "image_alt",
}
SESSION_HORIZON = dt.timedelta(weeks=4)
QUIET_SCHOOL_DAYS = 90
# News measured for readability: waiting for moderation, or published this recently.
RECENT_NEWS = dt.timedelta(days=90)


@dataclass
class Line:
    """One thing to look at: what it is, where to fix it, and a short note (age, figures)."""

    text: str
    url: str
    note: str = ""
    is_warning: bool = False


@dataclass
class Section:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)
    empty: str = ""
    more_url: str = ""
    more_label: str = ""


# Where each kind of row is edited, and what a line calls it. Spelled out rather than
# read from ``_meta``: the dashboard reaches the other apps through their models only.
ADMIN_PAGES = {
    Campaign: ("campaign_campaign", pgettext_lazy("dashboard", "Campagne")),
    Storyline: ("campaign_storyline", pgettext_lazy("dashboard", "Verhaallijn")),
    Page: ("campaign_page", pgettext_lazy("dashboard", "Pagina")),
    Video: ("campaign_video", pgettext_lazy("dashboard", "Video")),
    School: ("schools_school", pgettext_lazy("dashboard", "School")),
    NewsItem: ("schools_newsitem", pgettext_lazy("dashboard", "Nieuwsbericht")),
    Company: ("companies_company", pgettext_lazy("dashboard", "Bedrijf")),
    MasterclassRound: ("events_masterclassround", pgettext_lazy("dashboard", "Masterclassronde")),
    Session: ("events_session", pgettext_lazy("dashboard", "Masterclass")),
}


def _change_url(obj) -> str:
    return reverse(f"admin:{ADMIN_PAGES[type(obj)][0]}_change", args=[obj.pk])


def _label(obj) -> str:
    """The row, prefixed with its kind ("Verhaallijn: Robotica")."""
    return f"{ADMIN_PAGES[type(obj)][1]}: {obj}"


def _age(since, now) -> str:
    days = (now - since).days
    if days < 1:
        return _("vandaag ingestuurd")
    return ngettext("%(days)d dag oud", "%(days)d dagen oud", days) % {"days": days}


def moderation_section(now) -> Section:
    items = NewsItem.objects.pending().select_related("school")
    return Section(
        key="moderation",
        title=_("Nieuws dat wacht op moderatie"),
        lines=[
            Line(
                text=f"{item.title} — {item.school or _('regionaal nieuws')}",
                url=_change_url(item),
                note=_age(item.created_at, now),
                is_warning=now - item.created_at > dt.timedelta(days=3),
            )
            for item in items
        ],
        empty=_("Er wacht geen nieuws."),
        more_url=reverse("admin:schools_newsitem_moderation"),
        more_label=_("Naar de moderatiewachtrij"),
    )


def going_live_section(now) -> Section:
    """What appears or disappears in the coming seven days: publication and "offline vanaf"."""
    end = now + WEEK
    rows = []
    for queryset in (
        *(model.objects.all() for model in (Storyline, Page, Video, School, Company)),
        MasterclassRound.objects.all(),
        Session.objects.all(),
        NewsItem.objects.select_related("school"),
    ):
        # One query per model: both schedules of the QuerySet, combined.
        rows += queryset.going_live_between(now, end) | queryset.going_offline_between(now, end)
    events = []
    for row in rows:
        if row.published_at and now <= row.published_at < end:
            events.append((row.published_at, row, _("online vanaf %(when)s")))
        if row.unpublish_at and now <= row.unpublish_at < end:
            events.append((row.unpublish_at, row, _("offline vanaf %(when)s")))
    events.sort(key=lambda event: event[0])
    lines = [
        Line(text=_label(row), url=_change_url(row), note=note % {"when": _when(moment)})
        for moment, row, note in events
    ]
    return Section(
        key="going-live",
        title=_("Gaat deze week online of offline"),
        lines=lines,
        empty=_("Deze week gaat er niets online of offline."),
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "l j F H:i")


def sessions_section(now) -> Section:
    sessions = (
        Session.objects.with_seats()
        .filter(starts_at__gte=now, starts_at__lte=now + SESSION_HORIZON)
        .select_related("host_school")
        .order_by("starts_at")
    )
    lines = []
    for session in sessions:
        # Pupils' and partners' seats together: a session for partners has no pupils' seats.
        seats = session.seats + session.partner_seats
        taken = session.seats_taken + session.partner_seats_taken
        fill = round(100 * taken / seats) if seats else 0
        note = _("%(taken)d van %(seats)d plaatsen bezet (%(fill)d%%)") % {
            "taken": taken,
            "seats": seats,
            "fill": fill,
        }
        if session.waitlisted_partners:
            note += " · " + ngettext(
                "%(count)d partner op de wachtlijst",
                "%(count)d partners op de wachtlijst",
                session.waitlisted_partners,
            ) % {"count": session.waitlisted_partners}
        if session.waitlisted_pupils:
            note += " · " + ngettext(
                "%(count)d leerling op de wachtlijst",
                "%(count)d leerlingen op de wachtlijst",
                session.waitlisted_pupils,
            ) % {"count": session.waitlisted_pupils}
        lines.append(
            Line(
                text=f"{_when(session.starts_at)} — {session.title} ({session.host_school})",
                url=_change_url(session),
                note=note,
                # Half empty with a week to go, or a waiting list: both ask for action.
                is_warning=bool(session.waitlisted_pupils or session.waitlisted_partners)
                or (fill < 50 and session.starts_at - now < WEEK),
            )
        )
    return Section(
        key="sessions",
        title=_("Masterclasses in de komende vier weken"),
        lines=lines,
        empty=_("Er staan geen masterclasses gepland in de komende vier weken."),
        more_url=reverse("admin:events_session_changelist"),
        more_label=_("Alle masterclasses"),
    )


def matrix_section(storylines) -> Section:
    """Empty cells of the storyline × audience matrix and texts above their target."""
    lines = []
    for storyline in storylines:
        by_audience = {message.audience: message for message in storyline.messages.all()}
        for audience in Audience:
            message = by_audience.get(audience.value)
            if message is None:
                lines.append(
                    Line(
                        text=_("%(storyline)s: boodschap voor %(audience)s ontbreekt")
                        % {"storyline": storyline, "audience": audience.label.lower()},
                        url=message_add_url(storyline, audience.value),
                    )
                )
    return Section(
        key="matrix",
        title=_("Lege vakken in de matrix verhaallijn × doelgroep"),
        lines=lines,
        empty=_("Elke verhaallijn heeft een boodschap voor elke doelgroep."),
        more_url=reverse("admin:campaign_storyline_matrix"),
        more_label=_("Naar de matrix"),
    )


def readability_section(storylines, pages, news) -> Section:
    """Texts harder to read than their audience's LIX target."""
    checked = []
    for storyline in storylines:
        checked.append(
            (
                _("Verhaallijn %(storyline)s: tekst voor leerlingen") % {"storyline": storyline},
                _change_url(storyline),
                check_text(storyline.pupil_text, audience=Audience.PUPIL),
            )
        )
        for message in storyline.messages.all():
            checked.append(
                (
                    _("Verhaallijn %(storyline)s: boodschap voor %(audience)s")
                    % {"storyline": storyline, "audience": message.get_audience_display().lower()},
                    reverse("admin:campaign_audiencemessage_change", args=[message.pk]),
                    check_text(message.headline, rich=message.body, audience=message.audience),
                )
            )
    for page in pages:
        checked.append(
            (
                _label(page),
                _change_url(page),
                check_text(page.title, page.intro, rich=page.body, audience=page.audience),
            )
        )
    for item in news:
        checked.append(
            (_label(item), _change_url(item), check_text(item.title, item.summary, rich=item.body))
        )
    lines = [
        Line(
            text=text,
            url=url,
            note=_("LIX %(lix)d, doel hoogstens %(target)d")
            % {"lix": check.readability.lix, "target": check.target},
            is_warning=True,
        )
        for text, url, check in checked
        if check.is_above_target
    ]
    return Section(
        key="readability",
        title=_("Teksten boven het leesdoel"),
        lines=lines,
        empty=_("Alle teksten zitten binnen het leesdoel van hun doelgroep."),
    )


def accessibility_section(storylines, pages, news) -> Section:
    """Alt texts that say nothing, films without captions or transcript, vague link texts."""
    lines = []
    # The database requires an alt text with every image; what is left to find is an
    # alt text that says nothing. Rows with an image only, loaded with their alt text.
    with_images = [
        *Campaign.objects.exclude(hero_image="").only("pk", "name", "hero_image_alt"),
        *Storyline.objects.exclude(hero_image="").only("pk", "title", "hero_image_alt"),
        *Video.objects.exclude(poster="").only("pk", "title", "poster_alt"),
        *School.objects.exclude(photo="").only("pk", "name", "photo_alt"),
        *NewsItem.objects.exclude(image="")
        .exclude(status=NewsItem.Status.REJECTED)
        .only("pk", "title", "image_alt"),
    ]
    lines += [
        Line(
            text=_label(row),
            url=_change_url(row),
            note=_("alt-tekst zegt niets over de afbeelding: “%(alt)s”") % {"alt": alt},
        )
        for row in with_images
        if is_vague_alt(alt := _alt_text(row))
    ]
    lines += [
        Line(
            text=_label(video),
            url=_change_url(video),
            note=_("film zonder ondertitels en zonder transcript"),
        )
        for video in Video.objects.filter(captions="", transcript="")
    ]
    rich_texts = [
        (
            _("Verhaallijn %(storyline)s: boodschap voor %(audience)s")
            % {"storyline": storyline, "audience": message.get_audience_display().lower()},
            reverse("admin:campaign_audiencemessage_change", args=[message.pk]),
            message.body,
        )
        for storyline in storylines
        for message in storyline.messages.all()
    ]
    rich_texts += [(_label(page), _change_url(page), page.body) for page in pages]
    rich_texts += [(_label(item), _change_url(item), item.body) for item in news]
    rich_texts += [
        (_label(school), _change_url(school), school.description)
        for school in School.objects.only("pk", "name", "description")
    ]
    for text, url, body in rich_texts:
        vague = vague_links(body)
        if vague:
            lines.append(
                Line(
                    text=text,
                    url=url,
                    note=_("link met een vage tekst: %(texts)s")
                    % {"texts": ", ".join(f"“{link}”" for link in vague)},
                )
            )
    return Section(
        key="accessibility",
        title=_("Toegankelijkheid: alt-teksten, ondertitels en linkteksten"),
        lines=lines,
        empty=_("Geen ontbrekende alt-teksten, ondertitels of vage linkteksten gevonden."),
    )


def _alt_text(row) -> str:
    return getattr(row, ALT_FIELDS[type(row)])


def quiet_schools_section(now) -> Section:
    """Published schools without published news or a masterclass in the last 90 days.

    A masterclass planned in the coming weeks counts: that school's turn is on its way.
    """
    cutoff = now - dt.timedelta(days=QUIET_SCHOOL_DAYS)
    schools = (
        School.objects.published()
        .annotate(
            last_news=Max(
                "news_items__published_at",
                filter=Q(
                    news_items__status=NewsItem.Status.PUBLISHED,
                    news_items__published_at__lte=now,
                ),
            ),
            last_hosting=Max("hosted_sessions__starts_at"),
        )
        .filter(Q(last_news__isnull=True) | Q(last_news__lt=cutoff))
        .filter(Q(last_hosting__isnull=True) | Q(last_hosting__lt=cutoff))
        .order_by("name")
    )
    never = _("nooit")
    lines = [
        Line(
            text=school.name,
            url=_change_url(school),
            note=_("laatste nieuws: %(news)s · laatste masterclass: %(hosting)s")
            % {
                "news": _date(school.last_news) if school.last_news else never,
                "hosting": _date(school.last_hosting) if school.last_hosting else never,
            },
        )
        for school in schools
    ]
    return Section(
        key="quiet-schools",
        title=_("Scholen zonder nieuws of masterclass in de laatste 90 dagen"),
        lines=lines,
        empty=_("Elke school had de laatste 90 dagen nieuws of een masterclass."),
        more_url=reverse("admin:airtime"),
        more_label=_("Zendtijd per school, bedrijf en verhaallijn"),
    )


def _date(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def linkedin_section(now) -> Section:
    """Weeks since the last LinkedIn post: the partnership posts weekly."""
    last = SocialPost.objects.filter(
        channel=SocialPost.Channel.LINKEDIN, status=SocialPost.Status.POSTED
    ).aggregate(last=Max("posted_at"))["last"]
    url = reverse("admin:campaign_socialpost_changelist") + "?channel__exact=linkedin"
    if last is None:
        line = Line(text=_("Nog geen LinkedIn-bericht geplaatst."), url=url, is_warning=True)
    else:
        weeks = (now - last).days // 7
        line = Line(
            text=ngettext(
                "%(weeks)d week sinds het laatste LinkedIn-bericht",
                "%(weeks)d weken sinds het laatste LinkedIn-bericht",
                weeks,
            )
            % {"weeks": weeks},
            url=url,
            note=_("geplaatst op %(date)s") % {"date": _date(last)},
            is_warning=weeks >= 1,
        )
    plan = Line(text=_("Weekkalender social media"), url=reverse("admin:social-calendar"))
    return Section(key="linkedin", title=_("LinkedIn, elke week"), lines=[line, plan])


def region_section() -> Section:
    """What a visitor misses while the region is not filled in (a new installation)."""
    region = Region.objects.current()
    url = reverse("admin:campaign_region_changelist")
    missing = [
        (region.pk is None, _("Vul de regio in: naam, samenwerking, partners en contact")),
        (not region.privacy_url, _("Kies een gepubliceerde privacyverklaring")),
        (not region.accessibility_url, _("Kies een gepubliceerde toegankelijkheidsverklaring")),
        (not region.contact_email, _("Voeg een contactpersoon met e-mailadres toe")),
    ]
    lines = [Line(text, url, is_warning=True) for is_missing, text in missing if is_missing]
    return Section(key="region", title=_("Regio"), lines=lines)


def build_dashboard(user, now=None) -> list[Section]:
    """The sections of the start page this user may see, in the order of a working week."""
    now = now or timezone.now()
    sections = []
    if user.has_perm("schools.view_newsitem"):
        sections.append(moderation_section(now))
    if user.has_perm("campaign.view_storyline"):
        sections.append(going_live_section(now))
    if user.has_perm("events.view_session"):
        sections.append(sessions_section(now))
    if user.has_perm("campaign.view_storyline") and user.has_perm("schools.view_newsitem"):
        storylines = list(
            Storyline.objects.select_related("campaign")
            .prefetch_related("messages")
            .order_by("campaign__name", "order", "title")
        )
        pages = list(Page.objects.all())
        news = list(
            NewsItem.objects.filter(
                Q(status=NewsItem.Status.SUBMITTED)
                | Q(status=NewsItem.Status.PUBLISHED, published_at__gte=now - RECENT_NEWS)
            ).select_related("school")
        )
        sections.append(matrix_section(storylines))
        sections.append(readability_section(storylines, pages, news))
        sections.append(accessibility_section(storylines, pages, news))
    if user.has_perm("schools.view_school"):
        sections.append(quiet_schools_section(now))
    if user.has_perm("campaign.view_socialpost"):
        sections.append(linkedin_section(now))
    # Only while something is missing: on a new installation, this comes first to mind.
    if user.has_perm("campaign.change_region") and (region := region_section()).lines:
        sections.insert(0, region)
    return sections
