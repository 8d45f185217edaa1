"""Rich text is sanitised on the server, whatever route the HTML takes to the database."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.template import Context, Template

from campaign.models import Audience, AudienceMessage, Page
from campaign.richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    EDITOR_BUTTONS,
    RichTextField,
    RichTextFormField,
    plain_text_to_html,
    sanitize_html,
)
from tests.factories import (
    AudienceMessageFactory,
    CompanyFactory,
    NewsItemFactory,
    PageFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
)

PAYLOAD_FILE = Path(__file__).resolve().parent.parent / "data" / "xss_payloads.json"
FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "style",
    "meta",
    "base",
    "link",
    "form",
    "input",
    "button",
    "svg",
    "math",
    "img",
    "xml",
    "template",
    "noscript",
}
C0_CONTROLS_AND_SPACE = "".join(chr(code) for code in range(0x21))
# Attributes a browser treats as a URL it may load or navigate to.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "poster",
    "cite",
    "dynsrc",
    "lowsrc",
    "xlink:href",
}


def _load_payloads():
    sections = json.loads(PAYLOAD_FILE.read_text(encoding="utf-8"))
    payloads = []
    for section, strings in sections.items():
        if section.startswith("_"):
            continue
        for index, payload in enumerate(strings):
            payloads.append(pytest.param(payload, id=f"{section}-{index}"))
            # blns writes control characters as the text "\x0B"; try the real ones too.
            decoded = _decode_hex_escapes(payload)
            if decoded != payload:
                payloads.append(pytest.param(decoded, id=f"{section}-{index}-decoded"))
    return payloads


def _decode_hex_escapes(value):
    raw = re.sub(rb"\\x([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), value.encode())
    return raw.decode("utf-8", errors="replace")


PAYLOADS = _load_payloads()
PAYLOAD_VALUES = [param.values[0] for param in PAYLOADS]


class _MarkupCollector(HTMLParser):
    """Collects tags, attributes (with entities decoded, as a browser does) and comments."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.specials = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.specials.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.specials.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.specials.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.specials.append(f"declaration {data!r}")


def _url_scheme(value):
    """The scheme a browser would see, following the WHATWG URL parser.

    It strips leading and trailing C0 controls and spaces and removes tab, CR and LF
    anywhere, so "jav&#x09;ascript:" is "javascript:". A URL whose would-be scheme holds
    any other character is relative.
    """
    url = re.sub(r"[\t\n\r]", "", (value or "").strip(C0_CONTROLS_AND_SPACE))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def unsafe_parts(html):
    """Everything in ``html`` that could run script or load something it should not."""
    problems = []
    raw_tag_names = {name.lower() for name in re.findall(r"<\s*/?\s*([^\s/>]*)", html)}
    problems += [f"raw <{name}" for name in sorted(raw_tag_names - ALLOWED_TAGS)]
    collector = _MarkupCollector()
    collector.feed(html)
    collector.close()
    problems += collector.specials
    for tag, attrs in collector.tags:
        if tag in FORBIDDEN_TAGS or tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}>")
        allowed_attributes = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name not in allowed_attributes:
                problems.append(f"attribute {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES:
                scheme = _url_scheme(value)
                if scheme is not None and scheme not in ALLOWED_URL_SCHEMES:
                    problems.append(f"{scheme}: URL in {name}={value!r} on <{tag}>")
    return problems


def test_corpus_holds_blns_and_owasp_vectors_when_loaded():
    sections = json.loads(PAYLOAD_FILE.read_text(encoding="utf-8"))

    assert len(sections["blns_script_injection"]) == 235
    assert len(sections["owasp_filter_evasion"]) >= 60
    assert "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">" in sections["owasp_filter_evasion"]


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<script>alert(1)</script>", "raw <script"),
        ('<a href="javascript:alert(1)">x</a>', "javascript: URL"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "javascript: URL"),
        ('<a href="  VBScript:msgbox(1)">x</a>', "vbscript: URL"),
        ('<a href="data:text/html,x">x</a>', "data: URL"),
        ('<p onclick="alert(1)">x</p>', "event handler onclick"),
        ("<p><!-- x --></p>", "comment"),
        ('<a href="https://example.org/" style="color:red">x</a>', "attribute style"),
    ],
)
def test_checker_reports_unsafe_markup_when_given_it(html, problem):
    # The checker itself must be able to fail, or the tests below prove nothing.
    assert any(problem in found for found in unsafe_parts(html))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitize_html_leaves_nothing_executable_when_given_xss_payload(payload):
    assert unsafe_parts(sanitize_html(payload)) == []


