"""Stored text leaving the site, at every boundary, tried with the hostile corpus.

Each test writes hostile text the way the oldest row or a direct database write could
hold it (bypassing the one-line seam where that matters), then reads the output the way
its consumer does: a feed reader, a calendar, a mail client, a spreadsheet, a browser.
"""

import csv
import html
import io
import json
import re
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from html.parser import HTMLParser
from urllib.parse import urlencode

import feedparser
import icalendar
import pytest
from defusedxml import ElementTree
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from campaign.plaintext import single_line
from events.models import Registration
from tests.factories import (
    CompanyFactory,
    NewsItemFactory,
    OpenDayFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
)
from tests.hostile import LINE_BREAKS, MARKUP_PAYLOADS, PAYLOADS, active_content, sample

pytestmark = pytest.mark.django_db

# Hostile one-line values: the corpus plus every kind of line break around a property.
ONE_LINE_ATTACKS = sample(PAYLOADS, 60) + [
    f"Bouw{brk}DTSTART:19700101T000000Z{brk}X-INJECTED:1" for brk in LINE_BREAKS
]


def write_raw(model, pk, **values):
    """Store values as a direct database write would, past every seam in Python."""
    table = model._meta.db_table
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    # What a database can hold: no NUL (PostgreSQL), no more than the column's length.
    stored = [
        value.replace("\x00", "")[: model._meta.get_field(name).max_length]
        for name, value in values.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608 (names are ours)
            [*stored, pk],
        )


# iCalendar ------------------------------------------------------------------------

ICAL_NAME = re.compile(rb"^[A-Z][A-Z0-9-]*[;:]")


def assert_well_formed_ics(content: bytes) -> icalendar.Calendar:
    """Every line is CRLF-terminated and is a property or a fold; no stray CR, LF or controls."""
    assert content.endswith(b"\r\n")
    for line in content[:-2].split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line, line
        assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", line), line
        assert line.startswith(b" ") or ICAL_NAME.match(line), line
        assert b"X-INJECTED" not in line.split(b":")[0], line
    return icalendar.Calendar.from_ical(content)


@pytest.mark.parametrize("payload", ONE_LINE_ATTACKS)
def test_session_ics_stays_one_event_with_the_text_escaped_when_title_is_hostile(client, payload):
    session = SessionFactory(summary="Kort", location="Hal 3")
    write_raw(
        type(session),
        session.pk,
        title=payload,
        summary=payload,
        location=payload,
        audience=payload,
    )

    response = client.get(reverse("events:session-ics", kwargs={"slug": session.slug}))
    calendar = assert_well_formed_ics(response.content)
    (event,) = calendar.walk("VEVENT")
    assert "X-INJECTED" not in event
    session.refresh_from_db()
    assert str(event["SUMMARY"]).endswith(single_line(session.title))
    assert str(event["LOCATION"]) == single_line(session.location)
    # The parser hands an X- property back unparsed: compare it as written, escaped as TEXT.
    expected = icalendar.vText(single_line(session.title)).to_ical()
    unfolded = response.content.replace(b"\r\n ", b"")
    assert b"\r\nX-WR-CALNAME:" + expected + b"\r\n" in unfolded

    agenda = assert_well_formed_ics(client.get(reverse("events:agenda-ics")).content)
    assert len(agenda.walk("VEVENT")) == 1


# Sign-up mail: subject, attachment ---------------------------------------------------


def child_signup(**overrides):
    return {
        "form": "child",
        "child-child_first_name": "Noor",
        "child-child_group": "groep 8",
        "child-primary_school": "De Regenboog",
        "child-contact_name": "Sanne de Vries",
        "child-contact_email": "sanne@example.org",
        "child-has_parental_consent": "on",
        "child-website": "",
        **overrides,
    }


def parsed_mail(message):
    """The mail as a mail client reads it: from its bytes, headers decoded."""
    parsed = message_from_bytes(message.message().as_bytes())
    subject = str(make_header(decode_header(parsed["Subject"])))
    return parsed, subject


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_signup_is_confirmed_with_one_line_subject_and_ics_when_stored_title_has_a_break(
    client, mailoutbox, brk
):
    session = SessionFactory(seats=5)
    write_raw(type(session), session.pk, title=f"Bouw{brk}Bcc: evil@example.org{brk}robot")

    response = client.post(session.get_absolute_url(), child_signup())

    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    (message,) = mailoutbox
    parsed, subject = parsed_mail(message)
    assert subject == "Aangemeld: Bouw Bcc: evil@example.org robot"
    assert parsed["Bcc"] is None
    (attachment,) = [part for part in parsed.walk() if part.get_filename()]
    assert attachment.get_filename() == f"masterclass-{session.slug}.ics"
    # A text part travels with the line ends of the mail; only those may break a line.
    payload = attachment.get_payload(decode=True).replace(b"\r\n", b"\n")
    calendar = assert_well_formed_ics(payload.replace(b"\n", b"\r\n"))
    assert len(calendar.walk("VEVENT")) == 1


