from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView
from django_ratelimit.decorators import ratelimit

from campaign.context_processors import current_site_name, get_active_campaign
from campaign.kept import KeptObjectMixin, KeptPagesMixin, kept_rows
from campaign.lazy import LazyRows
from campaign.preview import PreviewMixin
from campaign.publishing import rotate_for_day
from campaign.richtext import rich_text_to_plain
from campaign.seo import absolute_url, json_ld
from campaign.sites import DETAIL_LINKS, DETAIL_SESSIONS, cut_sessions, split_by_campaign
from schools.forms import NewsSubmissionForm
from schools.models import NewsItem, OpenDay, School
from schools.services import submit_news_item

# The ?profiel= parameter in Dutch; the stored values stay English identifiers.
PROFILE_PARAMS = {
    "technisch": School.Profile.TECHNICAL,
    "breed": School.Profile.BROAD,
    "groen": School.Profile.GREEN,
}
PARAM_FOR_PROFILE = {profile: param for param, profile in PROFILE_PARAMS.items()}


class SchoolListView(KeptPagesMixin, ListView):
    kept_name = "school-list"
    template_name = "schools/school_list.html"
    context_object_name = "schools"
    paginate_by = 24

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

    def kept_vary(self):
        # The day's turn needs no part: what is kept ends at midnight.
        return [self.get_profile()]

    def get_queryset(self):
        schools = School.objects.published().for_card()
        if profile := self.get_profile():
            schools = schools.filter(profile=profile)
        # A stable base order (by name, then pk) so that the daily shift is deterministic.
        # Read on first use: not at all when the count and the page are kept.
        return LazyRows(
            lambda: rotate_for_day(list(schools.order_by("name", "pk")), timezone.localdate())
        )

    def get_context_data(self, **kwargs):
        profiles = [(PARAM_FOR_PROFILE[value], label) for value, label in School.Profile.choices]
        current = self.get_profile()
        return super().get_context_data(
            profiles=profiles,
            current_profile=PARAM_FOR_PROFILE.get(current, ""),
            **kwargs,
        )


# A school's page shows its first few open days; the open-day list has them all.
SCHOOL_OPEN_DAYS = 4


class SchoolDetailView(KeptObjectMixin, PreviewMixin, DetailView):
    kept_name = "school"
    template_name = "schools/school_detail.html"
    context_object_name = "school"

    def get_base_queryset(self):
        return School.objects.for_card()

    def read_object(self, school):
        # Companies and sessions live in apps above this one: reached through reverse managers.
        companies = list(school.companies.published().order_by("name")[: DETAIL_LINKS + 1])
        school.public_companies = companies[:DETAIL_LINKS]
        school.more_companies = len(companies) > DETAIL_LINKS
        # In a preview, the sessions and news show as they will once the school is public.
        previewing = self.preview is not None
        school.upcoming_sessions = list(
            school.hosted_sessions.public(previewing="host_school" if previewing else "")
            .upcoming()
            .select_related("storyline", "round")
        )
        school.latest_news = list(
            school.news_items.public(previewing="school" if previewing else "")[:6]
        )
        school.public_storylines, school.upcoming_sessions, school.other_campaigns = (
            split_by_campaign(
                get_active_campaign(self.request),
                storylines=school.public_storylines,
                sessions=school.upcoming_sessions,
                session_campaign_id=lambda session: session.round.campaign_id,
            )
        )
        # Bounded, however busy the school: the rest is in the agenda and the open-day list.
        school.more_sessions = len(school.upcoming_sessions) > DETAIL_SESSIONS
        school.upcoming_sessions = school.upcoming_sessions[:DETAIL_SESSIONS]
        cut_sessions(school.other_campaigns)
        school.more_open_days = len(school.next_open_days) > SCHOOL_OPEN_DAYS
        school.next_open_days = school.next_open_days[:SCHOOL_OPEN_DAYS]
        return school

    def get_context_data(self, **kwargs):
        return super().get_context_data(jsonld=json_ld(self.structured_data()), **kwargs)

    def structured_data(self) -> dict:
        school = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "School",
            "name": school.name,
            "url": absolute_url(school.get_absolute_url()),
            "description": school.summary
            or rich_text_to_plain(school.description, one_line=True)[:300],
            "address": school.schema_address(),
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
        return kept_rows(
            self.request,
            "open-days",
            lambda: (
                OpenDay.objects.public()
                .upcoming()
                .select_related("school")
                .order_by("starts_at", "school__name")
            ),
        )


class NewsListView(KeptPagesMixin, ListView):
    kept_name = "news-list"
    template_name = "schools/news_list.html"
    context_object_name = "news_items"
    paginate_by = 12

    def get_queryset(self):
        return NewsItem.objects.public()


class NewsDetailView(KeptObjectMixin, PreviewMixin, DetailView):
    kept_name = "news-item"
    template_name = "schools/news_detail.html"
    context_object_name = "item"

    def get_base_queryset(self):
        return NewsItem.objects.for_listing()

    def filter_public(self, queryset):
        return queryset.public()

    def read_object(self, item):
        more = NewsItem.objects.public().exclude(pk=item.pk)
        if item.school_id:
            more = more.filter(school_id=item.school_id)
        item.more_news = list(more[:3])
        return item

    def get_context_data(self, **kwargs):
        item = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": item.title,
            "datePublished": timezone.localtime(item.published_at).isoformat(),
            "dateModified": timezone.localtime(item.updated_at).isoformat(),
            "url": absolute_url(item.get_absolute_url()),
            "publisher": {"@type": "Organization", "name": current_site_name()},
        }
        if item.summary:
            data["description"] = item.summary
        if item.image:
            data["image"] = absolute_url(item.image.url)
        if item.school:
            data["author"] = {"@type": "School", "name": item.school.name}
        return super().get_context_data(more_news=item.more_news, jsonld=json_ld(data), **kwargs)


def _submission_token(group, request):
    return request.resolver_match.kwargs["token"]


# Counted per POST, refused ones included: a flood stays refused until the hour is over.
@never_cache  # a private link: no cache may keep the page or what was typed
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
        return render(request, "schools/news_submit_invalid.html", status=404)
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
                )
            return redirect("schools:news-submit-thanks", token=token)
    else:
        form = NewsSubmissionForm()
    return render(request, "schools/news_submit.html", {"school": school, "form": form})


@never_cache
def submit_news_thanks(request, token):
    school = get_object_or_404(School, submission_token=token)
    return render(request, "schools/news_submit_thanks.html", {"school": school})
