"""The coordinators' admin for campaigns, storylines and their messages per audience.

Also holds the small admin pieces the other apps reuse (``PublishableAdmin``,
``thumbnail``), since every app may depend on ``campaign``.
"""

import logging
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import model_ngettext
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Max, Prefetch, When
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from imagekit import ImageSpec
from imagekit import register as imagekit_register
from imagekit.cachefiles import ImageCacheFile
from imagekit.processors import ResizeToFit

from campaign.contentchecks import check_text, text_check_panel
from campaign.history import ActingUserMixin, HistoryAdmin, record_history
from campaign.models import (
    Audience,
    AudienceMessage,
    Campaign,
    OutgoingEmail,
    Page,
    Photo,
    SocialPost,
    Storyline,
    Video,
    find_usages,
)
from campaign.preview import preview_link_expires_at, preview_url
from campaign.publishing import PublicationStatus
from campaign.seo import absolute_url
from campaign.services import (
    CampaignError,
    PhotoError,
    SocialPostError,
    make_primary_campaign,
    mark_social_post_posted,
    withdraw_photo,
)
from campaign.shareimage_admin import SIZE_LABELS, ShareImagesAdminMixin
from campaign.shareimages import SIZES
from campaign.templatetags.icons import icon
from campaign.templatetags.shareimages import KINDS, share_image_admin_url

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# Shared pieces


class _AdminThumbnail(ImageSpec):
    # A white mat makes every rendition exactly this size, so the <img> can carry
    # width and height and the list does not jump while images load.
    size = (96, 72)
    format = "JPEG"
    options = {"quality": 80}

    @property
    def processors(self):
        return [ResizeToFit(*self.size, mat_color=(255, 255, 255))]


class _AdminPreview(_AdminThumbnail):
    size = (320, 240)


# Only registered generators get their cache files made on first use (JustInTime).
imagekit_register.generator("campaign:admin-thumbnail", _AdminThumbnail)
imagekit_register.generator("campaign:admin-preview", _AdminPreview)


def thumbnail(image, *, alt="", large=False):
    """A small ``<img>`` of an uploaded image, made by imagekit on first use.

    The small one (lists) costs no SQL; the large preview (change pages) also links to
    the photo's row in the register.
    """
    if not image:
        return "—"
    img = _thumbnail_img(image, alt=alt, large=large)
    if not large or isinstance(image.instance, Photo):
        return img
    photo_pk = Photo.objects.filter(file=image.name).values_list("pk", flat=True).first()
    if photo_pk is None:
        return img
    return format_html(
        '{}<br><a href="{}">{}</a>',
        img,
        reverse("admin:campaign_photo_change", args=[photo_pk]),
        _("Toestemming en intrekken in het fotoregister"),
    )


def _thumbnail_img(image, *, alt, large):
    spec_class = _AdminPreview if large else _AdminThumbnail
    try:
        url = ImageCacheFile(spec_class(source=image)).url
    except (OSError, ValueError, SyntaxError) as error:
        # A missing or broken file must not break the whole list.
        logger.warning("No admin thumbnail for %s: %s", image.name, error)
        return _("(afbeelding niet gevonden)")
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
        url,
        *spec_class.size,
        alt,
    )


def thumbnail_column(field_name: str, description):
    """A list column with a small picture of the image in ``field_name``."""

    @admin.display(description=description)
    def column(model_admin, obj):
        return thumbnail(getattr(obj, field_name))

    return column


def preview_field(field_name: str, description, *, alt_field: str = "", alt=""):
    """A read-only change-page field: a larger picture of the image in ``field_name``, with
    its alt text from ``alt_field`` (or the fixed ``alt``) and a link to the photo register."""

    @admin.display(description=description)
    def preview(model_admin, obj):
        image_alt = getattr(obj, alt_field) if alt_field else alt
        return thumbnail(getattr(obj, field_name), alt=image_alt, large=True)

    return preview


class LogoAdminMixin:
    """``logo_thumbnail`` for the list and ``logo_preview`` for the change page."""

    logo_thumbnail = thumbnail_column("logo", _("logo"))
    logo_preview = preview_field("logo", _("voorbeeld logo"), alt=_("Huidig logo"))


class ColorInput(forms.TextInput):
    input_type = "color"


