from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaign.admin import RICH_TEXT_OVERRIDES, PublishableAdmin, thumbnail
from campaign.models import Storyline
from schools.models import NewsItem, OpenDay, School


class OpenDayInline(admin.TabularInline):
    model = OpenDay
    fields = ["title", "starts_at", "ends_at", "description", "signup_url"]
    extra = 0


@admin.register(School)
class SchoolAdmin(PublishableAdmin):
    list_display = [
        "name",
        "logo_thumbnail",
        "town",
        "profile",
        "storyline_list",
        "status",
        "published_at",
    ]
    list_filter = ["status", "profile", "town", "storylines"]
    search_fields = ["name", "slug", "town", "summary", "contact_name"]
    autocomplete_fields = ["storylines"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "logo_preview",
        "photo_preview",
        "submission_token",
        "submission_token_renewed_at",
        "created_at",
        "updated_at",
    ]
    inlines = [OpenDayInline]
    actions = [*PublishableAdmin.actions, "renew_submission_token"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "profile", "summary", "description", "learning_paths"]},
        ),
        (
            _("Adres en contact"),
            {
                "fields": [
                    "street_address",
                    ("postal_code", "town"),
                    "website",
                    ("email", "phone"),
                    ("contact_name", "contact_email"),
                ]
            },
        ),
        (_("Beeld"), {"fields": ["logo", "logo_preview", "photo", "photo_preview", "photo_alt"]}),
        (_("Verhaallijnen"), {"fields": ["storylines"]}),
        (
            _("Nieuws insturen"),
            {
                "fields": ["submission_token", "submission_token_renewed_at"],
                "description": _(
                    "Met deze geheime code stuurt de school nieuws in. Uitgelekt? "
                    "Gebruik de actie ‘Nieuwe code voor nieuws insturen’ in de lijst."
                ),
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
            .prefetch_related(
                Prefetch("storylines", queryset=Storyline.objects.only("pk", "title", "icon"))
            )
        )

    @admin.display(description=_("verhaallijnen"))
    def storyline_list(self, obj):
        return format_html_join(
            ", ", "{}", ((storyline.title,) for storyline in obj.storylines.all())
        )

    @admin.display(description=_("logo"))
    def logo_thumbnail(self, obj):
        return thumbnail(obj.logo)

    @admin.display(description=_("voorbeeld logo"))
    def logo_preview(self, obj):
        return thumbnail(obj.logo, alt=_("Huidig logo"), large=True)

    @admin.display(description=_("voorbeeld foto"))
    def photo_preview(self, obj):
        return thumbnail(obj.photo, alt=obj.photo_alt, large=True)

    @admin.action(description=_("Nieuwe code voor nieuws insturen"), permissions=["change"])
    def renew_submission_token(self, request, queryset):
        schools = list(School.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))))
        for school in schools:
            school.renew_submission_token()
            school.save(update_fields=["submission_token", "submission_token_renewed_at"])
        self.message_user(
            request,
            ngettext(
                "%(count)d school heeft een nieuwe code; de oude werkt niet meer.",
                "%(count)d scholen hebben een nieuwe code; de oude werken niet meer.",
                len(schools),
            )
            % {"count": len(schools)},
            messages.SUCCESS,
        )


@admin.register(OpenDay)
class OpenDayAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "starts_at", "ends_at"]
    list_filter = ["school", "starts_at"]
    search_fields = ["title", "description", "school__name"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    date_hierarchy = "starts_at"
    fields = ["school", "title", ("starts_at", "ends_at"), "description", "signup_url"]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "image_thumbnail",
        "school",
        "status",
        "published_at",
        "created_at",
    ]
    list_filter = ["status", "school", "has_photo_consent"]
    search_fields = ["title", "summary", "submitter_name", "submitter_email", "school__name"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    formfield_overrides = RICH_TEXT_OVERRIDES
    readonly_fields = ["image_preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["school", "title", "slug", "summary", "body"]}),
        (
            _("Afbeelding"),
            {"fields": ["image", "image_preview", "image_alt", "has_photo_consent"]},
        ),
        (_("Inzender"), {"fields": ["submitter_name", "submitter_email", "created_at"]}),
        (
            _("Moderatie en publicatie"),
            {"fields": ["status", "rejection_reason", "published_at", "updated_at"]},
        ),
    ]

    @admin.display(description=_("afbeelding"))
    def image_thumbnail(self, obj):
        return thumbnail(obj.image)

    @admin.display(description=_("voorbeeld"))
    def image_preview(self, obj):
        return thumbnail(obj.image, alt=obj.image_alt, large=True)
