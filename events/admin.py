import csv
import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaign.admin import PublishableAdmin, make_social_drafts
from campaign.history import ActingUserMixin
from campaign.shareimage_admin import ShareImagesAdminMixin
from events.models import MasterclassRound, Registration, Session, SessionFigures
from events.planning import PlanningError, copy_round, season_name, unique_slug
from events.services import (
    RegistrationError,
    SignUp,
    cancel_registration,
    change_registration_status,
    check_signup,
    fill_free_seats,
    register_for_session,
)
from schools.models import School

# Confirmed first, then the waiting list in its order, cancelled last.
STATUS_ORDER = Case(
    When(status=Registration.Status.CONFIRMED, then=Value(0)),
    When(status=Registration.Status.WAITLISTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
SUGGESTED_HOSTS = 3


def can_see_registrations(request) -> bool:
    return request.user.has_perm("events.view_registration")


def fair_host_order(*, before=None, masterclass_round=None):
    """Partner schools, fewest sessions hosted in earlier rounds first, then longest ago.

    ``before``: only rounds that started before this date count as earlier.
    """
    before = before or timezone.localdate()
    earlier = Q(hosted_sessions__round__starts_on__lt=before)
    schools = School.objects.annotate(
        hosted_before=Count("hosted_sessions", filter=earlier),
        last_hosted_at=Max("hosted_sessions__starts_at", filter=earlier),
        hosting_now=Count(
            "hosted_sessions",
            filter=Q(hosted_sessions__round=masterclass_round)
            if masterclass_round
            else Q(pk__in=[]),
        ),
    )
    return schools.order_by("hosted_before", F("last_hosted_at").asc(nulls_first=True), "name")


class SessionInlineForm(forms.ModelForm):
    """A session planned from the round's page; without JavaScript the slug may stay empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leeg: gemaakt uit de titel en de ronde.")

    def save(self, commit=True):
        # The round is known here (the formset has just set it), not yet in clean().
        session = self.instance
        if not session.slug:
            session.slug = unique_slug(
                Session,
                slugify(f"{session.title} {session.round.name}"),
                max_length=Session._meta.get_field("slug").max_length,
            )
        return super().save(commit=commit)


class SessionInline(admin.StackedInline):
    """Everything a coordinator needs to plan a round in one go; the long description
    (rich text) stays on the session's own page, behind "wijzigen"."""

    model = Session
    form = SessionInlineForm
    fieldsets = [
        (
            None,
            {"fields": [("title", "slug"), ("host_school", "storyline"), "companies", "summary"]},
        ),
        (_("Waar en wanneer"), {"fields": [("starts_at", "ends_at"), ("location", "audience")]}),
        (
            _("Aanmelden"),
            {
                "fields": [
                    ("seats", "max_per_booking"),
                    ("registration_opens_at", "registration_closes_at"),
                    "status",
                ]
            },
        ),
    ]
    autocomplete_fields = ["host_school", "storyline", "companies"]
    # No slug from the title as you type: the same title in last round's session would
    # clash; an empty slug is made from the title and the round instead.
    show_change_link = True
    extra = 0

    class Media:
        css = {"all": ["events/round-planning.css"]}


class CopyRoundForm(forms.Form):
    source = forms.ModelChoiceField(
        MasterclassRound.objects.order_by("-starts_on"), label=_("Ronde om te kopiëren")
    )
    weeks = forms.IntegerField(
        label=_("Hoeveel weken later"),
        min_value=1,
        max_value=104,
        required=False,
        help_text=_("Masterclasses blijven op dezelfde weekdag en hetzelfde tijdstip."),
    )
    starts_on = forms.DateField(
        label=_("Of: nieuwe eerste dag"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("Alles schuift evenveel dagen op als de eerste dag."),
    )
    name = forms.CharField(
        label=_("Naam van de nieuwe ronde"),
        max_length=MasterclassRound._meta.get_field("name").max_length,
        required=False,
        help_text=_("Leeg: het seizoen, bijvoorbeeld “Najaar 2027”."),
    )

    def clean(self):
        cleaned = super().clean()
        source, weeks, starts_on = (cleaned.get(key) for key in ("source", "weeks", "starts_on"))
        if source is None or self.errors:
            return cleaned
        if (weeks is None) == (starts_on is None):
            raise forms.ValidationError(
                _("Vul het aantal weken in óf een nieuwe eerste dag (niet allebei).")
            )
        days = weeks * 7 if weeks else (starts_on - source.starts_on).days
        if days <= 0:
            self.add_error(
                "starts_on",
                _("De nieuwe eerste dag moet na %(date)s liggen.")
                % {"date": date_format(source.starts_on, "j F Y")},
            )
            return cleaned
        cleaned["days"] = days
        if not cleaned.get("name"):
            middle = source.starts_on + (source.ends_on - source.starts_on) / 2
            cleaned["name"] = season_name(middle + dt.timedelta(days=days))
        return cleaned


@admin.register(MasterclassRound)
class MasterclassRoundAdmin(PublishableAdmin):
    list_display = [
        "name",
        "campaign",
        "starts_on",
        "ends_on",
        "session_count",
        "status",
        "published_at",
    ]
    list_filter = ["status", "campaign"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]
    prepopulated_fields = {"slug": ["name"]}
    # Explicit: Meta.ordering is not applied to the annotated (GROUP BY) queryset.
    ordering = ["-starts_on", "pk"]
    inlines = [SessionInline]
    actions = [*PublishableAdmin.actions, "copy_round", make_social_drafts]
    # Restoring a round must not delete the sessions added since (with their sign-ups).
    history_unfollowed = ("sessions",)
    change_list_template = "events/admin/masterclassround_change_list.html"
    change_form_template = "events/admin/masterclassround_change_form.html"
    readonly_fields = [*PublishableAdmin.readonly_fields, "host_suggestions"]
    fields = [
        "campaign",
        "name",
        "slug",
        ("starts_on", "ends_on"),
        "description",
        "host_suggestions",
        ("status", "published_at", "unpublish_at"),
        ("created_at", "updated_at"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_total=Count("sessions"))

    def get_urls(self):
        return [
            path(
                "gastscholen/",
                self.admin_site.admin_view(self.hosting_view),
                name="events_masterclassround_hosting",
            ),
            path(
                "kopieren/",
                self.admin_site.admin_view(self.copy_view),
                name="events_masterclassround_copy",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("masterclasses"), ordering="session_total")
    def session_count(self, obj):
        return obj.session_total

    @admin.display(description=_("voorgestelde gastscholen"))
    def host_suggestions(self, obj):
        url = reverse("admin:events_masterclassround_hosting")
        if obj is None or obj.pk is None:
            schools = list(fair_host_order()[:SUGGESTED_HOSTS])
            link = url
        else:
            schools = [
                school
                for school in fair_host_order(before=obj.starts_on, masterclass_round=obj)
                if not school.hosting_now
            ][:SUGGESTED_HOSTS]
            link = f"{url}?ronde={obj.pk}"
        if not schools:
            names = _("Alle scholen hebben in deze ronde al een masterclass.")
        else:
            names = format_html_join(
                ", ",
                "{} ({})",
                (
                    (
                        school.name,
                        ngettext("%(n)d keer gehost", "%(n)d keer gehost", school.hosted_before)
                        % {"n": school.hosted_before},
                    )
                    for school in schools
                ),
            )
        return format_html(
            '{}<br><a href="{}">{}</a>', names, link, _("Alle scholen op volgorde van beurt")
        )

    @admin.action(description=_("Kopieer naar een nieuwe ronde"), permissions=["add"])
    def copy_round(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Kies precies één ronde om te kopiëren."), messages.WARNING
            )
            return None
        url = reverse("admin:events_masterclassround_copy")
        return HttpResponseRedirect(f"{url}?ronde={queryset.get().pk}")

    def copy_view(self, request):
        """A new draft round with the sessions of a chosen round, some weeks later."""
        if not (self.has_add_permission(request) and request.user.has_perm("events.add_session")):
            raise PermissionDenied
        if request.method == "POST":
            form = CopyRoundForm(request.POST)
            if form.is_valid():
                try:
                    new_round = copy_round(
                        source=form.cleaned_data["source"],
                        name=form.cleaned_data["name"],
                        days=form.cleaned_data["days"],
                    )
                except PlanningError as error:
                    form.add_error(None, str(error))
                else:
                    self.log_addition(request, new_round, [{"added": {}}])
                    count = new_round.sessions.count()
                    self.message_user(
                        request,
                        ngettext(
                            "Nieuwe ronde “%(name)s” gemaakt met %(count)d masterclass, als "
                            "concept. Controleer de gegevens en publiceer als alles klopt.",
                            "Nieuwe ronde “%(name)s” gemaakt met %(count)d masterclasses, als "
                            "concept. Controleer de gegevens en publiceer als alles klopt.",
                            count,
                        )
                        % {"name": new_round.name, "count": count},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:events_masterclassround_change", args=[new_round.pk])
                    )
        else:
            source = MasterclassRound.objects.order_by("-starts_on").first()
            if (round_pk := request.GET.get("ronde", "")).isdigit():
                source = MasterclassRound.objects.filter(pk=round_pk).first() or source
            form = CopyRoundForm(initial={"source": source, "weeks": 26})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ronde kopiëren"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "events/admin/copy_round.html", context)

    def hosting_view(self, request):
        """Which school's turn is it to host? Fewest sessions in earlier rounds first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        masterclass_round = None
        if round_pk := request.GET.get("ronde", ""):
            if round_pk.isdigit():
                masterclass_round = MasterclassRound.objects.filter(pk=round_pk).first()
        before = masterclass_round.starts_on if masterclass_round else timezone.localdate()
        schools = list(fair_host_order(before=before, masterclass_round=masterclass_round))
        suggested = 0
        for school in schools:
            school.is_suggested = not school.hosting_now and suggested < SUGGESTED_HOSTS
            suggested += school.is_suggested
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Gastscholen: wie is aan de beurt?"),
            "schools": schools,
            "masterclass_round": masterclass_round,
            "rounds": MasterclassRound.objects.order_by("-starts_on"),
            "before": before,
        }
        return TemplateResponse(request, "events/admin/hosting.html", context)


class RegistrationInline(admin.TabularInline):
    """Who is coming, and check-in on the day: only "aanwezig" can be changed here, so
    seats and the waiting list stay the services' job."""

    model = Registration
    fields = [
        "status",
        "kind",
        "child_first_name",
        "child_group",
        "pupil_count",
        "primary_school",
        "contact_name",
        "created_at",
        "attended",
    ]
    readonly_fields = fields[:-1]
    show_change_link = True
    can_delete = False
    extra = 0
    max_num = 0
    classes = ["registrations-inline"]
    verbose_name_plural = _("aanmeldingen (bevestigd, wachtlijst op volgorde, geannuleerd)")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by(STATUS_ORDER, "created_at", "pk")

    def has_add_permission(self, request, obj=None):
        return False


def csv_cell(value) -> str:
    """A cell that a spreadsheet shows as text: no formulas from what visitors typed."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def registrations_csv(sessions) -> HttpResponse:
    """The registrations of the given sessions as CSV for Excel (semicolons, UTF-8 BOM)."""
    sessions = list(sessions)
    name = slugify(sessions[0].title) if len(sessions) == 1 else "masterclasses"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aanmeldingen-{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    attended = {True: _("ja"), False: _("nee"), None: ""}
    writer.writerow(
        [
            _("masterclass"),
            _("datum"),
            _("status"),
            _("soort"),
            _("aantal leerlingen"),
            _("voornaam kind"),
            _("groep of leeftijd"),
            _("basisschool"),
            _("naam ouder of leerkracht"),
            _("e-mail"),
            _("aangemeld op"),
            _("aanwezig"),
        ]
    )
    registrations = (
        Registration.objects.filter(session__in=sessions)
        .select_related("session")
        .order_by("session__starts_at", "session__pk", STATUS_ORDER, "created_at", "pk")
    )
    for registration in registrations:
        writer.writerow(
            csv_cell(value)
            for value in [
                registration.session.title,
                date_format(timezone.localtime(registration.session.starts_at), "d-m-Y H:i"),
                registration.get_status_display(),
                registration.get_kind_display(),
                registration.pupil_count,
                registration.child_first_name,
                registration.child_group,
                registration.primary_school,
                registration.contact_name,
                registration.contact_email,
                date_format(timezone.localtime(registration.created_at), "d-m-Y H:i"),
                attended[registration.attended],
            ]
        )
    return response


@admin.register(Session)
class SessionAdmin(ShareImagesAdminMixin, PublishableAdmin):
    # Round and storyline are filters: the columns are for who is coming.
    list_display = [
        "title",
        "host_school",
        "starts_at",
        "confirmed_pupils",
        "waitlist",
        "status",
    ]
    list_filter = ["round", "status", "host_school", "storyline"]
    search_fields = ["title", "slug", "host_school__name", "storyline__title", "round__name"]
    list_select_related = ["round", "host_school", "storyline"]
    autocomplete_fields = ["round", "host_school", "storyline", "companies"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]
    actions = [*PublishableAdmin.actions, "export_registrations", make_social_drafts]
    # Sign-ups hold a child's data: the session's history names their status changes only.
    history_private_models = (Registration,)
    history_unfollowed = ("registrations",)
    readonly_fields = [*PublishableAdmin.readonly_fields, "occupancy", "figures_summary"]
    fieldsets = [
        (None, {"fields": ["round", "title", "slug", "summary", "description"]}),
        (
            _("Waar en wanneer"),
            {"fields": ["host_school", ("starts_at", "ends_at"), "location"]},
        ),
        (_("Inhoud"), {"fields": ["storyline", "companies", "audience"]}),
        (
            _("Aanmelden"),
            {
                "fields": [
                    ("seats", "max_per_booking"),
                    ("registration_opens_at", "registration_closes_at"),
                ]
            },
        ),
        (
            _("Publicatie"),
            {"fields": ["status", ("published_at", "unpublish_at"), ("created_at", "updated_at")]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # On the change page, who is coming comes first: what coordinators look for.
        return [(_("Bezetting"), {"fields": ["occupancy", "figures_summary"]}), *fieldsets]

    def get_queryset(self, request):
        return super().get_queryset(request).with_seats()

    def get_urls(self):
        return [
            path(
                "<int:pk>/aanmeldingen.csv",
                self.admin_site.admin_view(self.export_view),
                name="events_session_export",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("bezet (leerlingen)"), ordering="seats_taken")
    def confirmed_pupils(self, obj):
        return f"{obj.seats_taken} / {obj.seats} ({self.fill_rate(obj)})"

    @admin.display(description=_("bezetting"))
    def fill_rate(self, obj):
        if not obj.seats:
            return "–"
        return f"{round(100 * obj.seats_taken / obj.seats)}%"

    @admin.display(description=_("wachtlijst (leerlingen)"), ordering="waitlisted_pupils")
    def waitlist(self, obj):
        return obj.waitlisted_pupils

    @admin.display(description=_("bezetting en wachtlijst"))
    def occupancy(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        summary = _(
            "%(taken)s van de %(seats)s plaatsen bezet (%(rate)s); wachtlijst: "
            "%(waiting)s aanmeldingen, %(waiting_pupils)s leerlingen."
        ) % {
            "taken": obj.seats_taken,
            "seats": obj.seats,
            "rate": self.fill_rate(obj),
            "waiting": obj.waitlisted_bookings,
            "waiting_pupils": obj.waitlisted_pupils,
        }
        registrations = reverse("admin:events_registration_changelist")
        return format_html(
            '<strong>{}</strong><br><a href="{}">{}</a> · <a href="{}?session__id__exact={}">{}</a>',
            summary,
            reverse("admin:events_session_export", args=[obj.pk]),
            _("Aanmeldingen downloaden (CSV)"),
            registrations,
            obj.pk,
            _("Aanmeldingen beheren"),
        )

    @admin.display(description=_("bewaarde cijfers"))
    def figures_summary(self, obj):
        figures = SessionFigures.objects.filter(session=obj).first() if obj and obj.pk else None
        if figures is None:
            return _("Nog niet: de aanmeldingen zijn er nog.")
        return _(
            "Aanmeldingen verwijderd op %(date)s. Bevestigd: %(confirmed)s leerlingen, "
            "aanwezig: %(attended)s, wachtlijst: %(waiting)s."
        ) % {
            "date": date_format(timezone.localtime(figures.purged_at), "j F Y"),
            "confirmed": figures.confirmed_pupils,
            "attended": figures.attended_pupils,
            "waiting": figures.waitlisted_pupils,
        }

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "seats" in form.changed_data:
            try:
                promoted = fill_free_seats(session=obj)
            except RegistrationError as error:
                # The seats are saved; the waiting list moves up with the next change.
                self.message_user(request, str(error), messages.WARNING)
                promoted = []
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d aanmelding van de wachtlijst heeft een plaats gekregen (en een e-mail).",
                        "%(count)d aanmeldingen van de wachtlijst hebben een plaats gekregen (en een e-mail).",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                    messages.SUCCESS,
                )
            # Read again: the page's count is from before the save and the promotions.
            taken = Session.objects.with_seats().get(pk=obj.pk).seats_taken
            if taken > obj.seats:
                self.message_user(
                    request,
                    _(
                        "Let op: er zijn %(taken)s bevestigde leerlingen en maar %(seats)s plaatsen. "
                        "Niemand is afgemeld; annuleer zelf aanmeldingen als dat nodig is."
                    )
                    % {"taken": taken, "seats": obj.seats},
                    messages.WARNING,
                )

    def has_export_permission(self, request):
        return can_see_registrations(request)

    @admin.action(description=_("Aanmeldingen downloaden (CSV)"), permissions=["export"])
    def export_registrations(self, request, queryset):
        return registrations_csv(queryset.order_by("starts_at", "pk"))

    def export_view(self, request, pk):
        if not can_see_registrations(request):
            raise PermissionDenied
        return registrations_csv([get_object_or_404(Session, pk=pk)])


class RegistrationAdminForm(forms.ModelForm):
    """Adding checks the sign-up rules of the service; the status is never a form field."""

    # Set by RegistrationAdmin.add_view when the service refused a valid form.
    service_error = None

    class Meta:
        model = Registration
        fields = [
            "session",
            "kind",
            "pupil_count",
            "child_first_name",
            "child_group",
            "primary_school",
            "contact_name",
            "contact_email",
            "has_parental_consent",
            "attended",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.service_error:
            raise forms.ValidationError(self.service_error)
        session = cleaned.get("session")
        if self.instance.pk is None and session is not None and not self.errors:
            try:
                check_signup(session=session, signup=self.signup())
            except RegistrationError as error:
                raise forms.ValidationError(str(error)) from error
        return cleaned

    def signup(self) -> SignUp:
        data = self.cleaned_data
        return SignUp(
            kind=data["kind"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            primary_school=data["primary_school"],
            child_first_name=data.get("child_first_name", ""),
            child_group=data.get("child_group", ""),
            pupil_count=data.get("pupil_count") or 1,
            has_parental_consent=data.get("has_parental_consent", False),
        )


@admin.register(Registration)
class RegistrationAdmin(ActingUserMixin, admin.ModelAdmin):
    """Status changes only through the services: the buttons on the change page and the
    actions on the list. The change form edits contact details and check-in, nothing that
    takes or frees a seat."""

    form = RegistrationAdminForm
    change_form_template = "admin/events/registration/change_form.html"
    list_display = ["__str__", "session", "pupil_count", "status", "created_at", "attended"]
    list_editable = ["attended"]
    list_filter = [
        "status",
        "attended",
        "kind",
        "session__round",
        "session__host_school",
        "session",
    ]
    search_fields = [
        "child_first_name",
        "contact_name",
        "contact_email",
        "primary_school",
        "session__title",
    ]
    list_select_related = ["session"]
    autocomplete_fields = ["session"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "cancelled_at", "reminder_sent_at"]
    # What decides seats: set when adding, then changed only by the status buttons.
    seat_fields = ["session", "status", "kind", "pupil_count"]
    actions = ["mark_attended", "mark_absent", "cancel_selected", "confirm_selected"]
    fieldsets = [
        (None, {"fields": ["session", "status", "kind", "pupil_count"]}),
        (
            _("Kind of klas"),
            {"fields": ["child_first_name", "child_group", "primary_school"]},
        ),
        (
            _("Ouder of leerkracht"),
            {"fields": ["contact_name", "contact_email", "has_parental_consent"]},
        ),
        (
            _("Verloop"),
            {"fields": ["attended", "created_at", "cancelled_at", "reminder_sent_at"]},
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": ["session", "kind", "pupil_count"],
                "description": _(
                    "De status volgt uit de plaatsen: is er plek, dan is de aanmelding "
                    "bevestigd, anders komt ze op de wachtlijst. De contactpersoon krijgt een e-mail."
                ),
            },
        ),
        *fieldsets[1:3],
    ]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.seat_fields, *self.readonly_fields]

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except RegistrationError as error:
            # The service refused a valid form (the seats' lock stayed taken, a double
            # click won the race); the save was rolled back. Show the form again, as
            # typed, with the service's message, and no "added successfully".
            request.registration_error = str(error)
            return super().add_view(request, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if error := getattr(request, "registration_error", None):
            return type(form.__name__, (form,), {"service_error": error})
        return form

    def get_urls(self):
        return [
            path(
                "<int:pk>/status/",
                self.admin_site.admin_view(self.status_view),
                name="events_registration_status",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            context.update(
                status_url=reverse("admin:events_registration_status", args=[obj.pk]),
                status_buttons=self.status_buttons(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def status_buttons(obj) -> list[tuple[str, str]]:
        """(status, label) of the changes that can apply to this registration."""
        status = Registration.Status
        labels = {
            status.CONFIRMED: _("Bevestigen (als er plaats is)"),
            status.WAITLISTED: _("Terug op de wachtlijst"),
            status.CANCELLED: _("Annuleren (plaats gaat naar de wachtlijst)"),
        }
        allowed = {
            status.CONFIRMED: [status.CANCELLED],
            status.WAITLISTED: [status.CONFIRMED, status.CANCELLED],
            status.CANCELLED: [status.CONFIRMED, status.WAITLISTED],
        }[status(obj.status)]
        return [(choice.value, labels[choice]) for choice in allowed]

    @method_decorator(require_POST)
    def status_view(self, request, pk):
        """One status change through the service; its message, and no other, is shown."""
        registration = get_object_or_404(Registration.objects.select_related("session"), pk=pk)
        if not self.has_change_permission(request, registration):
            raise PermissionDenied
        change_url = reverse("admin:events_registration_change", args=[pk])
        try:
            status = Registration.Status(request.POST.get("status", ""))
        except ValueError:
            self.message_user(request, _("Kies een geldige status."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        try:
            promoted = change_registration_status(registration=registration, status=status)
        except RegistrationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.log_change(request, registration, [{"changed": {"fields": ["status"]}}])
        self.message_user(
            request,
            _("De aanmelding van %(registration)s is nu: %(status)s.")
            % {"registration": registration, "status": status.label.lower()},
            messages.SUCCESS,
        )
        self.report_promoted(request, promoted)
        return HttpResponseRedirect(change_url)

    def save_model(self, request, obj, form, change):
        """An addition goes through the service (seats, waiting list, mail); a change only
        saves details, as the seat fields are read-only."""
        if change:
            super().save_model(request, obj, form, change)
            return
        registration = register_for_session(
            session=obj.session, signup=form.signup(), by_coordinator=True
        )
        obj.pk = registration.pk
        obj.refresh_from_db()
        if registration.status == Registration.Status.WAITLISTED:
            self.message_user(
                request,
                _("Er was geen plek: de aanmelding staat op de wachtlijst."),
                messages.WARNING,
            )

    def report_promoted(self, request, promoted):
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d aanmelding van de wachtlijst heeft de vrije plaats gekregen (en een e-mail).",
                    "%(count)d aanmeldingen van de wachtlijst hebben de vrije plaatsen gekregen (en een e-mail).",
                    len(promoted),
                )
                % {"count": len(promoted)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Inchecken: aanwezig"), permissions=["change"])
    def mark_attended(self, request, queryset):
        count = queryset.filter(status=Registration.Status.CONFIRMED).update(attended=True)
        self.message_user(request, _("%(count)d als aanwezig gemarkeerd.") % {"count": count})

    @admin.action(description=_("Inchecken: niet gekomen"), permissions=["change"])
    def mark_absent(self, request, queryset):
        count = queryset.filter(status=Registration.Status.CONFIRMED).update(attended=False)
        self.message_user(request, _("%(count)d als afwezig gemarkeerd.") % {"count": count})

    @admin.action(
        description=_("Annuleren (plaatsen gaan naar de wachtlijst)"), permissions=["change"]
    )
    def cancel_selected(self, request, queryset):
        cancelled, promoted = 0, []
        for registration in queryset.exclude(status=Registration.Status.CANCELLED):
            try:
                promoted += cancel_registration(registration=registration, by_coordinator=True)
            except RegistrationError as error:
                self.message_user(request, f"{registration}: {error}", messages.ERROR)
            else:
                cancelled += 1
        self.message_user(request, _("%(count)d geannuleerd.") % {"count": cancelled})
        self.report_promoted(request, promoted)

    @admin.action(description=_("Bevestigen (als er plaats is)"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        confirmed = 0
        for registration in queryset.exclude(status=Registration.Status.CONFIRMED).order_by(
            "created_at", "pk"
        ):
            try:
                change_registration_status(
                    registration=registration, status=Registration.Status.CONFIRMED
                )
            except RegistrationError as error:
                self.message_user(request, f"{registration}: {error}", messages.ERROR)
            else:
                confirmed += 1
        self.message_user(request, _("%(count)d bevestigd.") % {"count": confirmed})


@admin.register(SessionFigures)
class SessionFiguresAdmin(admin.ModelAdmin):
    """Anonymous counts kept after the registrations were deleted: read only."""

    list_display = [
        "session",
        "session_round",
        "confirmed_pupils",
        "child_bookings",
        "group_bookings",
        "attended_pupils",
        "absent_pupils",
        "waitlisted_pupils",
        "cancelled_bookings",
        "purged_at",
    ]
    list_filter = ["session__round", "session__host_school"]
    search_fields = ["session__title", "session__host_school__name"]
    list_select_related = ["session", "session__round"]

    @admin.display(description=_("ronde"), ordering="session__round__starts_on")
    def session_round(self, obj):
        return obj.session.round

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
