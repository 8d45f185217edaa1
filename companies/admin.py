from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaign.admin import LogoAdminMixin, PublishableAdmin, UniqueChoiceInlineFormSet
from campaign.history import HistoryAdmin
from campaign.shareimage_admin import ShareImagesAdminMixin
from companies.models import Company, Contribution, Offer


class OfferInlineFormSet(UniqueChoiceInlineFormSet):
    unique_field = "kind"
    duplicate_message = _("Elk soort aanbod staat er één keer in: %(value)s staat er twee keer in.")


class OfferInline(admin.TabularInline):
    model = Offer
    formset = OfferInlineFormSet
    fields = ["kind", "description"]
    extra = 0


class ContributionInline(admin.TabularInline):
    """The company's contributions, newest first: kept here by the coordinators."""

    model = Contribution
    fields = ["date", "kind", "quantity", "note"]
    extra = 0
    verbose_name_plural = _("bijdragen aan het programma (voor de cijfers)")


@admin.register(Company)
class CompanyAdmin(ShareImagesAdminMixin, LogoAdminMixin, PublishableAdmin):
    list_display = [
        "name",
        "logo_thumbnail",
        "sector",
        "town",
        "offer_list",
        "status",
        "published_at",
    ]
    list_filter = ["status", "offers__kind", "town", "storylines", "schools"]
    search_fields = ["name", "slug", "sector", "town", "summary", "contact_name"]
    autocomplete_fields = ["storylines", "schools", "videos"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["logo_preview", "created_at", "updated_at"]
    inlines = [OfferInline, ContributionInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", ("sector", "town"), "summary", "description"]}),
        (_("Contact"), {"fields": ["website", ("contact_name", "contact_email")]}),
        (_("Beeld"), {"fields": ["logo", "logo_preview"]}),
        (_("Verbonden met"), {"fields": ["storylines", "schools", "videos"]}),
        (
            _("Publicatie"),
            {"fields": ["status", ("published_at", "unpublish_at"), ("created_at", "updated_at")]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("offers")

    @admin.display(description=_("aanbod"))
    def offer_list(self, obj):
        return ", ".join(offer.get_kind_display() for offer in obj.offers.all())


@admin.register(Offer)
class OfferAdmin(HistoryAdmin):
    list_display = ["kind", "company", "description"]
    list_filter = ["kind"]
    search_fields = ["company__name", "description"]
    list_select_related = ["company"]
    autocomplete_fields = ["company"]


class ContributionYearFilter(admin.SimpleListFilter):
    title = _("jaar")
    parameter_name = "jaar"

    def lookups(self, request, model_admin):
        years = Contribution.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(Contribution)
class ContributionAdmin(HistoryAdmin):
    """The ledger of what companies gave: guest lessons, visits, masterclasses, places."""

    list_display = ["date", "company", "kind", "quantity", "note"]
    list_filter = ["kind", ContributionYearFilter, "company"]
    search_fields = ["company__name", "note"]
    list_select_related = ["company"]
    autocomplete_fields = ["company"]
    date_hierarchy = "date"
