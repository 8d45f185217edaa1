from enum import StrEnum

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import DetailView, ListView
from django_ratelimit.decorators import ratelimit

from campaign.content_version import kept_for_everyone, may_use_fragments
from campaign.context_processors import get_active_campaign, site_name
from campaign.kept import KeptObjectMixin, KeptPagesMixin
from campaign.models import campaign_reverse
from campaign.preview import PreviewMixin
from campaign.richtext import rich_text_to_plain
from campaign.seo import absolute_url, json_ld
from campaign.sites import url_prefix_of
from campaign.views import StorylineFilterMixin
from companies.models import Company
from events.forms import ChildSignupForm, GroupSignupForm, PartnerSignupForm
from events.models import Registration, Session
from events.services import RegistrationError, cancel_registration, register_for_session
from schools.models import School


def signup_rate(group, request) -> str:
    """Sign-ups per visitor address: enough for a teacher with a few classes or a family
    with several children, too little for a flood. Overridable in settings."""
    return settings.MASTERCLASS_SIGNUP_RATE_PER_IP


# The hidden "form" field of each sign-up form carries its kind; so does its prefix.
SIGNUP_FORMS = {form.kind: form for form in (ChildSignupForm, GroupSignupForm, PartnerSignupForm)}
# The template's name for each form in the context.
FORM_NAMES = {
    ChildSignupForm: "child_form",
    GroupSignupForm: "group_form",
    PartnerSignupForm: "partner_form",
}


SCHEMA_AVAILABILITY = {
    Session.State.NOT_YET: "https://schema.org/PreOrder",
    Session.State.OPEN: "https://schema.org/InStock",
    Session.State.FULL: "https://schema.org/SoldOut",
    Session.State.CLOSED: "https://schema.org/SoldOut",
    Session.State.PAST: "https://schema.org/SoldOut",
}


class CancelPage(StrEnum):
    """What the cancel page shows."""

    ASK = "ask"
    ALREADY = "already"
    TOO_LATE = "too_late"
    DONE = "done"
    ERROR = "error"


class SessionListView(StorylineFilterMixin, KeptPagesMixin, ListView):
    """The agenda. For the public, the storylines of the filter and each page of sessions
    come from the cache for the content version (every sign-up starts a new one, so the
    seats are never stale) and until the next change by the clock (a session that ends);
    the template keeps the page's body as the fragment "agenda" (config.fragments)."""

    kept_name = "agenda"
    template_name = "events/session_list.html"
    context_object_name = "sessions"
    paginate_by = 24

    def get_queryset(self):
        sessions = Session.objects.listed(get_active_campaign(self.request)).upcoming()
        if storyline := self.get_current_storyline():
            sessions = sessions.filter(storyline=storyline)
        return (
            sessions.select_related("host_school", "storyline", "round")
            .order_by("round__starts_on", "round__pk", "starts_at", "pk")
            .with_seats()
        )


