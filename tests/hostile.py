"""The hostile corpus (tests/data/xss_payloads.json) and checks for active content in output."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

PAYLOAD_FILE = Path(__file__).resolve().parent / "data" / "xss_payloads.json"

# What must never reach a value that leaves the site on one line.
LINE_BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x85", "\u2028", "\u2029"]


def _decode_hex_escapes(value: str) -> str:
    raw = re.sub(rb"\\x([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), value.encode())
    return raw.decode("utf-8", errors="replace")


def load_payloads() -> list[str]:
    """Every string of the corpus, and, where blns wrote "\\x0B" as text, the real bytes too."""
    sections = json.loads(PAYLOAD_FILE.read_text(encoding="utf-8"))
    payloads = []
    for section, strings in sections.items():
        if section.startswith("_"):
            continue
        for payload in strings:
            payloads.append(payload)
            decoded = _decode_hex_escapes(payload)
            if decoded != payload:
                payloads.append(decoded)
    return payloads


PAYLOADS = load_payloads()
# The payloads that are markup at all; the rest (SQL, template code) is harmless as HTML.
MARKUP_PAYLOADS = [payload for payload in PAYLOADS if "<" in payload]


def sample(payloads: list[str], size: int) -> list[str]:
    """An evenly spread, stable sample, for boundaries where each payload costs a request."""
    step = max(1, len(payloads) // size)
    return payloads[::step][:size]


EVENT_HANDLER = re.compile(r"^on", re.IGNORECASE)
DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data|livescript):", re.IGNORECASE)
ACTIVE_TAGS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "img",
    "image",
    "video",
    "audio",
    "link",
    "meta",
    "base",
    "style",
    "form",
    "input",
    "button",
    "body",
    "xss",
}


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def active_content(html: str, *, allowed_tags=frozenset()) -> list[str]:
    """What a browser would make live in ``html``: elements, event handlers, script URLs."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag in ACTIVE_TAGS or (tag not in allowed_tags):
            found.append(f"<{tag}>")
        for name, value in attrs:
            if EVENT_HANDLER.match(name):
                found.append(f"{tag} {name}")
            elif value and DANGEROUS_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                found.append(f"{tag} {name}={value!r}")
    return found
