"""Media on S3-compatible object storage (django-storages), when a bucket is configured.

What the public may fetch straight from the bucket is what the pages link to: image
renditions (``renditions/``, which holds the share images too), videos and their
captions. The stored originals of images are private objects: a school-news photo of
pupils that is still waiting for moderation, or was rejected, cannot be fetched by
anyone who learns its name; coordinators see it in the admin through a signed link that
expires. A withdrawn photo is deleted with all its renditions (campaign.services).

Every object gets the same headers rules as local media behind nginx (README): only
pictures, videos and captions are shown inline, anything else is a download.
"""

import mimetypes
import posixpath
from functools import cached_property
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from config.media import INLINE_TYPES

# Types the browser may show; the rest is sent as a download (like config.media).
mimetypes.add_type("text/vtt", ".vtt")
PUBLIC_EXTENSIONS = {".mp4", ".webm", ".vtt"}
# Renditions and share images have names made of a hash of their source and size, so
# they never change; a day keeps a withdrawn photo out of browser caches soon enough.
CACHE_CONTROL = "public, max-age=86400"


def is_public_media(name: str) -> bool:
    """True for what pages link to: renditions, videos and captions; not image originals."""
    name = clean_name(name)
    if name.startswith(f"{settings.IMAGEKIT_CACHEFILE_DIR.strip('/')}/"):
        return True
    return posixpath.splitext(name)[1].lower() in PUBLIC_EXTENSIONS


class MediaStorage(S3Storage):
    """Uploaded files in a bucket: public renditions and videos, private originals."""

    # Public objects get plain URLs (cheap to compute, the same for every visitor, so a
    # cached page stays valid); private ones a signed URL, see url().
    querystring_auth = False
    # Like FileSystemStorage: a second upload of "film.mp4" never replaces the first.
    file_overwrite = False

    def get_default_settings(self):
        # object_acls: set a canned ACL on each object (public-read or private). Off for
        # buckets with ACLs disabled (AWS's default since 2023): then a bucket policy
        # makes the public prefixes readable (README).
        return {**super().get_default_settings(), "object_acls": True}

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        content_type, _encoding = mimetypes.guess_type(name)
        if content_type not in INLINE_TYPES:
            params["ContentType"] = "application/octet-stream"
            params["ContentDisposition"] = "attachment"
        params.setdefault("CacheControl", CACHE_CONTROL)
        if self.object_acls:
            params["ACL"] = "public-read" if is_public_media(name) else "private"
        return params

    @cached_property
    def _public_url_prefix(self) -> str:
        """What boto3 puts before every key (endpoint, bucket), asked once per process."""
        probe = self._normalize_name(clean_name("probe"))
        url = super().url("probe")
        if not url.endswith(quote(probe, safe="/~")):
            raise ImproperlyConfigured(f"Unexpected public media URL: {url}")
        return url.removesuffix(quote(probe, safe="/~"))

    def url(self, name, parameters=None, expire=None, http_method=None):
        if is_public_media(name):
            if parameters or self.custom_domain:
                return super().url(name, parameters, expire, http_method)
            # boto3 takes about 0.25 ms per link; a page shows hundreds of renditions.
            key = self._normalize_name(clean_name(name))
            return self._public_url_prefix + quote(key, safe="/~")
        # A private original: a link signed for querystring_expire seconds, straight to
        # the bucket (a CDN domain would serve it unsigned). Only the admin shows these.
        params = {
            **(parameters or {}),
            "Bucket": self.bucket.name,
            "Key": self._normalize_name(clean_name(name)),
        }
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )


def storage_at(location: str):
    """A storage for a backup: a local folder, or ``s3://bucket/prefix``.

    A bucket is reached with the endpoint and keys of the media bucket (if any). Backup
    objects get no ACL: they are private, as the bucket's default (use a private bucket).
    """
    if location.startswith("s3://"):
        bucket, _slash, prefix = location.removeprefix("s3://").partition("/")
        media = settings.STORAGES["default"]
        media_options = media.get("OPTIONS", {}) if media["BACKEND"] == MEDIA_BACKEND else {}
        options = {
            key: media_options[key]
            for key in ("endpoint_url", "region_name", "access_key", "secret_key")
            if key in media_options
        }
        return S3Storage(
            bucket_name=bucket,
            location=prefix.strip("/"),
            file_overwrite=True,
            default_acl=None,
            querystring_auth=True,
            **options,
        )
    # Rows of registrations and mail: readable by the owner only.
    return FileSystemStorage(
        location=location,
        allow_overwrite=True,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


MEDIA_BACKEND = f"{__name__}.MediaStorage"
