"""Revisions of content (django-reversion): who changed what and why, compared and restored.

Every admin save of a content model keeps a version of the row and of the rows edited
inline with it. Services that change a state (moderation, publication, sign-ups, link
renewal) add a revision with their reason through ``record_history``, from the admin and
from the public site alike.
"""

import datetime as dt
import difflib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from campaign.richtext import RichTextField, rich_text_to_plain

# The coordinator behind an admin request, for revisions that services record on their own.
_acting_user: ContextVar = ContextVar("acting_user", default=None)


@contextmanager
def acting_user(user):
    """Let revisions recorded inside this block name ``user`` as the one who acted."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


def record_history(obj, *, comment: str, via_website: bool = False) -> None:
    """Keep a revision of ``obj`` with the reason it changed.

    Inside an admin save it joins that save's revision, so the history shows one line
    with the form's changes and the reason.
    """
    if via_website:
        comment = gettext("%(comment)s (via de website)") % {"comment": comment}
    with reversion.create_revision():
        if reversion.get_user() is None and _acting_user.get() is not None:
            reversion.set_user(_acting_user.get())
        reversion.add_to_revision(obj)
        earlier = reversion.get_comment()
        reversion.set_comment(f"{earlier}\n{comment}" if earlier else comment)


# ---------------------------------------------------------------------------
# Compare


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    diff: SafeString | None = None  # word by word, for texts


@dataclass
class ObjectChanges:
    label: str
    state: str = ""  # "toegevoegd", "verwijderd" or empty
    changes: list[FieldChange] = field(default_factory=list)


def word_diff(old: str, new: str) -> SafeString:
    """The words of ``new`` with removed words in <del> and added words in <ins>."""
    old_words, new_words = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    parts = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(format_html("{}", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", " ".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", " ".join(new_words[j1:j2])))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def _readable(instance, model_field, m2m_data) -> str:
    """A field's value as a coordinator reads it: text, not HTML, ids or codes."""
    if model_field.many_to_many:
        ids = m2m_data.get(model_field.name, [])
        related = getattr(instance, model_field.name).model
        return ", ".join(sorted(str(row) for row in related.objects.filter(pk__in=ids)))
    if model_field.is_relation:
        try:
            value = getattr(instance, model_field.name)
        except ObjectDoesNotExist:
            return gettext("(verwijderd)")
        return "" if value is None else str(value)
    value = getattr(instance, model_field.attname)
    if isinstance(model_field, RichTextField):
        return rich_text_to_plain(value)
    if model_field.choices and value not in (None, ""):
        return str(getattr(instance, f"get_{model_field.name}_display")())
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nee")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, FieldFile):
        return value.name or ""
    if value is None:
        return ""
    return str(localize(value))


def _field_changes(old: Version | None, new: Version | None, fields) -> list[FieldChange]:
    old_object = old._object_version if old else None
    new_object = new._object_version if new else None
    changes = []
    for model_field in fields:
        before = (
            _readable(old_object.object, model_field, old_object.m2m_data) if old_object else ""
        )
        after = _readable(new_object.object, model_field, new_object.m2m_data) if new_object else ""
        if before == after:
            continue
        is_text = isinstance(model_field, models.CharField | models.TextField)
        changes.append(
            FieldChange(
                label=capfirst(model_field.verbose_name),
                old=before,
                new=after,
                diff=word_diff(before, after) if is_text else None,
            )
        )
    return changes


# Kept by the model itself on every save: a change there says nothing to a coordinator.
UNCOMPARED = {"id", "created_at", "updated_at"}


def _compared_fields(version: Version):
    registered = set(version.field_dict)
    return [
        model_field
        for model_field in version._object_version.object._meta.get_fields()
        if model_field.concrete
        and model_field.name in registered
        and model_field.name not in UNCOMPARED
    ]


def compare_revisions(old: Version, new: Version) -> list[ObjectChanges]:
    """The differences between two versions of one object, and of the rows kept with it."""
    result = [
        ObjectChanges(
            label=new.object_repr,
            changes=_field_changes(old, new, _compared_fields(new)),
        )
    ]
    key = (new.content_type_id, new.object_id)
    old_others = {
        (v.content_type_id, v.object_id): v
        for v in old.revision.version_set.select_related("content_type")
    }
    new_others = {
        (v.content_type_id, v.object_id): v
        for v in new.revision.version_set.select_related("content_type")
    }
    for other in sorted(old_others.keys() | new_others.keys()):
        if other == key:
            continue
        before, after = old_others.get(other), new_others.get(other)
        either = after or before
        state = ""
        if before is None:
            state = gettext("toegevoegd")
        elif after is None:
            state = gettext("verwijderd")
        changes = _field_changes(before, after, _compared_fields(either))
        if changes:
            label = f"{capfirst(either.content_type.name)}: {either.object_repr}"
            result.append(ObjectChanges(label=label, state=state, changes=changes))
    return result


# ---------------------------------------------------------------------------
# Admin


class ActingUserMixin:
    """For admins that keep no revisions themselves but call services that record some."""

    def changelist_view(self, request, extra_context=None):
        with acting_user(request.user):
            return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with acting_user(request.user):
            return super().changeform_view(request, object_id, form_url, extra_context)