def test_signup_is_confirmed_and_mailed_without_attachment_when_the_calendar_cannot_be_built(
    client, mailoutbox, monkeypatch, caplog
):
    def broken(session):
        raise ValueError("broken calendar")

    monkeypatch.setattr("events.ics.single_session_calendar", broken)
    session = SessionFactory(seats=5)

    response = client.post(session.get_absolute_url(), child_signup())

    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    (message,) = mailoutbox
    assert message.attachments == []
    assert "broken calendar" in caplog.text


# News feeds -------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_fragments(content: bytes, name: str) -> list[tuple[str, str]]:
    """Each text of each entry, as a feed reader gets it, marked as HTML or as text.

    RSS readers treat titles and descriptions as HTML; Atom says per element (type).
    """
    root = ElementTree.fromstring(content)
    fragments = []
    if name == "schools:news-feed":
        for item in root.iter("item"):
            for child in item:
                fragments.append(("html", child.text or ""))
    else:
        for entry in root.iter(f"{ATOM}entry"):
            for child in entry.iter():
                kind = child.get("type", "text")
                fragments.append((kind if kind != "xhtml" else "html", child.text or ""))
    return fragments


FEEDS = ["schools:news-feed", "schools:news-atom"]


def shown(detail) -> str:
    """What a feed reader shows for a title or summary of feedparser: text, not markup."""
    return html.unescape(detail.value) if detail.type == "text/html" else detail.value


@pytest.mark.parametrize("name", FEEDS)
def test_feed_entries_carry_no_active_content_when_news_texts_are_hostile(
    client, monkeypatch, name
):
    school = SchoolFactory()
    # Stored as a direct database write could: the body past the sanitiser as well.
    for payload in MARKUP_PAYLOADS:
        item = NewsItemFactory(school=school, summary="")
        write_raw(type(item), item.pk, title=payload, summary=payload, body=payload)
    item = NewsItemFactory(school=school, summary="")
    write_raw(type(item), item.pk, body='<p>Hallo <img src=x onerror="alert(1)"></p>')
    write_raw(type(school), school.pk, name='<img src=x onerror="alert(1)">')
    monkeypatch.setattr("schools.feeds.FEED_SIZE", len(MARKUP_PAYLOADS) + 1)

    response = client.get(reverse(name))

    assert response.status_code == 200
    fragments = feed_fragments(response.content, name)
    assert len(fragments) > 3 * len(MARKUP_PAYLOADS)
    for kind, text in fragments:
        if kind == "html":
            assert active_content(text) == [], text
    # A real reader (which also sanitises on its own) finds nothing live either.
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(MARKUP_PAYLOADS) + 1
    for entry in feed.entries:
        for detail in (entry.title_detail, entry.summary_detail):
            if detail.type == "text/html":
                assert active_content(detail.value) == [], detail.value


@pytest.mark.parametrize("name", FEEDS)
def test_feed_shows_a_hostile_title_and_summary_as_the_text_that_was_typed(client, name):
    NewsItemFactory(title="Bouw & <b>robots</b>", summary='Klik <img src=x onerror="alert(1)">')

    feed = feedparser.parse(client.get(reverse(name)).content)

    (entry,) = feed.entries
    assert shown(entry.title_detail) == "Bouw & <b>robots</b>"
    assert shown(entry.summary_detail) == 'Klik <img src=x onerror="alert(1)">'


# HTML pages and JSON-LD ---------------------------------------------------------------

PAGE_SAMPLE = sample(MARKUP_PAYLOADS, 40)
BENIGN = "Veilige tekst"


