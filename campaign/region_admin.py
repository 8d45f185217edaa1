"""The coordinators' admin for the region: one row, with its partners and contacts inline."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaign.history import HistoryAdmin
from campaign.region import Region, RegionContact, RegionPartner


class RegionContactInline(admin.TabularInline):
    model = RegionContact
    extra = 0
    fields = ["name", "role", "email", "phone", "order"]


class RegionPartnerInline(admin.TabularInline):
    model = RegionPartner
    extra = 0
    fields = ["name", "url", "logo", "order"]


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ["name", "partnership_name", "updated_at"]
    list_filter = ["updated_at"]
    search_fields = ["name", "partnership_name"]
    list_select_related = ["privacy_page", "accessibility_page"]
    fieldsets = [
        (None, {"fields": ["name", "partnership_name", "partnership_description"]}),
        (_("Landelijk programma"), {"fields": ["programme_name", "programme_url"]}),
        (
            _("Verklaringen"),
            {
                "fields": ["privacy_page", "accessibility_page"],
                "description": _(
                    "Kies gepubliceerde pagina’s zonder campagne (Campagne → Pagina’s). "
                    "Onder aan elke pagina komt een link naar beide."
                ),
            },
        ),
    ]
    inlines = [RegionContactInline, RegionPartnerInline]

    def has_add_permission(self, request):
        # One region per installation.
        return super().has_add_permission(request) and not Region.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, *args, **kwargs):
        # There is no other region to add.
        context["show_save_and_add_another"] = False
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(self, request, extra_context=None):
        """Straight to the one region: its change page, or the add page while there is none."""
        region = Region.objects.only("pk").first()
        if region is not None:
            return HttpResponseRedirect(reverse("admin:campaign_region_change", args=[region.pk]))
        if self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:campaign_region_add"))
        return super().changelist_view(request, extra_context)