class ColorFieldsMixin:
    """Show a colour picker for the ``color_fields`` (hex codes such as #E6007E)."""

    color_fields = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.color_fields:
            kwargs["widget"] = ColorInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PreviewLinkAdminMixin:
    """A "Voorbeeld delen" box on the change page of something with its own page: a signed
    link that shows it to someone without an account before it is public."""

    def _has_preview_page(self, obj) -> bool:
        return (
            obj is not None
            and obj.pk is not None
            and hasattr(obj, "get_absolute_url")
            and getattr(obj, "has_preview_page", True)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "preview_link"] if self._has_preview_page(obj) else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if self._has_preview_page(obj):
            fieldsets.append((_("Voorbeeld delen"), {"fields": ["preview_link"]}))
        return fieldsets

    @admin.display(description=_("voorbeeldlink"))
    def preview_link(self, obj):
        if obj.is_public:
            return _("Dit is al openbaar: deel gewoon het adres van de pagina.")
        expires = preview_link_expires_at(timezone.now())
        return format_html(
            '<textarea readonly rows="3" class="vLargeTextField preview-link" aria-label="{}">{}'
            '</textarea><div class="help">{}</div>',
            _("Voorbeeldlink om te kopiëren"),
            absolute_url(preview_url(obj)),
            _(
                "Kopieer deze link voor een school of bedrijf: wie hem heeft, ziet alleen dit "
                "item zoals het gepubliceerd wordt, zonder account en zonder iets te kunnen "
                "wijzigen. Geldig tot %(date)s."
            )
            % {"date": date_format(timezone.localtime(expires), "DATETIME_FORMAT")},
        )


@admin.action(description=_("Maak social-mediaconcepten"), permissions=["view"])
def make_social_drafts(modeladmin, request, queryset):
    """Hands the selection to the drafting page, where the channels are chosen.

    The page lives in events, which may read every kind of story; campaign only links to it.
    """
    if not request.user.has_perm("campaign.add_socialpost"):
        modeladmin.message_user(
            request, _("U mag geen social-mediaberichten maken."), messages.ERROR
        )
        return None
    content_type = ContentType.objects.get_for_model(queryset.model)
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
    query = urlencode({"ct": content_type.pk, "ids": ids})
    return HttpResponseRedirect(f"{reverse('admin:social-drafts')}?{query}")


