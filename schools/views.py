import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_ratelimit.decorators import ratelimit

from campaign.models import Storyline
from campaign.publishing import published_through
from campaign.seo import absolute_url, json_ld
from schools.forms import NewsSubmissionForm
from schools.models import NewsItem, OpenDay, School
from schools.services import submit_news_item

# Sessions and companies live in apps above this one; reach them through School's
# reverse relations so that schools never imports them.
Company = School._meta.get_field("companies").related_model
Session = School._meta.get_field("hosted_sessions").related_model


def public_news():
    """Published news of a published school, or regional news without a school."""
    return (
        NewsItem.objects.published()
        .filter(Q(school__isnull=True) | published_through("school"))
        .for_listing()
        .order_by("-published_at", "-pk")
    )


def school_card_prefetches() -> list[Prefetch]:
    """What ``schools/includes/school_card.html`` shows besides the school's own fields."""
    return [
        Prefetch("storylines", queryset=Storyline.objects.published(), to_attr="public_storylines"),
        Prefetch(
            "open_days",
            queryset=OpenDay.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at"),
            to_attr="next_open_days",
        ),
    ]


def rotate_for_day(items: list, day: dt.date) -> list:
    """Every item takes its turn at the top: the list shifts by one place each day."""
    if not items:
        return items
    offset = day.toordinal() % len(items)
    return items[offset:] + items[:offset]


# The ?profiel= parameter in Dutch; the stored values stay English identifiers.
PROFILE_PARAMS = {
    "technisch": School.Profile.TECHNICAL,
    "breed": School.Profile.BROAD,
    "groen": School.Profile.GREEN,
}
PARAM_FOR_PROFILE = {profile: param for param, profile in PROFILE_PARAMS.items()}


class SchoolListView(ListView):
    template_name = "schools/school_list.html"
    context_object_name = "schools"

    def get(self, request, *args, **kwargs):
        # Links from before the Dutch parameter values (?profiel=technical) keep working.
        old_value = request.GET.get("profiel", "")
        if old_value in PARAM_FOR_PROFILE:
            query = request.GET.copy()
            query["profiel"] = PARAM_FOR_PROFILE[old_value]
            return redirect(f"{request.path}?{query.urlencode()}", permanent=True)
        return super().get(request, *args, **kwargs)

    def get_profile(self):
        return PROFILE_PARAMS.get(self.request.GET.get("profiel", ""), "")

    def get_queryset(self):
        schools = School.objects.published().prefetch_related(*school_card_prefetches())
        if profile := self.get_profile():
            schools = schools.filter(profile=profile)
        # A stable base order (by name, then pk) so that the daily shift is deterministic.
        return rotate_for_day(list(schools.order_by("name", "pk")), timezone.localdate())

    def get_context_data(self, **kwargs):
        profiles = [(PARAM_FOR_PROFILE[value], label) for value, label in School.Profile.choices]
        current = self.get_profile()
        return super().get_context_data(
            profiles=profiles,
            current_profile=PARAM_FOR_PROFILE.get(current, ""),
            **kwargs,
        )


class SchoolDetailView(DetailView):
    template_name = "schools/school_detail.html"
    context_object_name = "school"

    def get_queryset(self):
        sessions = (
            Session._default_manager.published()
            .upcoming()
            .filter(published_through("round"), published_through("storyline"))
            .select_related("storyline", "round")
        )
        return School.objects.published().prefetch_related(
            *school_card_prefetches(),
            Prefetch(
                "companies",
                queryset=Company._default_manager.published().order_by("name"),
                to_attr="public_companies",
            ),
            Prefetch("hosted_sessions", queryset=sessions, to_attr="upcoming_sessions"),
            Prefetch(
                "news_items",
                queryset=NewsItem.objects.published().order_by("-published_at", "-pk")[:6],
                to_attr="latest_news",
            ),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(jsonld=json_ld(self.structured_data()), **kwargs)

    def structured_data(self) -> dict:
        school = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "School",
            "name": school.name,
            "url": absolute_url(school.get_absolute_url()),
            "description": school.summary or strip_tags(school.description)[:300],
            "address": {
                "@type": "PostalAddress",
                "streetAddress": school.street_address,
                "postalCode": school.postal_code,
                "addressLocality": school.town,
                "addressCountry": "NL",
            },
        }
        if school.website:
            data["sameAs"] = [school.website]
        if school.email:
            data["email"] = school.email
        if school.phone:
            data["telephone"] = school.phone
        if school.logo:
            data["logo"] = absolute_url(school.logo.url)
        if school.photo:
            data["image"] = absolute_url(school.photo.url)
        if school.next_open_days:
            data["event"] = [
                {
                    "@type": "Event",
                    "name": f"{open_day.title} {school.name}",
                    "startDate": timezone.localtime(open_day.starts_at).isoformat(),
                    "endDate": timezone.localtime(open_day.ends_at).isoformat(),
                    "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                    "eventStatus": "https://schema.org/EventScheduled",
                    "location": {"@type": "Place", "name": school.name, "address": data["address"]},
                }
                for open_day in school.next_open_days
            ]
        return data


