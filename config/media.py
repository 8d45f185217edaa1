"""Serving uploaded files (DEBUG and the browser tests; production uses nginx, see README).

Uploads are checked and re-encoded, but a file that got into MEDIA_ROOT some other way
must still never run as a page of our origin: only known picture, video and caption
types are shown inline; everything else is a download, and every answer is sandboxed.
"""

from django.conf import settings
from django.views.static import serve

from campaign.renditions import make_requested_rendition

INLINE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "image/avif",
    "video/mp4",
    "video/webm",
    "text/vtt",
}
# Sent with every media file: no script, no plugins, no same-origin rights.
MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"


def serve_media(request, path):
    # Development and tests only: a rendition the task worker has not made (yet) is made
    # now. Production serves media from the web server and the worker makes them ahead.
    make_requested_rendition(path)
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type not in INLINE_TYPES:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    return response
