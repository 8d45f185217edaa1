from django.views.generic import DetailView, ListView

from campaign.context_processors import get_active_campaign
from campaign.kept import KeptObjectMixin, KeptPagesMixin
from campaign.preview import PreviewMixin
from campaign.sites import DETAIL_LINKS, DETAIL_SESSIONS, cut_sessions, split_by_campaign
from campaign.views import StorylineFilterMixin
from companies.models import Company


class CompanyListView(StorylineFilterMixin, KeptPagesMixin, ListView):
    kept_name = "company-list"
    template_name = "companies/company_list.html"
    context_object_name = "companies"
    paginate_by = 24

    def get_queryset(self):
        companies = Company.objects.published().for_card()
        if storyline := self.get_current_storyline():
            companies = companies.filter(storylines=storyline)
        return companies.order_by("name", "pk")


class CompanyDetailView(KeptObjectMixin, PreviewMixin, DetailView):
    kept_name = "company"
    template_name = "companies/company_detail.html"
    context_object_name = "company"

    def get_base_queryset(self):
        return Company.objects.for_card()

    def read_object(self, company):
        schools = list(company.schools.published().order_by("name")[: DETAIL_LINKS + 1])
        company.public_schools = schools[:DETAIL_LINKS]
        company.more_schools = len(schools) > DETAIL_LINKS
        # Sessions live in events, above this app: reached through the reverse manager.
        company.upcoming_sessions = list(
            company.sessions.public().upcoming().select_related("host_school", "storyline", "round")
        )
        company.public_storylines, company.upcoming_sessions, company.other_campaigns = (
            split_by_campaign(
                get_active_campaign(self.request),
                storylines=company.public_storylines,
                sessions=company.upcoming_sessions,
                session_campaign_id=lambda session: session.round.campaign_id,
            )
        )
        # Bounded, however busy the company: the rest of the sessions is in the agenda.
        company.more_sessions = len(company.upcoming_sessions) > DETAIL_SESSIONS
        company.upcoming_sessions = company.upcoming_sessions[:DETAIL_SESSIONS]
        cut_sessions(company.other_campaigns)
        return company