def test_sanitize_html_is_stable_when_run_twice():
    # Values are sanitised in pre_save and again in get_db_prep_save.
    unstable = [p for p in PAYLOAD_VALUES if sanitize_html(sanitize_html(p)) != sanitize_html(p)]

    assert unstable == []


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Hallo</p>", "<p>Hallo</p>"),
        (
            "<p><strong>vet</strong> en <em>schuin</em></p>",
            "<p><strong>vet</strong> en <em>schuin</em></p>",
        ),
        ("<h2>Kop</h2><h3>Tussenkop</h3>", "<h2>Kop</h2><h3>Tussenkop</h3>"),
        ("<ul><li>een</li><li>twee</li></ul>", "<ul><li>een</li><li>twee</li></ul>"),
        ("<ol><li>eerst</li><li>dan</li></ol>", "<ol><li>eerst</li><li>dan</li></ol>"),
        ("<blockquote><p>Citaat</p></blockquote>", "<blockquote><p>Citaat</p></blockquote>"),
        ("<p>regel<br>regel</p>", "<p>regel<br>regel</p>"),
        (
            '<a href="https://www.techniekdoethet.nl/">site</a>',
            '<a href="https://www.techniekdoethet.nl/" rel="noopener noreferrer">site</a>',
        ),
        (
            '<a href="mailto:info@example.org" title="Mail ons">mail</a>',
            '<a href="mailto:info@example.org" title="Mail ons" rel="noopener noreferrer">mail</a>',
        ),
        (
            '<a href="/masterclasses/">agenda</a>',
            '<a href="/masterclasses/" rel="noopener noreferrer">agenda</a>',
        ),
    ],
)
def test_sanitize_html_keeps_allowed_markup_when_it_is_safe(html, expected):
    assert sanitize_html(html) == expected


def test_sanitize_html_replaces_rel_and_target_when_link_sets_them():
    html = '<a href="https://example.org/" target="_blank" rel="opener">x</a>'

    assert sanitize_html(html) == '<a href="https://example.org/" rel="noopener noreferrer">x</a>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a</p><script>alert(1)</script>", "<p>a</p>"),
        ("<style>p { color: red }</style><p>b</p>", "<p>b</p>"),
        ("<div><span>tekst</span></div>", "tekst"),
        ('<iframe src="https://example.org/"></iframe>na', "na"),
    ],
)
def test_sanitize_html_drops_script_content_but_keeps_text_when_tag_is_not_allowed(html, expected):
    assert sanitize_html(html) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_sanitize_html_returns_empty_string_when_value_is_empty(value):
    assert sanitize_html(value) == ""


def test_model_save_stores_sanitised_body_when_created_with_payloads(db):
    storyline = StorylineFactory()
    failures = []
    for payload in PAYLOAD_VALUES:
        message = AudienceMessage.objects.create(
            storyline=storyline, audience=Audience.PUPIL, headline="Kop", body=payload
        )
        stored = AudienceMessage.objects.values_list("body", flat=True).get(pk=message.pk)
        if unsafe_parts(stored) or stored != sanitize_html(payload) or message.body != stored:
            failures.append((payload, stored))
        message.delete()

    assert failures == []