class SessionDetailView(KeptObjectMixin, PreviewMixin, DetailView):
    """The session page; while sign-up is open it carries the two sign-up forms
    (not in a preview: nobody can sign up for a session that is not public).

    For the public, the session with its seats and companies is kept (KeptObjectMixin)
    for the content version (every sign-up, cancellation and promotion from the waiting
    list saves a Registration and so starts a new one) and until its next change by the
    clock (sign-up opening or closing, the start); the template keeps the parts around
    the sign-up forms, and each empty form's fields, as fragments."""

    kept_name = "session"

    template_name = "events/session_detail.html"
    context_object_name = "session"

    def get_base_queryset(self):
        # Each session at one address: in the URL space of its round's campaign.
        return (
            Session.objects.of_campaign(get_active_campaign(self.request))
            .select_related("host_school", "storyline", "round")
            .prefetch_related(
                Prefetch(
                    "companies",
                    queryset=Company.objects.published().order_by("name"),
                    to_attr="public_companies",
                )
            )
            .with_seats()
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_page()

    @method_decorator(
        ratelimit(key="ip", rate=signup_rate, method="POST", block=False, group="events:signup")
    )
    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            # Refused before anything is read or stored.
            return render(request, "events/signup_limited.html", status=429)
        self.object = self.get_object()
        form_class = SIGNUP_FORMS.get(request.POST.get("form", ""))
        if form_class not in self.offered_forms() or not self.signup_is_possible():
            return self.render_page()
        form = self.make_form(form_class, data=request.POST)
        if form.is_spam:
            # Look like success to a bot; store nothing.
            return self.redirect_done(Registration.Status.CONFIRMED, form_class.kind)
        if form.is_valid():
            try:
                registration = register_for_session(session=self.object, signup=form.signup())
            except RegistrationError as error:
                form.add_error(None, str(error))
            else:
                return self.redirect_done(
                    registration.status, registration.kind, registration.pupil_count
                )
        # The state may have changed meanwhile (full, closed): show the page as it is now.
        self.object = self.get_object()
        return self.render_page(bound_form=form)

    def filter_public(self, queryset):
        return queryset.public()

    def signup_is_possible(self) -> bool:
        return self.preview is None and self.object.registration_state() in (
            Session.State.OPEN,
            Session.State.FULL,
        )

    def offered_forms(self) -> list:
        """The sign-up forms for this session's audience: pupils', partners' or both."""
        forms = []
        if self.object.has_pupils:
            forms += [ChildSignupForm, GroupSignupForm]
        if self.object.has_partners:
            forms.append(PartnerSignupForm)
        return forms

    def make_form(self, form_class, data=None):
        kwargs = {"data": data, "prefix": form_class.kind}
        if form_class is GroupSignupForm:
            kwargs["max_per_booking"] = self.object.max_per_booking
        if form_class is PartnerSignupForm:
            kwargs.update(self.partner_organisations())
        return form_class(**kwargs)

    def partner_organisations(self) -> dict:
        """The partner schools and companies to choose from. Kept for everyone on a public
        GET; a form being sent is checked against the rows as they are now."""

        def read():
            return {
                "schools": list(School.objects.published().only("pk", "name").order_by("name")),
                "companies": list(Company.objects.published().only("pk", "name").order_by("name")),
            }

        if may_use_fragments(self.request):
            return kept_for_everyone("partner-organisations", read)
        return read()

    def redirect_done(
        self, status: Registration.Status, kind: Registration.Kind, pupil_count: int = 1
    ):
        url = campaign_reverse(
            "events:session-signup-done",
            url_prefix_of(self.object.round),
            {"slug": self.object.slug},
        )
        query = {"status": status, "soort": kind}
        if kind == Registration.Kind.GROUP:
            # The class size, so the done page can say why a class waits (not personal data).
            query["aantal"] = pupil_count
        return HttpResponseRedirect(f"{url}?{urlencode(query)}")

    def render_page(self, bound_form=None):
        pupil_state = self.object.registration_state(partners=False)
        partner_state = self.object.registration_state(partners=True)
        offered = [
            kind_state
            for kind_state, is_offered in (
                (pupil_state, self.object.has_pupils),
                (partner_state, self.object.has_partners),
            )
            if is_offered
        ]
        # Full only when every kind of seat the session offers is taken.
        state = min(offered, key=lambda kind_state: kind_state != Session.State.OPEN)
        context = {
            "registration_state": state,
            "pupil_state": pupil_state,
            "partner_state": partner_state,
            "jsonld": json_ld(self.structured_data(state)),
            "retention_days": settings.REGISTRATION_RETENTION_DAYS,
            "child_form": None,
            "group_form": None,
            "partner_form": None,
            "active_form": "",
            "has_signup_forms": False,
        }
        has_forms = self.signup_is_possible()
        if has_forms:
            for form_class in self.offered_forms():
                context[FORM_NAMES[form_class]] = self.make_form(form_class)
            if bound_form is not None:
                context[FORM_NAMES[type(bound_form)]] = bound_form
                context["active_form"] = FORM_NAMES[type(bound_form)]
            context["has_signup_forms"] = True
        response = self.render_to_response(self.get_context_data(**context))
        if has_forms:
            # The forms carry this visitor's CSRF token: no shared caches.
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def structured_data(self, state: Session.State) -> dict:
        session = self.object
        school = session.host_school
        url = absolute_url(session.get_absolute_url())
        if session.location:
            place = {"@type": "Place", "name": session.location, "address": session.location}
        else:
            place = {"@type": "Place", "name": school.name, "address": school.schema_address()}
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": session.title,
            "description": session.summary
            or rich_text_to_plain(session.description, one_line=True)[:300],
            "startDate": timezone.localtime(session.starts_at).isoformat(),
            "endDate": timezone.localtime(session.ends_at).isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": place,
            "url": url,
            "organizer": {
                "@type": "Organization",
                "name": site_name(get_active_campaign(self.request)),
                "url": absolute_url(campaign_reverse("home", url_prefix_of(session.round))),
            },
            "audience": {"@type": "PeopleAudience", "audienceType": session.audience},
            "maximumAttendeeCapacity": session.seats + session.partner_seats,
            "remainingAttendeeCapacity": session.seats_left + session.partner_seats_left,
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


@never_cache
@require_safe
def signup_done(request, slug):
    """After a sign-up: placed or on the waiting list, and what happens next. No personal data."""
    sessions = Session.objects.listed(get_active_campaign(request))
    session = get_object_or_404(sessions.select_related("host_school", "round"), slug=slug)
    is_waitlisted = request.GET.get("status") == Registration.Status.WAITLISTED
    is_group = request.GET.get("soort") == Registration.Kind.GROUP
    is_partner = request.GET.get("soort") == Registration.Kind.PARTNER
    context = {
        "session": session,
        "is_waitlisted": is_waitlisted,
        "is_group": is_group,
        "is_partner": is_partner,
    }
    if is_waitlisted:
        # Say what is true: "3 seats left, your class of 12 does not fit", not "full".
        pupils = request.GET.get("aantal", "")
        context["pupil_count"] = int(pupils) if is_group and pupils.isdigit() else 1
        context["seats_left"] = session.free_seats(partners=is_partner)
    response = render(request, "events/signup_done.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel(request, token):
    """The secret link from the e-mail: GET asks for confirmation, POST cancels (once)."""
    registration = (
        Registration.objects.select_related("session", "session__host_school")
        .filter(cancel_token=token)
        .first()
    )
    if registration is None:
        response = render(request, "events/registration_cancel_unknown.html", status=404)
    else:
        session = registration.session
        context = {"registration": registration, "session": session, "state": CancelPage.ASK}
        if registration.status == Registration.Status.CANCELLED:
            context["state"] = CancelPage.ALREADY
        elif session.starts_at <= timezone.now():
            context["state"] = CancelPage.TOO_LATE
        elif request.method == "POST":
            try:
                cancel_registration(registration=registration)
            except RegistrationError as error:
                context.update(state=CancelPage.ERROR, error=str(error))
            else:
                context["state"] = CancelPage.DONE
        response = render(request, "events/registration_cancel.html", context)
    response["X-Robots-Tag"] = "noindex"
    # The token is in the address: never pass it on to another site. ("no-referrer"
    # would make browsers send "Origin: null" with the form, which CSRF rightly refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response