class PublishableAdmin(PreviewLinkAdminMixin, HistoryAdmin):
    """Base for models with a draft/published state: publish and draft actions."""

    actions = ["publish", "make_draft"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.action(description=_("Publiceren"), permissions=["change"])
    def publish(self, request, queryset):
        changed = self._set_status(request, queryset, PublicationStatus.PUBLISHED)
        if not changed:
            self.message_user(request, _("Alles was al gepubliceerd."), messages.INFO)
            return
        self.message_user(
            request,
            _("%(count)d %(items)s gepubliceerd.")
            % {"count": len(changed), "items": model_ngettext(self.opts, len(changed))},
            messages.SUCCESS,
        )
        scheduled = [obj for obj in changed if obj.published_at > timezone.now()]
        if scheduled:
            self.message_user(
                request,
                ngettext(
                    "Let op: %(count)d item heeft een publicatiedatum in de toekomst en is pas vanaf dan zichtbaar.",
                    "Let op: %(count)d items hebben een publicatiedatum in de toekomst en zijn pas vanaf dan zichtbaar.",
                    len(scheduled),
                )
                % {"count": len(scheduled)},
                messages.WARNING,
            )
        now = timezone.now()
        expired = [obj for obj in changed if obj.unpublish_at and obj.unpublish_at <= now]
        if expired:
            self.message_user(
                request,
                ngettext(
                    "Let op: bij %(count)d item is ‘offline vanaf’ al voorbij; het blijft onzichtbaar tot u die datum wist of verschuift.",
                    "Let op: bij %(count)d items is ‘offline vanaf’ al voorbij; ze blijven onzichtbaar tot u die datum wist of verschuift.",
                    len(expired),
                )
                % {"count": len(expired)},
                messages.WARNING,
            )

    @admin.action(description=_("Terugzetten naar concept"), permissions=["change"])
    def make_draft(self, request, queryset):
        changed = self._set_status(request, queryset, PublicationStatus.DRAFT)
        self.message_user(
            request,
            _("%(count)d %(items)s teruggezet naar concept.")
            % {"count": len(changed), "items": model_ngettext(self.opts, len(changed))},
            messages.SUCCESS,
        )

    def _set_status(self, request, queryset, status):
        # The changelist queryset may carry aggregate annotations; update by primary key.
        pks = queryset.exclude(status=status).values_list("pk", flat=True)
        objects = list(self.model.objects.filter(pk__in=list(pks)))
        if objects:
            self.model.objects.filter(pk__in=[obj.pk for obj in objects]).update(
                status=status, updated_at=timezone.now()
            )
            LogEntry.objects.log_actions(
                request.user.pk,
                objects,
                CHANGE,
                [{"changed": {"fields": [str(self.opts.get_field("status").verbose_name)]}}],
            )
            comment = (
                gettext("Gepubliceerd.")
                if status == PublicationStatus.PUBLISHED
                else gettext("Teruggezet naar concept.")
            )
            for obj in objects:
                obj.status = status
                record_history(obj, comment=comment)
        return objects


# ---------------------------------------------------------------------------
# Campaign


@admin.register(Campaign)
class CampaignAdmin(ShareImagesAdminMixin, LogoAdminMixin, ColorFieldsMixin, PublishableAdmin):
    color_fields = ["primary_color", "secondary_color"]
    list_display = [
        "name",
        "logo_thumbnail",
        "tagline",
        "is_primary",
        "status",
        "address",
        "storyline_count",
    ]
    list_filter = ["status", "is_primary"]
    search_fields = ["name", "tagline"]
    actions = [*PublishableAdmin.actions, "make_primary"]
    # Nothing to join: the only related figure, the storyline count, is annotated.
    list_select_related = False
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "public_effect",
        "logo_preview",
        "hero_image_preview",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["public_effect", "name", "slug", "is_primary", "tagline", "intro"]}),
        (_("Publicatie"), {"fields": ["status", ("published_at", "unpublish_at")]}),
        (
            _("Beeld en kleuren"),
            {
                "fields": [
                    "logo",
                    "logo_preview",
                    "hero_image",
                    "hero_image_preview",
                    "hero_image_alt",
                    ("primary_color", "secondary_color"),
                ]
            },
        ),
        (_("Sociale media"), {"fields": ["tiktok_url", "instagram_url", "linkedin_url"]}),
        (_("Geschiedenis"), {"fields": [("created_at", "updated_at")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(storyline_total=Count("storylines"))

    def get_changeform_initial_data(self, request):
        # The first campaign of a site is its primary one: served at /.
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("is_primary", not Campaign.objects.filter(is_primary=True).exists())
        return initial

    @admin.display(description=_("verhaallijnen"), ordering="storyline_total")
    def storyline_count(self, obj):
        return obj.storyline_total

    @admin.action(description=_("Maak hoofdcampagne (op de homepagina)"), permissions=["change"])
    def make_primary(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Kies precies één campagne."), messages.ERROR)
            return
        try:
            campaign = make_primary_campaign(campaign=queryset.get())
        except CampaignError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            _("“%(name)s” staat nu op de homepagina; de andere campagnes op hun eigen adres.")
            % {"name": campaign.name},
            messages.SUCCESS,
        )

    @admin.display(description=_("adres"))
    def address(self, obj):
        return "/" if obj.is_primary else f"/{obj.slug}/"

    @admin.display(description=_("op de website"))
    def public_effect(self, obj):
        if obj is None or obj.pk is None:
            return _("Een nieuwe campagne blijft onzichtbaar tot u haar publiceert.")
        lines = campaign_public_effect(obj)
        return format_html(
            '<ul class="campaign-effect">{}</ul>',
            format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
        )

    hero_image_preview = preview_field(
        "hero_image", _("voorbeeld hoofdafbeelding"), alt_field="hero_image_alt"
    )


def campaign_public_effect(campaign) -> list[str]:
    """What the public site shows of ``campaign``, or will show once it is published: the
    warning on its change page before it goes live."""
    storylines = campaign.storylines.filter(status=PublicationStatus.PUBLISHED).count()
    videos = campaign.videos.filter(status=PublicationStatus.PUBLISHED).count()
    # Rounds and their sessions live in events: counted through the reverse relation.
    figures = campaign.rounds.filter(status=PublicationStatus.PUBLISHED).aggregate(
        rounds=Count("pk", distinct=True), sessions=Count("sessions", distinct=True)
    )
    address = "/" if campaign.is_primary else f"/{campaign.slug}/"
    contents = _(
        "%(storylines)d verhaallijnen, %(videos)d films en %(sessions)d masterclasses in "
        "%(rounds)d rondes"
    ) % {
        "storylines": storylines,
        "videos": videos,
        "sessions": figures["sessions"],
        "rounds": figures["rounds"],
    }
    primary = Campaign.objects.filter(is_primary=True).exclude(pk=campaign.pk).first()
    if campaign.is_public:
        lines = [
            _("Staat live op %(address)s met %(contents)s.")
            % {"address": address, "contents": contents}
        ]
    else:
        lines = [
            _(
                "Nog niet zichtbaar voor bezoekers (voorbeeld). Gaat live op %(address)s met %(contents)s."
            )
            % {"address": address, "contents": contents}
        ]
    if campaign.is_primary:
        lines.append(
            _(
                "Dit is de hoofdcampagne: de homepagina toont haar naam, slogan, kleuren, "
                "verhaallijnen, films en masterclasses."
            )
        )
        if not campaign.is_public:
            lines.append(_("Zolang zij niet gepubliceerd is, toont de homepagina geen campagne."))
    elif primary is not None:
        lines.append(
            _(
                "De homepagina blijft “%(primary)s” tonen; scholen en bedrijven tonen "
                "ook wat zij in deze campagne doen."
            )
            % {"primary": primary.name}
        )
    else:
        lines.append(
            _(
                "Er is geen hoofdcampagne: vink ‘hoofdcampagne’ aan om deze campagne op "
                "de homepagina (/) te tonen."
            )
        )
    return lines


# ---------------------------------------------------------------------------
# Storyline and its messages per audience


def message_add_url(storyline, audience, *, back_to_matrix=False):
    params = {"storyline": storyline.pk, "audience": audience}
    if back_to_matrix:
        params["matrix"] = "1"
    return reverse("admin:campaign_audiencemessage_add") + "?" + urlencode(params)


def message_change_url(message, *, back_to_matrix=False):
    url = reverse("admin:campaign_audiencemessage_change", args=[message.pk])
    return url + "?matrix=1" if back_to_matrix else url


def messages_by_audience(storyline):
    """The storyline's messages keyed by audience; uses the prefetched ``messages``."""
    return {message.audience: message for message in storyline.messages.all()}


class AudienceColumn:
    """One changelist column of the storyline × audience matrix: ✓ or a link to fill the gap."""

    def __init__(self, audience):
        self.audience = audience
        self.__name__ = f"message_{audience.value}"
        self.short_description = audience.label

    def __call__(self, storyline):
        message = messages_by_audience(storyline).get(self.audience.value)
        if message:
            # aria-label, not a visually hidden span: an absolutely positioned span would
            # escape the list's horizontal scroll box and widen the page on phones.
            return format_html(
                '<a href="{}" title="{}" aria-label="{}">✓</a>',
                message_change_url(message),
                message.headline,
                _("aanwezig: %(headline)s") % {"headline": message.headline},
            )
        return format_html(
            '<a href="{}" class="addlink">{}</a>',
            message_add_url(storyline, self.audience.value),
            _("ontbreekt"),
        )


class MessagesCompleteFilter(admin.SimpleListFilter):
    title = _("boodschappen")
    parameter_name = "boodschappen"

    def lookups(self, request, model_admin):
        return [("ontbreekt", _("mist een doelgroep")), ("compleet", _("compleet"))]

    def queryset(self, request, queryset):
        if self.value() not in ("ontbreekt", "compleet"):
            return queryset
        queryset = queryset.annotate(message_total=Count("messages", distinct=True))
        if self.value() == "ontbreekt":
            return queryset.filter(message_total__lt=len(Audience))
        return queryset.filter(message_total__gte=len(Audience))


class UniqueChoiceInlineFormSet(forms.BaseInlineFormSet):
    """An inline in which each choice of ``unique_field`` may occur once per parent row.

    Django's own duplicate check names the fields by their code names ("company en
    kind"); this one speaks Dutch and names the value.
    """

    unique_field = ""
    duplicate_message = ""  # with %(value)s

    def clean(self):
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            value = form.cleaned_data.get(self.unique_field)
            if value in seen:
                label = dict(form.fields[self.unique_field].choices).get(value, value)
                raise ValidationError(
                    self.duplicate_message, params={"value": label}, code="duplicate"
                )
            seen.add(value)
        super().clean()


def message_text_check(message):
    """The readability panel of an audience message, measured as saved."""
    if not message or not message.pk:
        return _("Te zien na opslaan.")
    return text_check_panel(message.headline, rich=message.body, audience=message.audience)


class AudienceMessageInlineFormSet(UniqueChoiceInlineFormSet):
    unique_field = "audience"
    duplicate_message = _("Elke doelgroep krijgt één boodschap: %(value)s staat er twee keer in.")


class AudienceMessageInline(admin.StackedInline):
    model = AudienceMessage
    formset = AudienceMessageInlineFormSet
    fields = ["audience", "headline", "body", ("cta_label", "cta_url"), "text_check"]
    readonly_fields = ["text_check"]
    max_num = len(Audience)
    extra = 0

    @admin.display(description=_("leesbaarheid"))
    def text_check(self, obj):
        return message_text_check(obj)

    def get_queryset(self, request):
        # The order of the Audience choices (pupil first), not the alphabet of their codes.
        order = Case(
            *(When(audience=value, then=index) for index, value in enumerate(Audience.values)),
            default=len(Audience),
        )
        return super().get_queryset(request).order_by(order)

    def get_extra(self, request, obj=None, **kwargs):
        # One empty form per audience that has no message yet, pre-set to that audience.
        return len(self._missing_audiences(obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        missing = self._missing_audiences(obj)

        class PrefilledFormSet(formset):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("initial", [{"audience": value} for value in missing])
                super().__init__(*args, **kwargs)

        return PrefilledFormSet

    def _missing_audiences(self, obj):
        present = set(obj.messages.values_list("audience", flat=True)) if obj else set()
        return [value for value in Audience.values if value not in present]


@admin.register(Storyline)
class StorylineAdmin(ShareImagesAdminMixin, ColorFieldsMixin, PublishableAdmin):
    actions = [*PublishableAdmin.actions, make_social_drafts]
    color_fields = ["color"]
    list_display = [
        "title_with_icon",
        "hero_thumbnail",
        "campaign",
        "status",
        "published_at",
        "order",
        *(AudienceColumn(audience) for audience in Audience),
    ]
    list_display_links = ["title_with_icon"]
    list_filter = ["status", "campaign", MessagesCompleteFilter]
    search_fields = ["title", "slug", "pupil_text"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["hero_image_preview", "pupil_text_check", "created_at", "updated_at"]
    inlines = [AudienceMessageInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "campaign",
                    "title",
                    "slug",
                    ("icon", "color"),
                    "pupil_text",
                    "pupil_text_check",
                ]
            },
        ),
        (_("Afbeelding"), {"fields": ["hero_image", "hero_image_preview", "hero_image_alt"]}),
        (
            _("Publicatie"),
            {
                "fields": [
                    "status",
                    ("published_at", "unpublish_at"),
                    "order",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "messages",
                    queryset=AudienceMessage.objects.only(
                        "pk", "storyline_id", "audience", "headline"
                    ),
                )
            )
        )

    def get_urls(self):
        return [
            path(
                "matrix/",
                self.admin_site.admin_view(self.matrix_view),
                name="campaign_storyline_matrix",
            ),
            *super().get_urls(),
        ]

    def get_changeform_initial_data(self, request):
        # A new storyline goes to the end of the list, not before the finished ones.
        initial = super().get_changeform_initial_data(request)
        last = Storyline.objects.aggregate(last=Max("order"))["last"]
        initial.setdefault("order", 0 if last is None else last + 1)
        return initial

    @admin.display(description=_("titel"), ordering="title")
    def title_with_icon(self, obj):
        return format_html("{} {}", icon(obj.icon), obj.title)

    hero_thumbnail = thumbnail_column("hero_image", _("afbeelding"))
    hero_image_preview = preview_field("hero_image", _("voorbeeld"), alt_field="hero_image_alt")

    @admin.display(description=_("leesbaarheid tekst voor leerlingen"))
    def pupil_text_check(self, obj):
        if not obj or not obj.pk:
            return _("Te zien na opslaan.")
        return text_check_panel(obj.pupil_text, audience=Audience.PUPIL)

    def matrix_view(self, request):
        """Every storyline × audience cell, with a link to fill each empty one."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        campaigns = list(Campaign.objects.all())
        selected = next(
            (c for c in campaigns if str(c.pk) == request.GET.get("campaign", "")), None
        )
        # The whole messages, not the changelist's headlines only: each cell is measured.
        storylines = (
            Storyline.objects.select_related("campaign")
            .prefetch_related("messages")
            .order_by("campaign__name", "order", "title")
        )
        if selected:
            storylines = storylines.filter(campaign=selected)
        can_add = request.user.has_perm("campaign.add_audiencemessage")
        rows = []
        for storyline in storylines:
            by_audience = messages_by_audience(storyline)
            rows.append(
                {
                    "storyline": storyline,
                    "change_url": reverse("admin:campaign_storyline_change", args=[storyline.pk]),
                    "cells": [
                        {
                            "audience": audience,
                            "message": by_audience.get(audience.value),
                            "check": (
                                check_text(
                                    by_audience[audience.value].headline,
                                    rich=by_audience[audience.value].body,
                                    audience=audience.value,
                                )
                                if audience.value in by_audience
                                else None
                            ),
                            "url": (
                                message_change_url(by_audience[audience.value], back_to_matrix=True)
                                if audience.value in by_audience
                                else (
                                    message_add_url(storyline, audience.value, back_to_matrix=True)
                                    if can_add
                                    else ""
                                )
                            ),
                        }
                        for audience in Audience
                    ],
                }
            )
        missing = sum(1 for row in rows for cell in row["cells"] if not cell["message"])
        over_target = sum(
            1
            for row in rows
            for cell in row["cells"]
            if cell["check"] and cell["check"].is_above_target
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Boodschappen per verhaallijn en doelgroep"),
            "audiences": list(Audience),
            "rows": rows,
            "missing": missing,
            "over_target": over_target,
            "total": len(rows) * len(Audience),
            "campaigns": campaigns,
            "selected_campaign": selected,
        }
        return TemplateResponse(request, "admin/campaign/storyline/matrix.html", context)


@admin.register(AudienceMessage)
class AudienceMessageAdmin(HistoryAdmin):
    list_display = ["headline", "storyline", "audience", "cta_label"]
    list_filter = ["audience", "storyline__campaign", "storyline"]
    search_fields = ["headline", "body", "storyline__title"]
    list_select_related = ["storyline"]
    autocomplete_fields = ["storyline"]
    fields = ["storyline", "audience", "headline", "body", ("cta_label", "cta_url"), "text_check"]
    readonly_fields = ["text_check"]

    @admin.display(description=_("leesbaarheid"))
    def text_check(self, obj):
        return message_text_check(obj)

    def _back_to_matrix(self, request, response):
        # Opened from the matrix: a plain "save" returns there.
        if request.GET.get("matrix") and not {"_continue", "_addanother", "_saveasnew"} & set(
            request.POST
        ):
            return HttpResponseRedirect(reverse("admin:campaign_storyline_matrix"))
        return response

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_matrix(request, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._back_to_matrix(request, super().response_change(request, obj))


# ---------------------------------------------------------------------------
# Media, pages and social posts


@admin.register(Video)
class VideoAdmin(PublishableAdmin):
    actions = [*PublishableAdmin.actions, make_social_drafts]
    list_display = [
        "title",
        "poster_thumbnail",
        "kind",
        "storyline",
        "campaign",
        "source",
        "status",
        "published_at",
    ]
    list_filter = ["kind", "status", "campaign", "storyline"]
    search_fields = ["title", "description", "transcript"]
    list_select_related = ["campaign", "storyline"]
    autocomplete_fields = ["campaign", "storyline"]
    date_hierarchy = "published_at"
    readonly_fields = ["poster_preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["campaign", "storyline", "kind", "title", "description"]}),
        (
            _("Bron"),
            {
                "fields": ["video_file", "external_url", "duration_seconds"],
                "description": _("Upload een videobestand óf geef een externe link."),
            },
        ),
        (_("Poster"), {"fields": ["poster", "poster_preview", "poster_alt"]}),
        (_("Toegankelijkheid"), {"fields": ["captions", "transcript"]}),
        (
            _("Publicatie"),
            {
                "fields": [
                    "status",
                    ("published_at", "unpublish_at"),
                    "order",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]

    poster_thumbnail = thumbnail_column("poster", _("poster"))
    poster_preview = preview_field("poster", _("voorbeeld poster"), alt_field="poster_alt")

    @admin.display(description=_("bron"))
    def source(self, obj):
        return _("bestand") if obj.video_file else _("extern")


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["title", "audience", "campaign", "status", "published_at", "order"]
    list_filter = ["status", "audience", "campaign"]
    search_fields = ["title", "slug", "intro", "body"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [*PublishableAdmin.readonly_fields, "text_check"]
    fieldsets = [
        (
            None,
            {"fields": ["campaign", "title", "slug", "audience", "intro", "body", "text_check"]},
        ),
        (
            _("Publicatie"),
            {
                "fields": [
                    "status",
                    ("published_at", "unpublish_at"),
                    "order",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]

    @admin.display(description=_("leesbaarheid"))
    def text_check(self, obj):
        if not obj or not obj.pk:
            return _("Te zien na opslaan.")
        return text_check_panel(obj.title, obj.intro, rich=obj.body, audience=obj.audience)


class MarkPostedForm(forms.Form):
    url = forms.URLField(
        label=_("Link naar het geplaatste bericht"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": _("Geef de link naar het geplaatste bericht."),
            "invalid": _("Geef een geldige link, bijvoorbeeld https://www.linkedin.com/…"),
        },
    )


@admin.register(SocialPost)
class SocialPostAdmin(HistoryAdmin):
    list_display = [
        "title",
        "image_thumbnail",
        "channel",
        "audience",
        "storyline",
        "status",
        "planned_week",
    ]
    list_filter = ["status", "channel", "audience", "campaign", "storyline"]
    search_fields = ["title", "text"]
    list_select_related = ["campaign", "storyline"]
    autocomplete_fields = ["campaign", "storyline"]
    date_hierarchy = "planned_week"
    readonly_fields = ["image_preview", "story_link", "featured", "posting_kit", "created_at"]
    fieldsets = [
        (_("Plaatsen"), {"fields": ["posting_kit"]}),
        (None, {"fields": ["campaign", "storyline", "channel", "audience", "title"]}),
        (
            _("Bericht"),
            {"fields": ["text", "link_url", "image", "image_alt", "image_preview", "video_url"]},
        ),
        (_("Herkomst"), {"fields": ["story_link", "featured"]}),
        (
            _("Planning"),
            {
                "fields": [
                    "status",
                    "planned_week",
                    "planned_for",
                    "posted_at",
                    "posted_url",
                    "created_at",
                ]
            },
        ),
    ]

    class Media:
        js = ["js/copy-text.js"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/geplaatst/",
                self.admin_site.admin_view(self.mark_posted_view),
                name="campaign_socialpost_mark_posted",
            ),
            *super().get_urls(),
        ]

    def _share_source(self, obj):
        """The page whose share images fit this post: its story, else storyline or campaign."""
        for row in (obj.story, obj.storyline, obj.campaign):
            if row is not None and type(row).__name__.lower() in KINDS:
                return row
        return None

    @admin.display(description=_("tekst en afbeeldingen"))
    def posting_kit(self, obj):
        if not obj or not obj.pk:
            return _("Te zien na opslaan.")
        source = self._share_source(obj)
        downloads = (
            format_html_join(
                "",
                '<li><a href="{}" download>{} ({} × {} px)</a></li>',
                (
                    (share_image_admin_url(source, size), SIZE_LABELS[key], size[0], size[1])
                    for key, size in SIZES.items()
                ),
            )
            if source is not None
            else ""
        )
        posted = reverse("admin:campaign_socialpost_mark_posted", args=[obj.pk])
        return format_html(
            '<label for="posting-text">{}</label>'
            '<textarea id="posting-text" readonly rows="10" cols="80">{}</textarea>'
            '<p><button type="button" class="button" data-copy-from="posting-text" '
            'data-copied="{}" data-copy-failed="{}" hidden>{}</button> <span data-copy-status aria-live="polite"></span></p>'
            "<ul>{}</ul>"
            '<p><a class="button" href="{}">{}</a></p>',
            gettext("Tekst om te kopiëren"),
            obj.text,
            gettext("Gekopieerd."),
            gettext("Kopiëren lukte niet; de tekst is geselecteerd."),
            gettext("Kopieer tekst"),
            downloads,
            posted,
            gettext("Markeer als geplaatst"),
        )

    def mark_posted_view(self, request, object_id):
        post = self.get_object(request, object_id)
        if post is None:
            raise Http404
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        form = MarkPostedForm(request.POST or None, initial={"url": post.posted_url})
        if request.method == "POST" and form.is_valid():
            try:
                mark_social_post_posted(post=post, url=form.cleaned_data["url"])
            except SocialPostError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, gettext("Het bericht staat als geplaatst."))
                return HttpResponseRedirect(
                    reverse("admin:campaign_socialpost_change", args=[post.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Markeer als geplaatst"),
            "original": post,
            "form": form,
        }
        return TemplateResponse(request, "admin/campaign/socialpost/mark_posted.html", context)

    @admin.display(description=_("verhaal"))
    def story_link(self, obj):
        story = obj.story if obj else None
        if story is None:
            return "—"
        url = story.get_absolute_url() if hasattr(story, "get_absolute_url") else ""
        return format_html('<a href="{}">{}</a>', url, story) if url else str(story)

    image_thumbnail = thumbnail_column("image", _("afbeelding"))
    image_preview = preview_field("image", _("voorbeeld"))


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What became of each queued mail; a record of deliveries, so nobody edits it."""

    list_display = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "queued_at",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status"]
    search_fields = ["subject", "recipients"]
    list_select_related = False
    date_hierarchy = "queued_at"
    fields = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "last_error",
        "queued_at",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "id",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # prune_mail_history forgets old mails; a record of a waiting mail must stay.
        return False


# ---------------------------------------------------------------------------
# Photo register


def _usage_list(usages):
    if not usages:
        return _("nergens")
    items = []
    for usage in usages:
        try:
            url = reverse(
                f"admin:{usage['app_label']}_{usage['model_name']}_change", args=[usage["pk"]]
            )
        except NoReverseMatch:
            url = ""
        label = format_html("{} “{}” ({})", usage["model"], usage["object"], usage["field"])
        items.append(format_html('<a href="{}">{}</a>', url, label) if url else label)
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))


class PhotoAdminForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["shows_pupils", "consent_declared_by", "consent_declared_at"]

    def clean(self):
        cleaned = super().clean()
        # A declaration recorded today is the common case: fill in the moment.
        if cleaned.get("consent_declared_by", "").strip() and not cleaned.get(
            "consent_declared_at"
        ):
            cleaned["consent_declared_at"] = timezone.now()
        return cleaned


@admin.register(Photo)
class PhotoAdmin(ActingUserMixin, admin.ModelAdmin):
    """The register of stored photos: pupils on it, the parents' consent, where used, withdrawal."""

    form = PhotoAdminForm
    list_display = ["photo_thumbnail", "used_in", "pupils", "consent", "withdrawn_at"]
    list_filter = [
        "shows_pupils",
        ("consent_declared_by", admin.EmptyFieldListFilter),
        ("withdrawn_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    search_fields = ["file", "consent_declared_by"]
    list_select_related = False  # No relations: usages are looked up once per page.
    date_hierarchy = "created_at"
    actions = ["withdraw"]
    readonly_fields = [
        "photo_preview",
        "file_name",
        "used_in",
        "created_at",
        "withdrawn_at",
        "withdrawn_by",
    ]
    fieldsets = [
        (None, {"fields": ["photo_preview", "file_name", "used_in", "created_at"]}),
        (
            _("Toestemming"),
            {
                "fields": ["shows_pupils", "consent_declared_by", "consent_declared_at"],
                "description": _(
                    "Staan er herkenbare leerlingen op, noteer dan wie verklaarde dat hun "
                    "ouders toestemming gaven, en wanneer."
                ),
            },
        ),
        (_("Intrekken"), {"fields": ["withdrawn_at", "withdrawn_by"]}),
    ]

    def has_add_permission(self, request):
        # Photos enter the register when an image field stores them.
        return False

    def has_delete_permission(self, request, obj=None):
        # Withdraw instead: that removes the files and keeps the record of where it was used.
        return False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.result_list = list(changelist.result_list)
        current = find_usages(
            [photo.file.name for photo in changelist.result_list if not photo.is_withdrawn]
        )
        for photo in changelist.result_list:
            photo.current_usages = current.get(photo.file.name, [])
        return changelist

    @admin.display(description=_("foto"))
    def photo_thumbnail(self, obj):
        if obj.is_withdrawn:
            return _("ingetrokken")
        return thumbnail(obj.file)

    @admin.display(description=_("leerlingen?"), boolean=True, ordering="shows_pupils")
    def pupils(self, obj):
        return obj.shows_pupils

    @admin.display(description=_("bestand"))
    def file_name(self, obj):
        # Plain text: a link would lead nowhere once the photo is withdrawn.
        return obj.file.name

    @admin.display(description=_("toestemming"), ordering="consent_declared_at")
    def consent(self, obj):
        if not obj.consent_declared_by:
            return "—"
        return format_html(
            "{}<br>{}",
            obj.consent_declared_by,
            date_format(timezone.localtime(obj.consent_declared_at), "SHORT_DATETIME_FORMAT"),
        )

    @admin.display(description=_("voorbeeld"))
    def photo_preview(self, obj):
        if obj.is_withdrawn:
            return _("ingetrokken")
        return thumbnail(obj.file, large=True)

    @admin.display(description=_("gebruikt in"))
    def used_in(self, obj):
        if obj.is_withdrawn:
            return format_html("{} {}", _("Stond in (tot het intrekken):"), _usage_list(obj.usages))
        usages = getattr(obj, "current_usages", None)
        return _usage_list(obj.find_usages() if usages is None else usages)

    @admin.action(
        description=_("Foto intrekken: overal weghalen en verwijderen"), permissions=["change"]
    )
    def withdraw(self, request, queryset):
        withdrawn = 0
        for photo in queryset:
            try:
                withdraw_photo(photo=photo, withdrawn_by=request.user.get_username())
            except PhotoError as error:
                self.message_user(request, f"{photo}: {error}", messages.WARNING)
                continue
            withdrawn += 1
        if withdrawn:
            self.message_user(
                request,
                ngettext(
                    "%(count)d foto ingetrokken: van alle pagina's gehaald en met alle formaten verwijderd.",
                    "%(count)d foto's ingetrokken: van alle pagina's gehaald en met alle formaten verwijderd.",
                    withdrawn,
                )
                % {"count": withdrawn},
                messages.SUCCESS,
            )


# The region's admin lives in its own module; importing it registers it.
import campaign.region_admin  # noqa: E402, F401