class _Page(HTMLParser):
    """The element structure of a page (tags and attribute names) and its JSON-LD blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.structure = []
        self.json_ld = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        self.structure.append((tag, sorted(name for name, _value in attrs)))
        self._in_json_ld = tag == "script" and ("type", "application/ld+json") in attrs

    def handle_startendtag(self, tag, attrs):
        self.structure.append((tag, sorted(name for name, _value in attrs)))

    def handle_endtag(self, tag):
        self.structure.append(f"/{tag}")
        self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))


def read_page(client, url) -> _Page:
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    page = _Page()
    page.feed(response.content.decode())
    page.close()
    return page


def json_strings(data) -> list[str]:
    if isinstance(data, dict):
        return [text for value in data.values() for text in json_strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in json_strings(value)]
    return [data] if isinstance(data, str) else []


@pytest.fixture
def poisonable():
    """A public session, news item, school and company, and a way to fill their texts."""
    school = SchoolFactory()
    company = CompanyFactory()
    session = SessionFactory(host_school=school, summary=BENIGN, location=BENIGN)
    session.companies.add(company)
    news = NewsItemFactory(school=school)
    open_day = OpenDayFactory(school=school)
    fields = [
        (type(school), school.pk, ["name", "summary", "town", "street_address", "photo_alt"]),
        (type(company), company.pk, ["name", "summary", "sector", "town"]),
        (type(session), session.pk, ["title", "summary", "location", "audience"]),
        (type(news), news.pk, ["title", "summary", "image_alt"]),
        (type(session.storyline), session.storyline_id, ["title", "hero_image_alt"]),
        (type(open_day), open_day.pk, ["title", "description"]),
    ]

    def poison(text):
        # One length for all, that every one of these columns holds.
        text = text.replace("\x00", "")[:80]
        for model, pk, names in fields:
            write_raw(model, pk, **dict.fromkeys(names, text))

    return {"school": school, "company": company, "session": session, "news": news}, poison


PAGES = {
    "session": lambda objects: objects["session"].get_absolute_url(),
    "agenda": lambda objects: reverse("events:session-list"),
    "news": lambda objects: objects["news"].get_absolute_url(),
    "news list": lambda objects: reverse("schools:news-list"),
    "school": lambda objects: objects["school"].get_absolute_url(),
    "company": lambda objects: objects["company"].get_absolute_url(),
    "storyline": lambda objects: objects["session"].storyline.get_absolute_url(),
    "open days": lambda objects: reverse("schools:open-days"),
    "home": lambda objects: reverse("home"),
}


@pytest.mark.parametrize("page_name", PAGES)
def test_page_structure_and_json_ld_do_not_change_when_stored_texts_are_hostile(
    client, poisonable, page_name
):
    objects, poison = poisonable
    url = PAGES[page_name](objects)
    poison(BENIGN)
    benign = read_page(client, url)

    for payload in PAGE_SAMPLE:
        poison(payload)
        page = read_page(client, url)
        # Escaped text adds no element and no attribute, wherever it lands.
        assert page.structure == benign.structure, payload
        assert len(page.json_ld) == len(benign.json_ld)
        if benign.json_ld and BENIGN in json_strings(benign.json_ld):
            # JSON carries the text as stored, line breaks and all.
            assert payload.replace("\x00", "")[:80] in json_strings(page.json_ld)


@pytest.mark.parametrize("payload", sample(MARKUP_PAYLOADS, 20))
def test_search_page_structure_does_not_change_when_the_query_is_hostile(client, payload):
    benign = read_page(client, reverse("search") + "?q=robot")
    page = read_page(client, reverse("search") + "?" + urlencode({"q": payload}))
    assert page.structure == benign.structure


# E-mail: headers and bodies -------------------------------------------------------------


def news_submission(**overrides):
    return {
        "title": "Robots in groep 8",
        "text": "Vandaag bouwden we robots.",
        "image_alt": "",
        "submitter_name": "Juf Anne",
        "submitter_email": "anne@example.org",
        "website": "",
        **overrides,
    }


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_news_form_stores_one_line_and_mails_one_line_subjects_when_title_has_a_break(
    client, mailoutbox, brk
):
    school = SchoolFactory()
    title = f"Robots{brk}Bcc: evil@example.org{brk}groep 8"

    response = client.post(
        reverse("schools:news-submit", args=[school.submission_token]),
        news_submission(title=title, submitter_name=f"Juf{brk}Anne", image_alt=f"a{brk}b"),
    )

    assert response.status_code == 302
    item = school.news_items.get()
    assert (item.title, item.submitter_name) == ("Robots Bcc: evil@example.org groep 8", "Juf Anne")
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        parsed, subject = parsed_mail(message)
        assert parsed["Bcc"] is None
        assert "\n" not in subject and "\r" not in subject
    assert parsed_mail(mailoutbox[0])[1] == "Ontvangen: Robots Bcc: evil@example.org groep 8"


@pytest.mark.parametrize("payload", sample(PAYLOADS, 25))
def test_signup_mail_is_plain_text_to_one_address_with_the_name_as_typed_when_hostile(
    client, mailoutbox, payload
):
    session = SessionFactory(seats=5)
    name = " ".join(payload.replace("\x00", "").split())[:60] or "x"

    response = client.post(
        session.get_absolute_url(),
        child_signup(**{"child-child_first_name": name, "child-contact_name": name[:120]}),
    )

    assert response.status_code == 302
    (message,) = mailoutbox
    parsed, subject = parsed_mail(message)
    assert parsed.get_all("To") == ["sanne@example.org"]
    assert parsed["Bcc"] is None and parsed["Cc"] is None
    body_parts = [part for part in parsed.walk() if not part.get_filename()]
    assert {part.get_content_type() for part in body_parts} <= {"text/plain", "multipart/mixed"}
    # Plain text mail: shown as typed, not HTML-escaped into "&lt;".
    assert single_line(name) in message.body


# CSV export -------------------------------------------------------------------------------


def test_csv_export_has_no_formula_and_one_row_per_registration_when_texts_are_hostile(
    coordinator_client,
):
    session = SessionFactory()
    write_raw(type(session), session.pk, title='"; filename=evil.exe\r\nX-Evil: 1')
    payloads = [*sample(PAYLOADS, 60), "=HYPERLINK(1)", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"]
    for index, payload in enumerate(payloads):
        registration = RegistrationFactory(session=session)
        text = payload.replace("\x00", "")
        write_raw(
            Registration,
            registration.pk,
            child_first_name=text,
            child_group=text,
            primary_school=text,
            contact_name=text,
            contact_email=f"ouder{index}@example.org",
            role=text,
            dietary_needs=text,
            access_needs=text,
        )

    response = coordinator_client.get(reverse("admin:events_session_export", args=[session.pk]))

    assert response.status_code == 200
    disposition = Message()
    disposition["Content-Disposition"] = response["Content-Disposition"]
    assert disposition.get_filename() == "aanmeldingen-filenameevilexe-x-evil-1.csv"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == len(payloads) + 1
    assert {len(row) for row in rows} == {17}
    for row in rows[1:]:
        assert row[0][:1] not in ("=", "+", "-", "@", "\t", "\r")
        # Child, group, school and name; a partner's role, diet and access needs.
        for cell in [*row[5:9], *row[12:15]]:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell


# Sitemap ---------------------------------------------------------------------------------


def test_sitemap_is_well_formed_and_lists_only_site_addresses_when_titles_are_hostile(
    client, poisonable, settings
):
    _objects, poison = poisonable
    poison("</loc><loc>https://evil.example/</loc>\x0b<!--")

    response = client.get(reverse("sitemap"))

    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locations
    assert all(location.startswith(settings.SITE_URL + "/") for location in locations)


# Open day iCalendar ----------------------------------------------------------------------


@pytest.mark.parametrize("payload", sample(ONE_LINE_ATTACKS, 30))
def test_open_day_ics_stays_one_event_when_its_texts_are_hostile(client, payload):
    open_day = OpenDayFactory()
    write_raw(type(open_day), open_day.pk, title=payload, description=payload)
    write_raw(type(open_day.school), open_day.school_id, name=payload, town=payload)

    response = client.get(reverse("schools:open-day-ics", args=[open_day.pk]))

    calendar = assert_well_formed_ics(response.content)
    (event,) = calendar.walk("VEVENT")
    assert "X-INJECTED" not in event
    disposition = Message()
    disposition["Content-Disposition"] = response["Content-Disposition"]
    assert disposition.get_filename() == f"open-dag-{open_day.school.slug}.ics"


# The admin --------------------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The values a browser would post for the first form of an admin page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "checkbox"):
            self.data[name] = attrs.get("value", "")
        elif tag == "input" and name and "checked" in attrs:
            self.data[name] = attrs.get("value", "on")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_admin_stores_company_texts_on_one_line_when_typed_with_breaks(admin_client, brk):
    company = CompanyFactory()
    url = reverse("admin:companies_company_change", args=[company.pk])
    fields = _FormFields()
    fields.feed(admin_client.get(url).content.decode())
    data = {
        **fields.data,
        "name": f"Techniek{brk}BV",
        "sector": f"Bouw{brk}en installatie",
        "summary": f"Wij{brk}bouwen",
        "contact_name": f"Jan{brk}Jansen",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    company.refresh_from_db()
    assert (company.name, company.sector, company.summary, company.contact_name) == (
        "Techniek BV",
        "Bouw en installatie",
        "Wij bouwen",
        "Jan Jansen",
    )


ADMIN_PAGES = {
    "session list": lambda objects: reverse("admin:events_session_changelist"),
    "session": lambda objects: reverse("admin:events_session_change", args=[objects["session"].pk]),
    "news list": lambda objects: reverse("admin:schools_newsitem_changelist"),
    "news": lambda objects: reverse("admin:schools_newsitem_change", args=[objects["news"].pk]),
    "school": lambda objects: reverse("admin:schools_school_change", args=[objects["school"].pk]),
    "company list": lambda objects: reverse("admin:companies_company_changelist"),
}


@pytest.mark.parametrize("page_name", ADMIN_PAGES)
def test_admin_page_structure_does_not_change_when_stored_texts_are_hostile(
    admin_client, poisonable, page_name
):
    objects, poison = poisonable
    url = ADMIN_PAGES[page_name](objects)
    poison(BENIGN)
    benign = read_page(admin_client, url)

    for payload in sample(PAGE_SAMPLE, 10):
        poison(payload)
        assert read_page(admin_client, url).structure == benign.structure, payload
