from django.contrib import admin
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.admin import PublishableAdmin
from events.models import MasterclassRound, Registration, Session


class SessionInline(admin.StackedInline):
    model = Session
    fields = [
        ("title", "slug"),
        ("host_school", "storyline"),
        ("starts_at", "ends_at"),
        "seats",
        ("registration_opens_at", "registration_closes_at"),
        "status",
    ]
    autocomplete_fields = ["host_school", "storyline"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    extra = 0


@admin.register(MasterclassRound)
class MasterclassRoundAdmin(PublishableAdmin):
    list_display = ["name", "starts_on", "ends_on", "session_count", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "description"]
    # Nothing to join: the session count is annotated.
    list_select_related = False
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SessionInline]
    fields = [
        "name",
        "slug",
        ("starts_on", "ends_on"),
        "description",
        ("status", "published_at"),
        ("created_at", "updated_at"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_total=Count("sessions"))

    @admin.display(description=_("masterclasses"), ordering="session_total")
    def session_count(self, obj):
        return obj.session_total


class RegistrationInline(admin.TabularInline):
    """Who is coming: read-only here, so seats and the waiting list stay the service's job."""

    model = Registration
    fields = [
        "kind",
        "child_first_name",
        "child_group",
        "pupil_count",
        "primary_school",
        "contact_name",
        "status",
        "created_at",
    ]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(PublishableAdmin):
    list_display = [
        "title",
        "host_school",
        "storyline",
        "starts_at",
        "seats",
        "confirmed_pupils",
        "waitlisted_pupils",
        "round",
        "status",
    ]
    list_filter = ["round", "status", "host_school", "storyline"]
    search_fields = ["title", "slug", "host_school__name", "storyline__title", "round__name"]
    list_select_related = ["round", "host_school", "storyline"]
    autocomplete_fields = ["round", "host_school", "storyline", "companies"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]
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
            {"fields": ["status", "published_at", ("created_at", "updated_at")]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_total=Coalesce(
                    Sum(
                        "registrations__pupil_count",
                        filter=Q(registrations__status=Registration.Status.CONFIRMED),
                    ),
                    0,
                ),
                waitlisted_total=Coalesce(
                    Sum(
                        "registrations__pupil_count",
                        filter=Q(registrations__status=Registration.Status.WAITLISTED),
                    ),
                    0,
                ),
            )
        )

    @admin.display(description=_("bevestigde leerlingen"), ordering="confirmed_total")
    def confirmed_pupils(self, obj):
        return obj.confirmed_total

    @admin.display(description=_("wachtlijst"), ordering="waitlisted_total")
    def waitlisted_pupils(self, obj):
        return obj.waitlisted_total


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "session",
        "session_starts_at",
        "kind",
        "pupil_count",
        "status",
        "created_at",
    ]
    list_filter = ["status", "kind", "session__round", "session__host_school", "session"]
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

    @admin.display(description=_("begint om"), ordering="session__starts_at")
    def session_starts_at(self, obj):
        return obj.session.starts_at

    def save_model(self, request, obj, form, change):
        if obj.status == Registration.Status.CANCELLED and obj.cancelled_at is None:
            obj.cancelled_at = timezone.now()
        elif obj.status != Registration.Status.CANCELLED:
            obj.cancelled_at = None
        super().save_model(request, obj, form, change)
