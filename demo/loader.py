"""Turn the demo data file (``content/*.toml``) into rows.

Every row is matched on its slug (or another natural key) and written with
``update_or_create``, so loading twice changes nothing. Dates in the file are offsets
from today, so the demo always has open days, open registrations and fresh news.
Keys of the file that are not explained here are model fields, passed on as they are.
"""

import datetime as dt
import tomllib
from functools import partial
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from campaign.models import (
    AudienceMessage,
    Campaign,
    Page,
    Region,
    RegionContact,
    RegionPartner,
    SocialPost,
    Storyline,
    Video,
    monday_of,
)
from campaign.publishing import PublicationStatus
from companies.models import Company, Contribution, Offer
from demo.pictures import attach_image, draw_logo, draw_picture
from events.models import MasterclassRound, Registration, Session
from events.planning import season_name
from events.services import SignUp, register_for_session
from schools.models import NewsItem, OpenDay, School

DEFAULT_FILE = Path(__file__).resolve().parent / "content" / "techniek-doet-het.toml"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# How long ago the demo's rows were published, unless the file says otherwise.
PUBLISHED_DAYS_AGO = 90


def read_content(path: Path = DEFAULT_FILE) -> dict:
    with open(path, "rb") as file:
        return tomllib.load(file)


class DemoLoader:
    def __init__(self, content: dict, *, report=None, now: dt.datetime | None = None):
        self.content = content
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.report = report or (lambda line: None)
        self.school_colors: dict[str, tuple[str, str]] = {}

    # ------------------------------------------------------------------ dates

    def day(self, item: dict) -> dt.date:
        """``starts_in_days`` from today, moved on to ``weekday`` when the item names one."""
        day = self.today + dt.timedelta(days=item["starts_in_days"])
        if weekday := item.get("weekday"):
            day += dt.timedelta(days=(WEEKDAYS.index(weekday) - day.weekday()) % 7)
        return day

    def at(self, day: dt.date, clock: str) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(clock)))

    def published(self, item: dict) -> dict:
        days = item.pop("published_days_ago", PUBLISHED_DAYS_AGO)
        return {
            "status": PublicationStatus.PUBLISHED,
            "published_at": self.now - dt.timedelta(days=days),
        }

    # ------------------------------------------------------------------ loading

    def load(self) -> None:
        campaign = self.load_campaign(dict(self.content["campaign"]))
        storylines = self.load_storylines(campaign)
        self.load_videos(campaign, storylines)
        self.load_pages(campaign)
        schools = self.load_schools(storylines)
        companies = self.load_companies(storylines, schools)
        self.load_round(campaign, storylines, schools, companies)
        self.load_news(schools)
        self.load_social_posts(campaign, storylines)
        self.load_region()

    def load_campaign(self, data: dict) -> Campaign:
        colors = (data["primary_color"], data["secondary_color"])
        slug = data.pop("slug")
        # Published, and the site's primary campaign unless another one already is.
        has_other_primary = Campaign.objects.filter(is_primary=True).exclude(slug=slug).exists()
        campaign, _ = Campaign.objects.update_or_create(
            slug=slug,
            defaults={
                **data,
                "status": PublicationStatus.PUBLISHED,
                "is_primary": not has_other_primary,
            },
        )
        attach_image(
            campaign, "hero_image", "demo.jpg", partial(draw_picture, campaign.name, colors)
        )
        attach_image(campaign, "logo", "demo-logo.png", partial(draw_logo, campaign.name, colors))
        self.report(f"Campaign: {campaign.name}")
        return campaign

    def load_storylines(self, campaign: Campaign) -> dict[str, Storyline]:
        storylines = {}
        messages = 0
        for order, data in enumerate(self.content["storylines"], start=1):
            data = dict(data)
            slug, audience_messages = data.pop("slug"), data.pop("messages", [])
            storyline, _ = Storyline.objects.update_or_create(
                slug=slug,
                defaults={
                    **data,
                    **self.published(data),
                    "campaign": campaign,
                    "order": order,
                    "hero_image_alt": "Illustratie in de kleur van de verhaallijn met de tekst "
                    + data["title"],
                },
            )
            attach_image(
                storyline,
                "hero_image",
                f"{slug}.jpg",
                partial(draw_picture, storyline.title, (storyline.color, "#212529")),
            )
            for message in audience_messages:
                message = dict(message)
                AudienceMessage.objects.update_or_create(
                    storyline=storyline, audience=message.pop("audience"), defaults=message
                )
                messages += 1
            storylines[slug] = storyline
        self.report(f"  storylines: {len(storylines)}")
        self.report(f"  audience messages: {messages}")
        return storylines

    def load_videos(self, campaign: Campaign, storylines: dict[str, Storyline]) -> None:
        for data in self.content["videos"]:
            data = dict(data)
            storyline = storylines[data.pop("storyline")]
            video, _ = Video.objects.update_or_create(
                campaign=campaign,
                title=data.pop("title"),
                defaults={
                    **data,
                    **self.published(data),
                    "storyline": storyline,
                    "poster_alt": f"Poster in de kleur van {storyline.title} met de titel van de video",
                },
            )
            attach_image(
                video,
                "poster",
                f"poster-{storyline.slug}.jpg",
                partial(draw_picture, video.title, (storyline.color, "#212529")),
            )
        self.report(f"  videos: {len(self.content['videos'])}")

    def load_pages(self, campaign: Campaign) -> None:
        for data in self.content["pages"]:
            data = dict(data)
            audience = data.pop("audience", "")
            Page.objects.update_or_create(
                slug=data.pop("slug"),
                defaults={
                    **data,
                    **self.published(data),
                    "audience": audience,
                    # Pages for an audience belong to the campaign; privacy and such to the site.
                    "campaign": campaign if audience else None,
                },
            )
        self.report(f"  pages: {len(self.content['pages'])}")

    def load_schools(self, storylines: dict[str, Storyline]) -> dict[str, School]:
        schools = {}
        open_days = 0
        for data in self.content["schools"]:
            data = dict(data)
            slug, colors = data.pop("slug"), tuple(data.pop("colors"))
            storyline_slugs, days = data.pop("storylines"), data.pop("open_days", [])
            school, _ = School.objects.update_or_create(
                slug=slug,
                defaults={
                    **data,
                    **self.published(data),
                    "website": f"https://{slug}.example.org/",
                    "email": f"info@{slug}.example.org",
                    "contact_email": f"contact@{slug}.example.org",
                    "photo_alt": f"Illustratie met de naam van {data['name']}",
                },
            )
            school.storylines.set([storylines[s] for s in storyline_slugs])
            attach_image(school, "photo", f"{slug}.jpg", partial(draw_picture, school.name, colors))
            attach_image(school, "logo", f"{slug}.png", partial(draw_logo, school.name, colors))
            for day in days:
                date = self.day(day)
                OpenDay.objects.update_or_create(
                    school=school,
                    title=day["title"],
                    defaults={
                        "starts_at": self.at(date, day["starts"]),
                        "ends_at": self.at(date, day["ends"]),
                        "description": day["description"],
                        "signup_url": f"https://{slug}.example.org/open-dag/",
                    },
                )
            open_days += len(days)
            self.school_colors[slug] = colors
            schools[slug] = school
        self.report(f"  schools: {len(schools)}")
        self.report(f"  open days: {open_days}")
        return schools

    def load_companies(self, storylines, schools) -> dict[str, Company]:
        companies = {}
        for data in self.content["companies"]:
            data = dict(data)
            slug, colors, offers = data.pop("slug"), tuple(data.pop("colors")), data.pop("offers")
            story_slugs, school_slugs = data.pop("storylines"), data.pop("schools")
            contributions = data.pop("contributions", [])
            company, _ = Company.objects.update_or_create(
                slug=slug,
                defaults={
                    **data,
                    **self.published(data),
                    "description": f"<p>{data['summary']}</p><p>{data['name']} werkt mee aan "
                    f"{self.content['campaign']['name']}, zodat jongeren uit de regio zien "
                    "hoe mooi hun vak is.</p>",
                    "website": f"https://{slug}.example.org/",
                    "contact_name": "Afdeling HR",
                    "contact_email": f"hr@{slug}.example.org",
                },
            )
            company.storylines.set([storylines[s] for s in story_slugs])
            company.schools.set([schools[s] for s in school_slugs])
            for kind, description in offers.items():
                Offer.objects.update_or_create(
                    company=company, kind=Offer.Kind(kind), defaults={"description": description}
                )
            # One per kind and company: a rerun on another day moves it, adds none.
            for item in contributions:
                Contribution.objects.update_or_create(
                    company=company,
                    kind=Contribution.Kind(item["kind"]),
                    defaults={
                        "date": self.today - dt.timedelta(days=item["days_ago"]),
                        "quantity": item.get("quantity", 1),
                        "note": item.get("note", ""),
                    },
                )
            attach_image(company, "logo", f"{slug}.png", partial(draw_logo, company.name, colors))
            companies[slug] = company
        self.report(f"  companies: {len(companies)}")
        return companies

    def load_round(self, campaign, storylines, schools, companies) -> None:
        data = dict(self.content["round"])
        sessions = [dict(session) for session in data.pop("sessions")]
        days = [self.day(session) for session in sessions]
        # The round is named after the season of its middle.
        name = season_name(min(days) + (max(days) - min(days)) / 2)
        slug = slugify(name)
        published = self.published(data)
        round_, _ = MasterclassRound.objects.update_or_create(
            slug=slug,
            defaults={
                **data,
                **published,
                "campaign": campaign,
                "name": name,
                "starts_on": min(days),
                "ends_on": max(days),
            },
        )
        open_now = 0
        for day, item in zip(days, sessions, strict=True):
            school_slug, story_slug = item.pop("host_school"), item.pop("storyline")
            company_slugs = item.pop("companies")
            registrations = item.pop("registrations", [])
            starts_at, ends_at = self.at(day, item.pop("starts")), self.at(day, item.pop("ends"))
            opens_on = self.today + dt.timedelta(days=item.pop("registration_opens_in_days"))
            closes_before = dt.timedelta(days=item.pop("registration_closes_days_before"))
            for key in ("starts_in_days", "weekday"):
                item.pop(key, None)
            session, _ = Session.objects.update_or_create(
                slug=f"{slug}-{school_slug}",
                defaults={
                    **item,
                    **published,
                    "round": round_,
                    "host_school": schools[school_slug],
                    "storyline": storylines[story_slug],
                    "description": self.session_description(item),
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "registration_opens_at": self.at(opens_on, "09:00"),
                    "registration_closes_at": starts_at - closes_before,
                },
            )
            session.companies.set([companies[c] for c in company_slugs])
            open_now += session.is_open_for_registration(self.now)
            for registration in registrations:
                # A partner's organisation from the lists is named by its slug.
                if school_slug := registration.pop("partner_school", None):
                    registration.update(
                        partner_school=schools[school_slug], organisation_type="school"
                    )
                if company_slug := registration.pop("partner_company", None):
                    registration.update(
                        partner_company=companies[company_slug], organisation_type="company"
                    )
                self.sign_up(session, registration)
        self.report(f"Masterclass round: {round_.name}")
        self.report(f"  sessions: {len(sessions)}")
        self.report(f"  open for registration now: {open_now}")

    @staticmethod
    def session_description(item: dict) -> str:
        audience = item.get("audience_type", "pupils")
        if audience == "partners":
            return f"<p>{item['summary']}</p><p>Voor {item['audience']}.</p>"
        text = (
            f"<p>{item['summary']}</p><p>Voor leerlingen uit {item['audience']}. "
            "Ouders zijn welkom bij de presentatie aan het eind.</p>"
        )
        if audience == "both":
            text += (
                "<p>Ook partners zijn welkom, met eigen plaatsen: medewerkers van scholen, "
                "bedrijven en gemeenten.</p>"
            )
        return text

    def sign_up(self, session: Session, data: dict) -> None:
        """Through the sign-up service, as a coordinator would; once per contact and kind."""
        signup = SignUp(**{**data, "kind": Registration.Kind(data["kind"])})
        if session.registrations.filter(
            kind=signup.kind,
            contact_email=signup.contact_email,
            child_first_name=signup.child_first_name,
        ).exists():
            return
        register_for_session(session=session, signup=signup, by_coordinator=True)

    def load_news(self, schools) -> None:
        published = 0
        for data in self.content["news"]:
            data = dict(data)
            school_slug = data.pop("school", None)
            school = schools[school_slug] if school_slug else None
            has_image = data.pop("has_image", False)
            if "published_days_ago" in data:
                published += 1
                state = {
                    "status": NewsItem.Status.PUBLISHED,
                    "published_at": self.now
                    - dt.timedelta(days=data.pop("published_days_ago"), hours=3),
                }
            else:
                state = {"status": NewsItem.Status.SUBMITTED, "published_at": None}
            item, _ = NewsItem.objects.update_or_create(
                slug=data.pop("slug"),
                defaults={
                    **data,
                    **state,
                    "school": school,
                    "image_alt": f"Illustratie met de tekst {data['title']}" if has_image else "",
                    "submitter_name": school.contact_name if school else "Coördinator",
                    "submitter_email": school.contact_email
                    if school
                    else "coordinator@example.org",
                },
            )
            if has_image:
                colors = self.school_colors.get(school_slug, ("#E6007E", "#005A9C"))
                attach_image(item, "image", "news.jpg", partial(draw_picture, item.title, colors))
        self.report(f"  news items published: {published}")
        self.report(f"  news items waiting for moderation: {len(self.content['news']) - published}")

    def load_region(self) -> None:
        data = dict(self.content["region"])
        partners, contacts = data.pop("partners", []), data.pop("contacts", [])
        colors = tuple(data.pop("colors"))
        data.pop("other_names", None)
        pages = {
            field: Page.objects.get(slug=data.pop(field))
            for field in ("privacy_page", "accessibility_page")
        }
        region, _ = Region.objects.update_or_create(singleton=True, defaults={**data, **pages})
        for order, partner in enumerate(partners, start=1):
            row, _ = RegionPartner.objects.update_or_create(
                region=region, name=partner["name"], defaults={**partner, "order": order}
            )
            attach_image(row, "logo", f"partner-{order}.png", partial(draw_logo, row.name, colors))
        for order, contact in enumerate(contacts, start=1):
            RegionContact.objects.update_or_create(
                region=region, name=contact["name"], defaults={**contact, "order": order}
            )
        self.report(f"Region: {region.name}")
        self.report(f"  partners: {len(partners)}, contacts: {len(contacts)}")

    def load_social_posts(self, campaign, storylines) -> None:
        for data in self.content["social_posts"]:
            data = dict(data)
            storyline_slug = data.pop("storyline", None)
            days_ahead = data.pop("planned_in_days", None)
            SocialPost.objects.update_or_create(
                campaign=campaign,
                title=data.pop("title"),
                defaults={
                    **data,
                    "storyline": storylines[storyline_slug] if storyline_slug else None,
                    "planned_for": None
                    if days_ahead is None
                    else self.at(self.today + dt.timedelta(days=days_ahead), "08:30"),
                    "planned_week": None
                    if days_ahead is None
                    else monday_of(self.today + dt.timedelta(days=days_ahead)),
                    "link_url": "https://techniekdoethet.example.org/masterclasses/",
                },
            )
        self.report(f"  social-media drafts: {len(self.content['social_posts'])}")
