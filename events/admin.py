import csv
import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Value, When
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
from campaign.spreadsheet import csv_cell
from events.figures import participation
from events.models import (
    Attendance,
    MasterclassRound,
    ParticipationCount,
    Registration,
    Session,
    SessionAudience,
)
from events.planning import (
    RECENT_ROUNDS,
    PlanningError,
    copy_round,
    host_order,
    season_name,
    unique_slug,
)
from events.services import (
    RegistrationError,
    SignUp,
    cancel_registration,
    change_registration_status,
    check_signup,
    fill_free_seats,
    register_for_session,
)

# Confirmed first, then the waiting list in its order, cancelled last.
STATUS_ORDER = Case(
    When(status=Registration.Status.CONFIRMED, then=Value(0)),
    When(status=Registration.Status.WAITLISTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def can_see_registrations(request) -> bool:
    return request.user.has_perm("events.view_registration")


class SessionAudienceForm(forms.ModelForm):
    """The seats must fit the audience: pupils' seats for pupils, partners' for partners.

    The database constraints hold the rule; this puts their message next to the field.
    """

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience_type")
        seats, partner_seats = cleaned.get("seats"), cleaned.get("partner_seats")
        if audience == SessionAudience.PUPILS and partner_seats:
            self.add_error(
                "partner_seats",
                _("Een masterclass alleen voor leerlingen heeft geen plaatsen voor partners."),
            )
        if audience == SessionAudience.PARTNERS and seats:
            self.add_error(
                "seats",
                _("Een masterclass alleen voor partners heeft geen plaatsen voor leerlingen."),
            )
        if audience in (SessionAudience.PARTNERS, SessionAudience.BOTH) and partner_seats == 0:
            self.add_error(
                "partner_seats",
                _("Een masterclass voor partners heeft plaatsen voor partners nodig."),
            )
        return cleaned


class SessionInlineForm(SessionAudienceForm):
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
                    ("audience_type", "partner_seats"),
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

    @admin.display(description=_("gastscholen op volgorde van beurt"))
    def host_suggestions(self, obj):
        masterclass_round = obj if obj is not None and obj.pk else None
        url = reverse("admin:events_masterclassround_hosting")
        link = f"{url}?ronde={obj.pk}" if masterclass_round else url
        candidates = host_order(masterclass_round=masterclass_round)
        overdue = [c.school.name for c in candidates if c.is_overdue]
        warning = (
            format_html(
                '<p class="hosting-overdue"><strong>{}</strong> {}</p>',
                _("Nog aan de beurt dit jaar:"),
                ", ".join(overdue),
            )
            if overdue
            else ""
        )
        items = format_html_join(
            "",
            "<li><strong>{}</strong>: {}</li>",
            ((c.school.name, "; ".join(c.reasons())) for c in candidates),
        )
        return format_html(
            '{}<ol class="hosting-order">{}</ol><a href="{}">{}</a>',
            warning,
            items,
            link,
            _("Als tabel, met uitleg"),
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
        """Which school's turn is it to host? Every school in order, with its reasons."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        masterclass_round = None
        if round_pk := request.GET.get("ronde", ""):
            if round_pk.isdigit():
                masterclass_round = MasterclassRound.objects.filter(pk=round_pk).first()
        before = masterclass_round.starts_on if masterclass_round else timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Gastscholen: wie is aan de beurt?"),
            "candidates": host_order(masterclass_round=masterclass_round),
            "masterclass_round": masterclass_round,
            "rounds": MasterclassRound.objects.order_by("-starts_on"),
            "before": before,
            "recent_rounds": RECENT_ROUNDS,
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
        "organisation",
        "role",
        "needs",
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
        return (
            super()
            .get_queryset(request)
            .select_related("partner_school", "partner_company")
            .order_by(STATUS_ORDER, "created_at", "pk")
        )

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("organisatie (partner)"))
    def organisation(self, obj):
        return obj.organisation_label if obj.is_partner else ""

    @admin.display(description=_("wensen"))
    def needs(self, obj):
        return needs_text(obj)


def needs_text(registration: Registration) -> str:
    """A partner's diet and access needs in one line, for the host school."""
    parts = []
    if registration.dietary_needs:
        parts.append(_("dieet: %(needs)s") % {"needs": registration.dietary_needs})
    if registration.access_needs:
        parts.append(_("toegankelijkheid: %(needs)s") % {"needs": registration.access_needs})
    return "; ".join(parts)


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
            _("organisatie (partner)"),
            _("soort organisatie"),
            _("functie"),
            _("dieetwensen"),
            _("toegankelijkheid"),
            _("aangemeld op"),
            _("aanwezig"),
        ]
    )
    registrations = (
        Registration.objects.filter(session__in=sessions)
        .select_related("session", "partner_school", "partner_company")
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
                registration.organisation_label if registration.is_partner else "",
                registration.get_organisation_type_display(),
                registration.role,
                registration.dietary_needs,
                registration.access_needs,
                date_format(timezone.localtime(registration.created_at), "d-m-Y H:i"),
                attended[registration.attended],
            ]
        )
    return response


