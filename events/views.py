from django.db.models import (
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.html import strip_tags
from django.views.generic import DetailView, ListView

from campaign.models import Storyline
from companies.models import Company
from events.models import Registration, Session
from schools.views import absolute_url, json_ld, published_through


def public_sessions():
    """Published sessions whose round, host school and storyline are public too."""
    return Session.objects.published().filter(
        published_through("round"), published_through("host_school"), published_through("storyline")
    )


def with_seats(sessions):
    """Annotate ``seats_taken`` (pupils in confirmed registrations) and ``seats_left``.

    A subquery rather than a join, so that other joins and prefetches cannot multiply the sum.
    """
    taken = (
        Registration.objects.filter(session=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("session")
        .annotate(total=Sum("pupil_count"))
        .values("total")
    )
    return sessions.annotate(
        seats_taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))
    ).annotate(
        seats_left=Greatest(
            ExpressionWrapper(F("seats") - F("seats_taken"), output_field=IntegerField()),
            Value(0),
            output_field=IntegerField(),
        )
    )


def registration_state(session, now=None) -> str:
    """One of: past, not_yet, closed, full, open. Needs the ``seats_left`` annotation."""
    now = now or timezone.now()
    if session.ends_at < now:
        return "past"
    if now < session.registration_opens_at:
        return "not_yet"
    if now >= session.registration_closes_at:
        return "closed"
    if session.seats_left <= 0:
        return "full"
    return "open"


SCHEMA_AVAILABILITY = {
    "not_yet": "https://schema.org/PreOrder",
    "open": "https://schema.org/InStock",
    "full": "https://schema.org/SoldOut",
    "closed": "https://schema.org/SoldOut",
    "past": "https://schema.org/SoldOut",
}


class SessionListView(ListView):
    template_name = "events/session_list.html"
    context_object_name = "sessions"

    def get_storylines(self):
        if not hasattr(self, "_storylines"):
            self._storylines = list(Storyline.objects.published())
        return self._storylines

    def get_current_storyline(self):
        slug = self.request.GET.get("verhaallijn", "")
        return next((s for s in self.get_storylines() if s.slug == slug), None)

    def get_queryset(self):
        sessions = public_sessions().upcoming()
        if storyline := self.get_current_storyline():
            sessions = sessions.filter(storyline=storyline)
        return with_seats(
            sessions.select_related("host_school", "storyline", "round").order_by(
                "round__starts_on", "round__pk", "starts_at", "pk"
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            storylines=self.get_storylines(),
            current_storyline=self.get_current_storyline(),
            **kwargs,
        )


class SessionDetailView(DetailView):
    template_name = "events/session_detail.html"
    context_object_name = "session"

    def get_queryset(self):
        return with_seats(
            public_sessions()
            .select_related("host_school", "storyline", "round")
            .prefetch_related(
                Prefetch(
                    "companies",
                    queryset=Company.objects.published().order_by("name"),
                    to_attr="public_companies",
                )
            )
        )

    def get_context_data(self, **kwargs):
        state = registration_state(self.object)
        return super().get_context_data(
            registration_state=state, jsonld=json_ld(self.structured_data(state)), **kwargs
        )

    def structured_data(self, state: str) -> dict:
        session = self.object
        school = session.host_school
        url = absolute_url(session.get_absolute_url())
        if session.location:
            place = {"@type": "Place", "name": session.location, "address": session.location}
        else:
            place = {
                "@type": "Place",
                "name": school.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": school.street_address,
                    "postalCode": school.postal_code,
                    "addressLocality": school.town,
                    "addressCountry": "NL",
                },
            }
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": session.title,
            "description": session.summary or strip_tags(session.description)[:300],
            "startDate": timezone.localtime(session.starts_at).isoformat(),
            "endDate": timezone.localtime(session.ends_at).isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": place,
            "url": url,
            "organizer": {
                "@type": "Organization",
                "name": "Techniek doet het",
                "url": absolute_url("/"),
            },
            "audience": {"@type": "PeopleAudience", "audienceType": session.audience},
            "maximumAttendeeCapacity": session.seats,
            "remainingAttendeeCapacity": session.seats_left,
            "offers": {
                "@type": "Offer",
                "url": url,
                "availability": SCHEMA_AVAILABILITY[state],
                "validFrom": timezone.localtime(session.registration_opens_at).isoformat(),
            },
        }
        if session.public_companies:
            data["sponsor"] = [
                {"@type": "Organization", "name": company.name}
                for company in session.public_companies
            ]
        return data