class HistoryAdmin(VersionAdmin):
    """An admin whose saves keep revisions, with a Dutch history to compare and restore."""

    # Kept out of every version: secrets that a restore must never bring back.
    history_exclude: tuple[str, ...] = ()
    # Kept at their current values when a version is restored: states that change only
    # through their service (moderation), never by bringing back an old version.
    history_restore_keeps: tuple[str, ...] = ()
    # Inline models whose rows are personal data, and their reverse relations: never kept.
    history_private_models: tuple[type[models.Model], ...] = ()
    history_unfollowed: tuple[str, ...] = ()

    # Django's own lookup, so per-model change_list templates keep working.
    change_list_template = None
    history_latest_first = True

    def reversion_register(self, model, **kwargs):
        if model is self.model:
            kwargs["exclude"] = self.history_exclude
            kwargs["follow"] = tuple(
                name for name in kwargs.get("follow", ()) if name not in self.history_unfollowed
            )
        if model in self.history_private_models:
            return
        super().reversion_register(model, **kwargs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/vergelijk/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    # Bulk actions on the list record one revision per row (see record_history), so that a
    # restore of one row never reverts the others that were published along with it.
    def changelist_view(self, request, extra_context=None):
        with acting_user(request.user):
            return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with acting_user(request.user):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if hasattr(request, "history_kept_values"):
            for name, value in request.history_kept_values.items():
                setattr(obj, name, value)
            self._drop_missing_files(request, obj)
        super().save_model(request, obj, form, change)

    def _drop_missing_files(self, request, obj):
        # An old version may name a photo that was withdrawn (consent) or re-encoded since:
        # its file is gone, and a restore must not point a page at it.
        for model_field in self.opts.get_fields():
            if not isinstance(model_field, models.FileField):
                continue
            file = getattr(obj, model_field.attname)
            if file and not file.storage.exists(file.name):
                setattr(obj, model_field.attname, "")
                self.message_user(
                    request,
                    gettext(
                        "‘%(field)s’ van die versie bestaat niet meer (ingetrokken of "
                        "vervangen) en is leeggemaakt; kies zo nodig een nieuwe."
                    )
                    % {"field": capfirst(model_field.verbose_name)},
                    messages.WARNING,
                )

    def log_change(self, request, object, message):
        reason = reversion.get_comment() if reversion.is_active() else ""
        entry = super().log_change(request, object, message)
        if reason and reversion.is_active():
            reversion.set_comment(f"{reversion.get_comment()}\n{reason}")
        return entry

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Of this model only: reversion itself would revert another model's revision that
        # shares the id, past that model's permissions.
        version = get_object_or_404(
            Version.objects.get_for_model(self.model), pk=version_id, object_id=unquote(object_id)
        )
        # The version lacks the excluded fields, so the revert gives them their defaults
        # (a new secret); save_model puts the current values of those and of the kept
        # fields back.
        current = self.get_object(request, unquote(object_id))
        kept = (*self.history_exclude, *self.history_restore_keeps)
        request.history_kept_values = {name: getattr(current, name) for name in kept if current}
        context = {
            "title": gettext("Versie terugzetten: %(name)s") % {"name": version.object_repr},
            "restored_version": version,
            **(extra_context or {}),
        }
        response = super().revision_view(request, object_id, version_id, context)
        if request.method == "POST" and response.status_code == 302:
            self.message_user(
                request,
                gettext(
                    "De versie van %(date)s is teruggezet. De versie daarvoor blijft in de "
                    "geschiedenis bewaard."
                )
                % {
                    "date": date_format(
                        timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
                    )
                },
            )
        return response

    def recover_view(self, request, version_id, extra_context=None):
        get_object_or_404(Version.objects.get_for_model(self.model), pk=version_id)
        return super().recover_view(request, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        versions = (
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision__user")
            .order_by("-pk")
        )
        context = {
            "action_list": [
                {
                    "revision": version.revision,
                    "version": version,
                    "url": reverse(
                        "{}:{}_{}_revision".format(*info),
                        args=[quote(version.object_id), version.pk],
                    ),
                }
                for version in versions
            ],
            "title": gettext("Geschiedenis: %(name)s")
            % {"name": self.get_object(request, unquote(object_id)) or ""},
            "compare_url": reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_compare",
                args=[quote(unquote(object_id))],
            ),
            **(extra_context or {}),
        }
        # Django's view with our list: VersionAdmin's would build one without the versions.
        return admin.ModelAdmin.history_view(self, request, object_id, context)

    def compare_view(self, request, object_id):
        """Two versions of one object side by side, field by field."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        versions = (
            Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk")
        )
        try:
            chosen = [versions.get(pk=int(request.GET[name])) for name in ("van", "naar")]
        except (KeyError, ValueError, Version.DoesNotExist):
            chosen = list(versions[:2])[::-1]
        if len(chosen) < 2:
            raise Http404(gettext("Er zijn nog geen twee versies om te vergelijken."))
        old, new = sorted(chosen, key=lambda version: version.pk)
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "object_id": object_id,
            "title": gettext("Versies vergelijken: %(name)s") % {"name": obj},
            "old": old,
            "new": new,
            "objects": compare_revisions(old, new),
            "restore_url": reverse("{}:{}_{}_revision".format(*info), args=[quote(obj.pk), old.pk]),
            "history_url": reverse("{}:{}_{}_history".format(*info), args=[quote(obj.pk)]),
        }
        return TemplateResponse(request, "admin/history_compare.html", context)
