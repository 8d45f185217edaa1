from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from campaign.models import Storyline
from campaign.publishing import published_through
from campaign.views import StorylineFilterMixin
from companies.models import Company, Offer
from schools.models import School

# Sessions live in events, above this app: reach them through the reverse relation.
Session = Company._meta.get_field("sessions").related_model


def company_card_prefetches() -> list[Prefetch]:
    """What ``companies/includes/company_card.html`` shows besides the company's own fields."""
    return [
        Prefetch("storylines", queryset=Storyline.objects.published(), to_attr="public_storylines"),
        Prefetch("offers", queryset=Offer.objects.order_by("kind"), to_attr="offer_list"),
    ]


class CompanyListView(StorylineFilterMixin, ListView):
    template_name = "companies/company_list.html"
    context_object_name = "companies"

    def get_queryset(self):
        companies = Company.objects.published().prefetch_related(*company_card_prefetches())
        if storyline := self.get_current_storyline():
            companies = companies.filter(storylines=storyline)
        return companies.order_by("name", "pk")


class CompanyDetailView(DetailView):
    template_name = "companies/company_detail.html"
    context_object_name = "company"

    def get_queryset(self):
        sessions = (
            Session._default_manager.published()
            .upcoming()
            .filter(
                published_through("round"),
                published_through("host_school"),
                published_through("storyline"),
            )
            .select_related("host_school", "storyline", "round")
        )
        return Company.objects.published().prefetch_related(
            *company_card_prefetches(),
            Prefetch(
                "schools",
                queryset=School.objects.published().order_by("name"),
                to_attr="public_schools",
            ),
            Prefetch("sessions", queryset=sessions, to_attr="upcoming_sessions"),
        )