def test_model_save_stores_sanitised_body_when_existing_row_is_changed(db):
    page = PageFactory()
    failures = []
    for payload in PAYLOAD_VALUES:
        page.body = payload
        page.save()
        stored = Page.objects.values_list("body", flat=True).get(pk=page.pk)
        if unsafe_parts(stored) or stored != sanitize_html(payload):
            failures.append((payload, stored))

    assert failures == []


def test_queryset_update_stores_sanitised_body_when_payload_bypasses_save(db):
    message = AudienceMessageFactory()
    failures = []
    for payload in PAYLOAD_VALUES:
        AudienceMessage.objects.filter(pk=message.pk).update(body=payload)
        stored = AudienceMessage.objects.values_list("body", flat=True).get(pk=message.pk)
        if unsafe_parts(stored) or stored != sanitize_html(payload):
            failures.append((payload, stored))

    assert failures == []


def test_bulk_create_and_bulk_update_store_sanitised_body_when_given_payloads(db):
    pages = Page.objects.bulk_create(
        Page(title=f"Pagina {index}", slug=f"pagina-xss-{index}", body=payload)
        for index, payload in enumerate(PAYLOAD_VALUES)
    )
    created = dict(Page.objects.filter(slug__startswith="pagina-xss-").values_list("slug", "body"))
    for page, payload in zip(pages, reversed(PAYLOAD_VALUES), strict=True):
        page.body = payload
    Page.objects.bulk_update(pages, ["body"])
    updated = dict(Page.objects.filter(slug__startswith="pagina-xss-").values_list("slug", "body"))

    assert len(created) == len(updated) == len(PAYLOAD_VALUES)
    assert [slug for slug, body in created.items() if unsafe_parts(body)] == []
    assert [slug for slug, body in updated.items() if unsafe_parts(body)] == []
    assert updated[pages[0].slug] == sanitize_html(PAYLOAD_VALUES[-1])


RICH_TEXT_FIELDS = [
    pytest.param(AudienceMessageFactory, "body", id="AudienceMessage.body"),
    pytest.param(PageFactory, "body", id="Page.body"),
    pytest.param(SchoolFactory, "description", id="School.description"),
    pytest.param(NewsItemFactory, "body", id="NewsItem.body"),
    pytest.param(CompanyFactory, "description", id="Company.description"),
    pytest.param(SessionFactory, "description", id="Session.description"),
]
SAMPLE_PAYLOADS = [
    "<p>Hallo</p><script>alert(1)</script>",
    '<a href="javascript:alert(1)" onclick="alert(2)">klik</a>',
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    '<svg/onload=alert("XSS")><iframe src="https://example.org/"></iframe>',
]