@admin.register(Session)
class SessionAdmin(ShareImagesAdminMixin, PublishableAdmin):
    form = SessionAudienceForm
    # Round and storyline are filters: the columns are for who is coming.
    list_display = [
        "title",
        "host_school",
        "starts_at",
        "confirmed_pupils",
        "waitlist",
        "confirmed_partners",
        "partner_waitlist",
        "status",
    ]
    list_filter = ["round", "status", "audience_type", "host_school", "storyline"]
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
                    "audience_type",
                    ("seats", "partner_seats", "max_per_booking"),
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
        if not obj.has_pupils:
            return "–"
        return f"{obj.seats_taken} / {obj.seats} ({self.fill_rate(obj)})"

    @admin.display(description=_("bezetting"))
    def fill_rate(self, obj):
        return self.rate(obj.seats_taken, obj.seats)

    @staticmethod
    def rate(taken, seats) -> str:
        if not seats:
            return "–"
        return f"{round(100 * taken / seats)}%"

    @admin.display(description=_("wachtlijst (leerlingen)"), ordering="waitlisted_pupils")
    def waitlist(self, obj):
        return obj.waitlisted_pupils if obj.has_pupils else "–"

    @admin.display(description=_("bezet (partners)"), ordering="partner_seats_taken")
    def confirmed_partners(self, obj):
        if not obj.has_partners:
            return "–"
        rate = self.rate(obj.partner_seats_taken, obj.partner_seats)
        return f"{obj.partner_seats_taken} / {obj.partner_seats} ({rate})"

    @admin.display(description=_("wachtlijst (partners)"), ordering="waitlisted_partners")
    def partner_waitlist(self, obj):
        return obj.waitlisted_partners if obj.has_partners else "–"

    @admin.display(description=_("bezetting en wachtlijst"))
    def occupancy(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        lines = []
        if obj.has_pupils:
            lines.append(
                _(
                    "Leerlingen: %(taken)s van de %(seats)s plaatsen bezet (%(rate)s); "
                    "wachtlijst: %(waiting)s aanmeldingen, %(waiting_pupils)s leerlingen."
                )
                % {
                    "taken": obj.seats_taken,
                    "seats": obj.seats,
                    "rate": self.fill_rate(obj),
                    "waiting": obj.waitlisted_bookings,
                    "waiting_pupils": obj.waitlisted_pupils,
                }
            )
        if obj.has_partners:
            lines.append(
                _(
                    "Partners: %(taken)s van de %(seats)s plaatsen bezet (%(rate)s); "
                    "wachtlijst: %(waiting)s."
                )
                % {
                    "taken": obj.partner_seats_taken,
                    "seats": obj.partner_seats,
                    "rate": self.rate(obj.partner_seats_taken, obj.partner_seats),
                    "waiting": obj.waitlisted_partners,
                }
            )
        registrations = reverse("admin:events_registration_changelist")
        return format_html(
            '{}<a href="{}">{}</a> · <a href="{}?session__id__exact={}">{}</a>',
            format_html_join("", "<strong>{}</strong><br>", ((line,) for line in lines)),
            reverse("admin:events_session_export", args=[obj.pk]),
            _("Aanmeldingen downloaden (CSV)"),
            registrations,
            obj.pk,
            _("Aanmeldingen beheren"),
        )

    @admin.display(description=_("cijfers"))
    def figures_summary(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        # The same counts as the programme report: live sign-ups and those kept after the purge.
        confirmed = {"pupils": 0, "partners": 0, "attended": 0, "waiting": 0}
        for key, (_bookings, people) in participation([obj.pk]).items():
            if key.status == Registration.Status.WAITLISTED:
                confirmed["waiting"] += people
            elif key.status == Registration.Status.CONFIRMED:
                side = "partners" if key.kind == Registration.Kind.PARTNER else "pupils"
                confirmed[side] += people
                confirmed["attended"] += people if key.attended == Attendance.YES else 0
        summary = (
            _(
                "Bevestigd: %(pupils)s leerlingen en %(partners)s partners, aanwezig: %(attended)s, "
                "wachtlijst: %(waiting)s."
            )
            % confirmed
        )
        if ParticipationCount.objects.filter(session=obj).exists():
            summary += " " + _("Aanmeldingen (deels) verwijderd; de cijfers zijn bewaard.")
        return summary

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"seats", "partner_seats", "audience_type"} & set(form.changed_data):
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
            counted = Session.objects.with_seats().get(pk=obj.pk)
            if counted.seats_taken > obj.seats:
                self.message_user(
                    request,
                    _(
                        "Let op: er zijn %(taken)s bevestigde leerlingen en maar %(seats)s plaatsen. "
                        "Niemand is afgemeld; annuleer zelf aanmeldingen als dat nodig is."
                    )
                    % {"taken": counted.seats_taken, "seats": obj.seats},
                    messages.WARNING,
                )
            if counted.partner_seats_taken > obj.partner_seats:
                self.message_user(
                    request,
                    _(
                        "Let op: er zijn %(taken)s bevestigde partners en maar %(seats)s plaatsen "
                        "voor partners. Niemand is afgemeld; annuleer zelf aanmeldingen als dat "
                        "nodig is."
                    )
                    % {"taken": counted.partner_seats_taken, "seats": obj.partner_seats},
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
            "organisation_type",
            "partner_school",
            "partner_company",
            "organisation_name",
            "role",
            "dietary_needs",
            "access_needs",
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
            organisation_type=data.get("organisation_type", ""),
            partner_school=data.get("partner_school"),
            partner_company=data.get("partner_company"),
            organisation_name=data.get("organisation_name", ""),
            role=data.get("role", ""),
            dietary_needs=data.get("dietary_needs", ""),
            access_needs=data.get("access_needs", ""),
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
        "organisation_type",
        "session__round",
        "session__host_school",
        "session",
    ]
    search_fields = [
        "child_first_name",
        "contact_name",
        "contact_email",
        "primary_school",
        "organisation_name",
        "partner_school__name",
        "partner_company__name",
        "role",
        "session__title",
    ]
    list_select_related = ["session", "partner_school", "partner_company"]
    autocomplete_fields = ["session", "partner_school", "partner_company"]
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
            _("Contactpersoon: ouder, leerkracht of partner"),
            {"fields": ["contact_name", "contact_email", "has_parental_consent"]},
        ),
        (
            _("Partner"),
            {
                "fields": [
                    "organisation_type",
                    ("partner_school", "partner_company"),
                    "organisation_name",
                    "role",
                    "dietary_needs",
                    "access_needs",
                ],
                "description": _(
                    "Een partner meldt zichzelf aan: naam en e-mail hierboven, geen kind of "
                    "basisschool. Kies een partnerschool of bedrijf uit de lijst, of vul de "
                    "naam van een andere organisatie in."
                ),
            },
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
        *fieldsets[1:4],
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
