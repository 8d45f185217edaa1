"""What search engines and social media read: JSON-LD blocks and absolute addresses."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

# Inside <script>, "</script>" or "<!--" in a value would end the data block early.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """A JSON-LD block that no stored text can break out of."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def absolute_url(path: str) -> str:
    """The public address of a path on this site, as in the canonical link."""
    return f"{settings.SITE_URL}{path}"