@pytest.mark.parametrize(("factory", "field_name"), RICH_TEXT_FIELDS)
def test_rich_text_field_sanitises_when_saved_and_updated(db, factory, field_name):
    model = factory._meta.model
    assert isinstance(model._meta.get_field(field_name), RichTextField)
    obj = factory()
    for payload in SAMPLE_PAYLOADS:
        setattr(obj, field_name, payload)
        obj.save()
        saved = model.objects.values_list(field_name, flat=True).get(pk=obj.pk)
        model.objects.filter(pk=obj.pk).update(**{field_name: payload})
        updated = model.objects.values_list(field_name, flat=True).get(pk=obj.pk)

        assert unsafe_parts(saved) == []
        assert unsafe_parts(updated) == []
        assert saved == updated == sanitize_html(payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_form_field_clean_sanitises_when_given_xss_payload(payload):
    field = RichTextFormField(required=False)
    if "\x00" in payload:
        # Django's CharField refuses NUL characters before sanitising.
        with pytest.raises(ValidationError):
            field.clean(payload)
        return

    assert unsafe_parts(field.clean(payload)) == []


def test_model_form_uses_rich_text_form_field_when_built_for_model(db):
    storyline = StorylineFactory()
    form_class = modelform_factory(
        AudienceMessage, fields=["storyline", "audience", "headline", "body"]
    )
    form = form_class(
        data={
            "storyline": storyline.pk,
            "audience": Audience.PARENT,
            "headline": "Voor ouders",
            "body": '<p onclick="alert(1)">Welkom</p><script>alert(2)</script>',
        }
    )

    assert isinstance(form.fields["body"], RichTextFormField)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "<p>Welkom</p>"
    assert form.save().body == "<p>Welkom</p>"


def test_form_field_clean_requires_value_when_field_is_required():
    with pytest.raises(ValidationError):
        RichTextFormField().clean("")


def test_plain_text_to_html_makes_paragraphs_and_escapes_when_given_text():
    text = "Eerste alinea.\n\nTweede <b>alinea</b> & meer.\nregel 2"

    assert plain_text_to_html(text) == (
        "<p>Eerste alinea.</p>\n\n<p>Tweede &lt;b&gt;alinea&lt;/b&gt; &amp; meer.<br>regel 2</p>"
    )


def test_plain_text_to_html_yields_only_bare_paragraphs_when_given_xss_payloads():
    failures = []
    for payload in PAYLOAD_VALUES:
        collector = _MarkupCollector()
        collector.feed(plain_text_to_html(payload))
        collector.close()
        if collector.specials or any(
            tag not in {"p", "br"} or attrs for tag, attrs in collector.tags
        ):
            failures.append(payload)

    assert failures == []


# One seam: the editor and the templates follow the sanitiser's allow-list ----------------


def editor_config() -> dict:
    """The configuration the admin's editor really receives."""
    widget = RichTextFormField().widget
    widget._set_config()
    return widget.config


def test_editor_offers_only_what_the_sanitiser_keeps():
    config = editor_config()
    buttons = {button for group in config["toolbar"] for button in group}
    made_by_buttons = set().union(*(EDITOR_BUTTONS[button] for button in buttons))

    assert set(config["format_tags"].split(";")) <= ALLOWED_TAGS
    assert made_by_buttons <= ALLOWED_TAGS
    assert {"Bold", "Italic", "Link", "BulletedList", "Format"} <= buttons
    assert "Source" not in buttons


def test_editor_allowed_content_is_the_sanitisers_allow_list():
    rules = editor_config()["allowedContent"].split(";")
    plain = set(rules[0].split())
    with_attributes = {
        rule.split("[")[0]: set(rule.split("[")[1].rstrip("]").split(",")) for rule in rules[1:]
    }

    assert plain | set(with_attributes) == ALLOWED_TAGS
    assert with_attributes == ALLOWED_ATTRIBUTES


def render_rich_text(value) -> str:
    return Template("{% load richtext %}{{ value|rich_text }}").render(Context({"value": value}))


def test_rich_text_filter_keeps_allowed_markup():
    html = '<h2>Kop</h2><p><strong>Vet</strong> en <a href="https://example.org/">link</a></p>'
    rendered = render_rich_text(html)
    assert "<h2>Kop</h2>" in rendered
    assert "<strong>Vet</strong>" in rendered
    assert 'href="https://example.org/"' in rendered


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rich_text_filter_leaves_nothing_executable_when_the_value_was_never_sanitised(payload):
    # A value that bypassed the field (a raw SQL import, a template variable) is still safe.
    assert unsafe_parts(render_rich_text(payload)) == []


@pytest.mark.parametrize("value", [None, ""])
def test_rich_text_filter_renders_nothing_when_empty(value):
    assert render_rich_text(value) == ""


def test_rich_text_to_plain_keeps_blocks_apart_when_paragraphs_follow_each_other():
    from campaign.richtext import rich_text_to_plain

    value = "<h2>Kop</h2><p>Eén &amp; twee.<br>Drie.</p><p>Vier.</p><ol><li>a</li><li>b</li></ol>"

    assert rich_text_to_plain(value) == "Kop\n\nEén & twee.\nDrie.\n\nVier.\n\n- a\n- b"
    assert rich_text_to_plain(value, one_line=True) == "Kop Eén & twee. Drie. Vier. - a - b"
    assert rich_text_to_plain("<p>x</p><script>alert(1)</script>") == "x"
