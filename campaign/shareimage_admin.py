"""Share image downloads on the admin change page of every page type with a share image."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaign.shareimages import SIZES
from campaign.templatetags.shareimages import share_image_admin_url

SIZE_LABELS = {
    "linkedin": _("LinkedIn en Open Graph"),
    "instagram": _("Instagram"),
    "story": _("TikTok- of storycover"),
}


class ShareImagesAdminMixin:
    """Adds a "Deelafbeeldingen" section with a preview and a download per size."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "share_images"] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        description = _(
            "Gemaakt uit de titel, de kleuren van de campagne, het icoon van de verhaallijn "
            "en het logo. Na een wijziging wordt een nieuwe afbeelding gemaakt."
        )
        return [
            *fieldsets,
            (_("Deelafbeeldingen"), {"fields": ["share_images"], "description": description}),
        ]

    @admin.display(description=_("Downloaden"))
    def share_images(self, obj):
        preview = share_image_admin_url(obj, SIZES["linkedin"], download=False)
        links = format_html_join(
            "",
            '<li><a href="{}" download>{} ({} × {} px)</a></li>',
            (
                (share_image_admin_url(obj, size), SIZE_LABELS[key], size[0], size[1])
                for key, size in SIZES.items()
            ),
        )
        return format_html(
            '<img src="{}" alt="{}" width="300" height="157" loading="lazy"><ul>{}</ul>',
            preview,
            gettext("Voorbeeld van de deelafbeelding voor LinkedIn"),
            links,
        )