class OpenDayListView(ListView):
    template_name = "schools/open_day_list.html"
    context_object_name = "open_days"

    def get_queryset(self):
        return (
            OpenDay.objects.filter(ends_at__gte=timezone.now())
            .filter(published_through("school"))
            .select_related("school")
            .order_by("starts_at", "school__name")
        )


class NewsListView(ListView):
    template_name = "schools/news_list.html"
    context_object_name = "news_items"
    paginate_by = 12

    def get_queryset(self):
        return public_news()


class NewsDetailView(DetailView):
    template_name = "schools/news_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return public_news()

    def get_context_data(self, **kwargs):
        item = self.object
        more = public_news().exclude(pk=item.pk)
        if item.school_id:
            more = more.filter(school_id=item.school_id)
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": item.title,
            "datePublished": timezone.localtime(item.published_at).isoformat(),
            "dateModified": timezone.localtime(item.updated_at).isoformat(),
            "url": absolute_url(item.get_absolute_url()),
            "publisher": {"@type": "Organization", "name": _("Techniek doet het")},
        }
        if item.summary:
            data["description"] = item.summary
        if item.image:
            data["image"] = absolute_url(item.image.url)
        if item.school:
            data["author"] = {"@type": "School", "name": item.school.name}
        return super().get_context_data(more_news=more[:3], jsonld=json_ld(data), **kwargs)


def _submission_token(group, request):
    return request.resolver_match.kwargs["token"]


# Counted per POST, refused ones included: a flood stays refused until the hour is over.
@ratelimit(
    key="ip",
    rate=lambda group, request: settings.NEWS_SUBMIT_RATE_PER_IP,
    method="POST",
    block=False,
)
@ratelimit(
    key=_submission_token,
    rate=lambda group, request: settings.NEWS_SUBMIT_RATE_PER_LINK,
    method="POST",
    block=False,
)
def submit_news(request, token):
    school = School.objects.filter(submission_token=token).first()
    if school is None:
        contact = settings.COORDINATOR_EMAILS[0] if settings.COORDINATOR_EMAILS else ""
        return render(
            request,
            "schools/news_submit_invalid.html",
            {"coordinator_email": contact},
            status=404,
        )
    if request.method == "POST":
        if getattr(request, "limited", False):
            return render(
                request, "schools/news_submit_limited.html", {"school": school}, status=429
            )
        form = NewsSubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            if not form.is_spam:
                data = form.cleaned_data
                submit_news_item(
                    school=school,
                    title=data["title"],
                    text=data["text"],
                    submitter_name=data["submitter_name"],
                    submitter_email=data["submitter_email"],
                    image=data["image"],
                    image_alt=data["image_alt"],
                    has_photo_consent=data["has_photo_consent"],
                )
            return redirect("schools:news-submit-thanks", token=token)
    else:
        form = NewsSubmissionForm()
    return render(request, "schools/news_submit.html", {"school": school, "form": form})


def submit_news_thanks(request, token):
    school = get_object_or_404(School, submission_token=token)
    return render(request, "schools/news_submit_thanks.html", {"school": school})


class SchoolCompareView(ListView):
    """The schools side by side for parents, criterion by criterion; ``?school=<slug>`` narrows it."""

    template_name = "schools/school_compare.html"
    context_object_name = "schools"

    def get_queryset(self):
        sessions = Session._default_manager.public().upcoming()
        schools = School.objects.published().prefetch_related(
            *school_card_prefetches(),
            Prefetch("hosted_sessions", queryset=sessions, to_attr="upcoming_sessions"),
            Prefetch(
                "companies",
                queryset=Company._default_manager.published().order_by("name"),
                to_attr="public_companies",
            ),
        )
        # Every school takes its turn in the first column, as in the school list.
        self.all_schools = rotate_for_day(
            list(schools.order_by("name", "pk")), timezone.localdate()
        )
        chosen = set(self.request.GET.getlist("school"))
        selection = [school for school in self.all_schools if school.slug in chosen]
        return selection or self.all_schools

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = {school.slug for school in context["schools"]}
        context["choices"] = [
            (school, school.slug in shown and len(shown) < len(self.all_schools))
            for school in self.all_schools
        ]
        context["is_selection"] = len(shown) < len(self.all_schools)
        return context
