"""Writes that span rows: the photo register (every app's image fields and storage), social
posts, and which campaign is the primary one."""

import posixpath

import reversion
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.history import record_history
from campaign.images import (
    CLEAN_NAME,
    delete_stored_image,
    private_image_fields,
    registered_rows,
)
from campaign.models import Campaign, Photo, SocialPost, monday_of


class PhotoError(Exception):
    """A register step that the photo's state does not allow."""


def withdraw_photo(*, photo: Photo, withdrawn_by: str) -> Photo:
    """Take a photo off every page at once, then delete it and all its renditions."""
    with transaction.atomic():
        # Lock the row: two coordinators withdrawing at once must not both record usages.
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
        if photo.is_withdrawn:
            raise PhotoError(_("Deze foto is al ingetrokken."))
        name = photo.file.name
        photo.usages = photo.find_usages()
        for field in private_image_fields():
            rows = list(registered_rows(field).filter(**{field.name: name}))
            registered_rows(field).filter(**{field.name: name}).update(**{field.name: ""})
            for row in rows:
                setattr(row, field.attname, "")
                if reversion.is_registered(type(row)):
                    record_history(
                        row,
                        comment=_("Foto ingetrokken (%(field)s).") % {"field": field.verbose_name},
                    )
        photo.withdrawn_at = timezone.now()
        photo.withdrawn_by = withdrawn_by[:150]
        photo.save(update_fields=["usages", "withdrawn_at", "withdrawn_by"])
        # Files go only once no page can point at them any more.
        transaction.on_commit(lambda: delete_stored_image(name, photo.file.storage))
    return photo


def is_clean_stored_image(name: str) -> bool:
    """True for a file the image field stored itself: a random name and a register row."""
    return bool(CLEAN_NAME.search(name)) and Photo.objects.filter(file=name).exists()


def reencode_stored_image(*, row, field) -> str:
    """Store a clean copy of ``row``'s image under a new name and point every use at it.

    The register row (consent) moves to the new name; the old file and its renditions
    are deleted once the database agrees. Returns the new name.
    """
    field_file = getattr(row, field.attname)
    old_name = field_file.name
    with field_file.storage.open(old_name, "rb") as handle:
        field_file.save(posixpath.basename(old_name), File(handle), save=False)
    new_name = field_file.name
    with transaction.atomic():
        # The same file may be shown by several rows (copied in the shell, a demo rerun).
        for other in private_image_fields():
            registered_rows(other).filter(**{other.name: old_name}).update(**{other.name: new_name})
        old_photo = Photo.objects.filter(file=old_name).first()
        if old_photo is not None:
            Photo.objects.filter(file=new_name).update(
                shows_pupils=old_photo.shows_pupils,
                consent_declared_by=old_photo.consent_declared_by,
                consent_declared_at=old_photo.consent_declared_at,
                created_at=old_photo.created_at,
            )
            old_photo.delete()
        transaction.on_commit(lambda: delete_stored_image(old_name, field_file.storage))
    return new_name


class SocialPostError(Exception):
    """A post that may not be marked as posted (yet)."""


def mark_social_post_posted(*, post: SocialPost, url: str) -> SocialPost:
    """Record that a coordinator placed the post by hand, with the link to the real post."""
    with transaction.atomic():
        post = SocialPost.objects.select_for_update().get(pk=post.pk)
        post.status = SocialPost.Status.POSTED
        post.posted_url = url
        post.posted_at = post.posted_at or timezone.now()
        # A post placed without a planned week lands in the calendar's week it went out.
        post.planned_week = post.planned_week or monday_of(timezone.localdate(post.posted_at))
        problems = post.channel_problems()
        if problems:
            raise SocialPostError(" ".join(str(m) for ms in problems.values() for m in ms))
        post.save(update_fields=["status", "posted_url", "posted_at", "planned_week"])
        record_history(post, comment=_("Gemarkeerd als geplaatst."))
    return post


class CampaignError(Exception):
    """A campaign change the campaign's state does not allow."""


def make_primary_campaign(*, campaign: Campaign) -> Campaign:
    """Serve ``campaign`` at / instead of the primary one, in one step: the other one moves
    to its own address /<slug>/, and there is never a moment without or with two primaries."""
    with transaction.atomic():
        # Lock every campaign row: two coordinators switching at once must not both win.
        rows = list(Campaign.objects.select_for_update().order_by("pk"))
        campaign = next(row for row in rows if row.pk == campaign.pk)
        if not campaign.is_public:
            raise CampaignError(
                _("Publiceer “%(name)s” eerst: de homepagina toont alleen een openbare campagne.")
                % {"name": campaign.name}
            )
        if campaign.is_primary:
            return campaign
        Campaign.objects.filter(is_primary=True).update(is_primary=False)
        Campaign.objects.filter(pk=campaign.pk).update(is_primary=True)
        campaign.is_primary = True
        record_history(campaign, comment=_("Hoofdcampagne gemaakt."))
    return campaign
