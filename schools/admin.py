import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from campaign.admin import (
    LogoAdminMixin,
    PreviewLinkAdminMixin,
    PublishableAdmin,
    make_social_drafts,
    preview_field,
    thumbnail_column,
)
from campaign.contentchecks import text_check_panel
from campaign.history import HistoryAdmin, record_history
from campaign.models import Storyline
from campaign.seo import absolute_url
from campaign.shareimage_admin import ShareImagesAdminMixin
from schools.models import NewsItem, OpenDay, School
from schools.services import (
    ModerationError,
    approve_news_item,
    reject_news_item,
    renew_submission_token,
)


class OpenDayInline(admin.TabularInline):
    model = OpenDay
    fields = ["title", "starts_at", "ends_at", "description", "signup_url"]
    extra = 0


@admin.register(School)
class SchoolAdmin(ShareImagesAdminMixin, LogoAdminMixin, PublishableAdmin):
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
    autocomplete_fields = ["storylines", "videos"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "logo_preview",
        "photo_preview",
        "submission_link",
        "submission_token_renewed_at",
        "created_at",
        "updated_at",
    ]
    inlines = [OpenDayInline]
    actions = [*PublishableAdmin.actions, "renew_submission_token"]
    # A restore must never revive a link the school was told no longer works.
    history_exclude = ("submission_token",)
    history_restore_keeps = ("submission_token_renewed_at",)
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
        (_("Verhaallijnen en video's"), {"fields": ["storylines", "videos"]}),
        (
            _("Nieuws insturen"),
            {
                "fields": ["submission_link", "submission_token_renewed_at"],
                "description": _(
                    "Met deze geheime link stuurt de school nieuws in; stuur hem alleen naar "
                    "de school. Uitgelekt? Gebruik de actie ‘Nieuwe code voor nieuws "
                    "insturen’ in de lijst: de oude link werkt dan meteen niet meer."
                ),
            },
        ),
        (
            _("Publicatie"),
            {"fields": ["status", ("published_at", "unpublish_at"), ("created_at", "updated_at")]},
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

    @admin.display(description=_("link voor nieuws insturen"))
    def submission_link(self, obj):
        if not obj.pk:
            return "—"
        url = absolute_url(reverse("schools:news-submit", args=[obj.submission_token]))
        return format_html('<a href="{}" rel="noreferrer">{}</a>', url, url)

    photo_preview = preview_field("photo", _("voorbeeld foto"), alt_field="photo_alt")

    @admin.action(description=_("Nieuwe code voor nieuws insturen"), permissions=["change"])
    def renew_submission_token(self, request, queryset):
        schools = list(School.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))))
        for school in schools:
            renew_submission_token(school=school)
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
class OpenDayAdmin(HistoryAdmin):
    list_display = ["title", "school", "starts_at", "ends_at"]
    list_filter = ["school", "starts_at"]
    search_fields = ["title", "description", "school__name"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    date_hierarchy = "starts_at"
    fields = ["school", "title", ("starts_at", "ends_at"), "description", "signup_url"]


class NewsItemAdminForm(forms.ModelForm):
    """The change form; the reject button needs a reason before anything is saved."""

    class Meta:
        model = NewsItem
        fields = "__all__"  # noqa: DJ007 — the admin's fieldsets choose what is shown.

    def clean(self):
        cleaned = super().clean()
        if REJECT in self.data and not (cleaned.get("rejection_reason") or "").strip():
            self.add_error(
                "rejection_reason",
                _("Schrijf op waarom je het bericht afwijst; de inzender krijgt deze reden."),
            )
        return cleaned


PUBLISH = "_publish"
REJECT = "_reject"


@admin.register(NewsItem)
class NewsItemAdmin(ShareImagesAdminMixin, PreviewLinkAdminMixin, HistoryAdmin):
    """Moderation of school news: edit, then publish (now or at a date) or reject with a reason."""

    form = NewsItemAdminForm
    change_form_template = "admin/schools/newsitem/change_form.html"
    change_list_template = "admin/schools/newsitem/change_list.html"
    list_display = [
        "title",
        "image_thumbnail",
        "school",
        "status",
        "photo_consent",
        "published_at",
        "created_at",
    ]
    list_filter = ["status", "school"]
    search_fields = ["title", "summary", "submitter_name", "submitter_email", "school__name"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "created_at"
    readonly_fields = ["status", "image_preview", "text_check", "created_at", "updated_at"]
    actions = ["publish_now", "withdraw", make_social_drafts]
    # Publishing and rejecting go through the moderation service (and mail the sender).
    history_restore_keeps = ("status", "published_at", "rejection_reason")
    fieldsets = [
        (
            _("Moderatie en publicatie"),
            {
                "fields": ["status", ("published_at", "unpublish_at"), "rejection_reason"],
                "description": _(
                    "Bewerk het bericht zo nodig en kies dan onderaan ‘Publiceren’ of "
                    "‘Afwijzen’. Laat de publicatiedatum leeg om meteen te publiceren, of "
                    "kies een datum in de toekomst. De inzender krijgt bij publiceren en "
                    "afwijzen automatisch een e-mail."
                ),
            },
        ),
        (None, {"fields": ["school", "title", "slug", "summary", "body", "text_check"]}),
        (
            _("Afbeelding"),
            {
                "fields": ["image", "image_preview", "image_alt"],
                "description": _(
                    "Toestemming van ouders en intrekken van een foto staan in het "
                    "fotoregister (Campagne › Foto's)."
                ),
            },
        ),
        (
            _("Inzender"),
            {"fields": ["submitter_name", "submitter_email", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description=_("leesbaarheid"))
    def text_check(self, obj):
        if not obj or not obj.pk:
            return _("Te zien na opslaan.")
        return text_check_panel(obj.title, obj.summary, rich=obj.body)

    def get_urls(self):
        return [
            path(
                "moderatie/",
                self.admin_site.admin_view(self.moderation_view),
                name="schools_newsitem_moderation",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "pending_count": NewsItem.objects.pending().count(),
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            can_publish=obj is None or obj.status != NewsItem.Status.PUBLISHED,
            can_reject=obj is not None
            and obj.status
            in (
                NewsItem.Status.SUBMITTED,
                NewsItem.Status.DRAFT,
            ),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        try:
            if PUBLISH in request.POST:
                approve_news_item(item=obj, published_at=form.cleaned_data.get("published_at"))
                self.message_user(request, self.moderation_message(obj, published=True))
            elif REJECT in request.POST:
                reject_news_item(item=obj, reason=form.cleaned_data["rejection_reason"])
                self.message_user(request, self.moderation_message(obj, published=False))
        except ModerationError as error:
            self.message_user(request, str(error), messages.WARNING)
        obj.refresh_from_db()

    @staticmethod
    def moderation_message(obj, *, published):
        to = obj.submitter_email or _("niemand (geen e-mailadres)")
        if published:
            return _("‘%(title)s’ is gepubliceerd; bericht gaat naar %(to)s.") % {
                "title": obj.title,
                "to": to,
            }
        return _("‘%(title)s’ is afgewezen; de reden gaat naar %(to)s.") % {
            "title": obj.title,
            "to": to,
        }

    @admin.action(description=_("Nu publiceren (inzender krijgt e-mail)"), permissions=["change"])
    def publish_now(self, request, queryset):
        published = 0
        for item in queryset.exclude(status=NewsItem.Status.PUBLISHED):
            approve_news_item(item=item)
            published += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d bericht gepubliceerd.", "%(count)d berichten gepubliceerd.", published
            )
            % {"count": published},
            messages.SUCCESS,
        )

    @admin.action(description=_("Offline halen (terug naar concept)"), permissions=["change"])
    def withdraw(self, request, queryset):
        items = list(queryset.filter(status=NewsItem.Status.PUBLISHED))
        count = NewsItem.objects.filter(pk__in=[item.pk for item in items]).update(
            status=NewsItem.Status.DRAFT, updated_at=timezone.now()
        )
        for item in items:
            item.status = NewsItem.Status.DRAFT
            record_history(item, comment=gettext("Offline gehaald (terug naar concept)."))
        self.message_user(
            request,
            ngettext(
                "%(count)d bericht offline gehaald.", "%(count)d berichten offline gehaald.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def moderation_view(self, request):
        """The queue: submitted news, oldest first, and how much airtime each school had."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        # The airtime ledger's rule for news (SchoolQuerySet.with_news_between), over 90 days.
        schools = (
            School.objects.with_news_between(now - dt.timedelta(days=90), now)
            .annotate(
                pending=Count(
                    "news_items",
                    filter=Q(news_items__status=NewsItem.Status.SUBMITTED),
                    distinct=True,
                ),
                last_published=Max(
                    "news_items__published_at",
                    filter=Q(
                        news_items__status=NewsItem.Status.PUBLISHED,
                        news_items__published_at__lte=now,
                    ),
                ),
            )
            .order_by("-pending", "news_published", "name")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Moderatie: ingestuurd nieuws"),
            "items": NewsItem.objects.pending().select_related("school").with_photo_consent(),
            "schools": schools,
        }
        return TemplateResponse(request, "admin/schools/newsitem/moderation.html", context)

    image_thumbnail = thumbnail_column("image", _("afbeelding"))
    image_preview = preview_field("image", _("voorbeeld"), alt_field="image_alt")

    def get_queryset(self, request):
        return super().get_queryset(request).with_photo_consent()

    @admin.display(description=_("toestemming foto"))
    def photo_consent(self, obj):
        if not obj.image:
            return "—"
        return obj.photo_consent_by or _("niet verklaard")
