"""The programme report: hand-counted figures, the same before and after the purge, safe exports."""

import csv
import dataclasses
import datetime as dt
import importlib
import io
import json
import subprocess
import zoneinfo
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.models import SocialPost
from campaign.publishing import PublicationStatus
from campaign.spreadsheet import FORMULA_STARTS, csv_cell
from companies.models import Contribution
from events.figures import participants_by_session
from events.models import (
    OrganisationType,
    ParticipationCount,
    Registration,
    SessionAudience,
)
from events.report import Period, Tally, build_report
from schools.models import NewsItem
from tests.factories import (
    CompanyFactory,
    ContributionFactory,
    MasterclassRoundFactory,
    NewsItemFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
    SocialPostFactory,
    StorylineFactory,
)
from tests.test_valid_html import vnu  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
REPORT_URL = reverse("admin:programme-report")
CSV_URL = reverse("admin:programme-report-csv")
PRINT_URL = reverse("admin:programme-report-print")


def at(year, month, day, hour=14):
    return dt.datetime(year, month, day, hour, tzinfo=AMSTERDAM)


def write_raw(model, pk, **values):
    """Store values as an old row or a direct database write would, past the field's cleaning."""
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {columns} WHERE id = %s",  # noqa: S608
            [*values.values(), pk],
        )


def session_at(starts_at, **kwargs):
    return SessionFactory(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        registration_opens_at=starts_at - dt.timedelta(days=30),
        registration_closes_at=starts_at - dt.timedelta(days=1),
        **kwargs,
    )


def partner(session, organisation_type, **kwargs):
    return RegistrationFactory(
        session=session,
        kind=Registration.Kind.PARTNER,
        child_first_name="",
        child_group="",
        primary_school="",
        has_parental_consent=False,
        organisation_type=organisation_type,
        role="Docent techniek",
        **kwargs,
    )


def group(session, pupils, **kwargs):
    return RegistrationFactory(
        session=session,
        kind=Registration.Kind.GROUP,
        pupil_count=pupils,
        child_first_name="",
        has_parental_consent=False,
        **kwargs,
    )


@pytest.fixture
def programme():
    """A year (2026) of the programme, with hostile names where a spreadsheet would run them."""
    plus = SchoolFactory(name="Plus")
    west = SchoolFactory(name="Westfries College")
    write_raw(type(plus), plus.pk, name="+SUM(1)")
    robots = StorylineFactory(title="Robotica")
    minus = StorylineFactory(title="-1")
    spring = MasterclassRoundFactory(
        name="Voorjaar 2026", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 4, 30)
    )
    autumn = MasterclassRoundFactory(
        name="Najaar 2026", starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 11, 30)
    )
    write_raw(type(autumn), autumn.pk, name="\tNajaar 2026")

    s1 = session_at(at(2026, 3, 10), round=spring, host_school=plus, storyline=robots, seats=20)
    RegistrationFactory(session=s1, attended=True)
    RegistrationFactory(session=s1, attended=False)
    group(s1, 12, attended=True)
    RegistrationFactory(session=s1, status=Registration.Status.WAITLISTED)
    RegistrationFactory(session=s1, status=Registration.Status.CANCELLED)

    s2 = session_at(
        at(2026, 10, 12),
        round=autumn,
        host_school=west,
        storyline=minus,
        audience_type=SessionAudience.BOTH,
        seats=10,
        partner_seats=5,
    )
    group(s2, 8)
    partner(s2, OrganisationType.SCHOOL, partner_school=west, attended=True)
    hostile = partner(s2, OrganisationType.COMPANY, organisation_name="Bedrijf", attended=False)
    write_raw(Registration, hostile.pk, organisation_name='=HYPERLINK("http://x","y")')
    partner(s2, OrganisationType.MUNICIPALITY, status=Registration.Status.WAITLISTED)
    partner(
        s2,
        OrganisationType.OTHER,
        organisation_name="@cmd",
        status=Registration.Status.CANCELLED,
    )

    s3 = session_at(
        at(2026, 11, 2),
        round=autumn,
        host_school=plus,
        storyline=robots,
        audience_type=SessionAudience.PARTNERS,
        seats=0,
        partner_seats=8,
    )
    partner(s3, OrganisationType.SCHOOL, attended=True)
    # Two partners whose registrations an earlier purge already turned into counts.
    ParticipationCount.objects.create(
        session=s3,
        kind=Registration.Kind.PARTNER,
        organisation_type=OrganisationType.EDUCATION,
        status=Registration.Status.CONFIRMED,
        attended="yes",
        bookings=2,
        people=2,
    )

    # Not in 2026's figures: a draft session, and a session of 2027.
    draft = session_at(at(2026, 5, 5), host_school=west, status=PublicationStatus.DRAFT)
    RegistrationFactory(session=draft)
    later = session_at(at(2027, 1, 20), host_school=west)
    RegistrationFactory(session=later)

    NewsItemFactory(school=plus, published_at=at(2026, 5, 1))
    NewsItemFactory(school=west, published_at=at(2026, 6, 1))
    NewsItemFactory(school=west, published_at=at(2026, 12, 31, 23))
    NewsItemFactory(school=None, published_at=at(2026, 1, 1, 0))
    NewsItemFactory(school=plus, status=NewsItem.Status.SUBMITTED, published_at=None)
    NewsItemFactory(school=plus, published_at=at(2025, 12, 31, 23))

    posted = SocialPost.Status.POSTED
    SocialPostFactory(channel=SocialPost.Channel.LINKEDIN, status=posted, posted_at=at(2026, 2, 2))
    SocialPostFactory(channel=SocialPost.Channel.LINKEDIN, status=posted, posted_at=at(2026, 10, 5))
    SocialPostFactory(channel=SocialPost.Channel.INSTAGRAM, status=posted, posted_at=at(2026, 3, 3))
    SocialPostFactory(channel=SocialPost.Channel.TIKTOK, status=SocialPost.Status.PLANNED)
    SocialPostFactory(channel=SocialPost.Channel.LINKEDIN, status=posted, posted_at=at(2025, 6, 1))

    at_cmd = CompanyFactory(name="At")
    write_raw(type(at_cmd), at_cmd.pk, name="@cmd")
    builder = CompanyFactory(name="Bouwbedrijf")
    ContributionFactory(
        company=at_cmd, kind=Contribution.Kind.GUEST_LESSON, date=dt.date(2026, 3, 1)
    )
    ContributionFactory(
        company=at_cmd,
        kind=Contribution.Kind.INTERNSHIP_PLACES,
        date=dt.date(2026, 10, 1),
        quantity=3,
        note="=1+1",
    )
    ContributionFactory(
        company=builder, kind=Contribution.Kind.COMPANY_VISIT, date=dt.date(2026, 11, 30)
    )
    ContributionFactory(
        company=builder, kind=Contribution.Kind.GUEST_LESSON, date=dt.date(2025, 12, 31)
    )
    return {"sessions": (s1, s2, s3), "spring": spring, "autumn": autumn, "later": later}


def tally(*values):
    return Tally(*values)


def by_label(lines):
    return {line.label: line.tally for line in lines}


def counts(lines):
    return {line.label: line.count for line in lines}


def test_report_figures_equal_hand_counts_when_a_year_is_chosen(programme):
    report = build_report(Period.for_year(2026))

    # sessions, pupil seats, partner seats, bookings, pupils, partners, attended, absent,
    # waitlisted, cancelled
    assert report.total == tally(3, 30, 13, 9, 22, 5, 17, 2, 2, 2)
    assert by_label(report.by_round) == {
        "Voorjaar 2026": tally(1, 20, 0, 3, 14, 0, 13, 1, 1, 1),
        "\tNajaar 2026": tally(2, 10, 13, 6, 8, 5, 4, 1, 1, 1),
    }
    assert by_label(report.by_school) == {
        "+SUM(1)": tally(2, 20, 8, 6, 14, 3, 16, 1, 1, 1),
        "Westfries College": tally(1, 10, 5, 3, 8, 2, 1, 1, 1, 1),
    }
    assert by_label(report.by_storyline) == {
        "Robotica": tally(2, 20, 8, 6, 14, 3, 16, 1, 1, 1),
        "-1": tally(1, 10, 5, 3, 8, 2, 1, 1, 1, 1),
    }
    assert by_label(report.by_audience) == {
        "Leerlingen": tally(1, 20, 0, 3, 14, 0, 13, 1, 1, 1),
        "Partners": tally(1, 0, 8, 3, 0, 3, 3, 0, 0, 0),
        "Leerlingen en partners": tally(1, 10, 5, 3, 8, 2, 1, 1, 1, 1),
    }
    assert by_label(report.by_organisation_type) == {
        "Partnerschool": tally(0, 0, 0, 2, 0, 2, 2, 0, 0, 0),
        "Bedrijf": tally(0, 0, 0, 1, 0, 1, 0, 1, 0, 0),
        "Gemeente": tally(0, 0, 0, 0, 0, 0, 0, 0, 1, 0),
        "Ander onderwijs": tally(0, 0, 0, 2, 0, 2, 2, 0, 0, 0),
        "Andere organisatie": tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
    }
    assert counts(report.news_by_school) == {
        "+SUM(1)": 1,
        "Westfries College": 2,
        "Regionaal nieuws (geen school)": 1,
    }
    assert counts(report.posts_by_channel) == {"TikTok": 0, "Instagram": 1, "LinkedIn": 2}
    assert [(line.label, line.count, line.quantity) for line in report.contributions_by_kind] == [
        ("Gastles", 1, 1),
        ("Bedrijfsbezoek", 1, 1),
        ("Masterclass", 0, 0),
        ("Stageplaatsen", 1, 3),
        ("Anders", 0, 0),
    ]
    assert [
        (line.label, line.detail, line.count, line.quantity)
        for line in report.contributions_by_company
    ] == [
        ("@cmd", "Gastles", 1, 1),
        ("@cmd", "Stageplaatsen", 1, 3),
        ("Bouwbedrijf", "Bedrijfsbezoek", 1, 1),
    ]


def test_report_counts_only_the_round_when_a_round_is_chosen(programme):
    report = build_report(Period.for_round(programme["autumn"]))

    assert report.total == tally(2, 10, 13, 6, 8, 5, 4, 1, 1, 1)
    assert counts(report.news_by_school) == {
        "+SUM(1)": 0,
        "Westfries College": 0,
        "Regionaal nieuws (geen school)": 0,
    }
    assert counts(report.posts_by_channel) == {"TikTok": 0, "Instagram": 0, "LinkedIn": 1}
    assert [line.detail for line in report.contributions_by_company] == [
        "Stageplaatsen",
        "Bedrijfsbezoek",
    ]


def test_report_is_identical_before_and_after_the_purge(programme, settings, coordinator_client):
    s1, s2, s3 = programme["sessions"]
    before = dataclasses.asdict(build_report(Period.for_year(2026)))
    before_round = dataclasses.asdict(build_report(Period.for_round(programme["autumn"])))
    before_by_session = participants_by_session([s1.pk, s2.pk, s3.pk])
    before_csv = coordinator_client.get(CSV_URL, {"periode": "2026"}).content
    settings.REGISTRATION_RETENTION_DAYS = 1

    call_command("purge_registrations", stdout=io.StringIO())

    assert not Registration.objects.filter(session__in=programme["sessions"]).exists()
    assert Registration.objects.filter(session=programme["later"]).exists()
    assert dataclasses.asdict(build_report(Period.for_year(2026))) == before
    assert dataclasses.asdict(build_report(Period.for_round(programme["autumn"]))) == before_round
    assert (
        participants_by_session([s1.pk, s2.pk, s3.pk])
        == before_by_session
        == {
            s1.pk: {"pupils": 14, "partners": 0},
            s2.pk: {"pupils": 8, "partners": 2},
            s3.pk: {"pupils": 0, "partners": 3},
        }
    )
    assert coordinator_client.get(CSV_URL, {"periode": "2026"}).content == before_csv


def test_purge_stores_no_trace_of_names_when_organisations_were_typed(programme, settings):
    settings.REGISTRATION_RETENTION_DAYS = 1
    call_command("purge_registrations", stdout=io.StringIO())

    stored = " ".join(str(row) for row in ParticipationCount.objects.values_list())
    assert "HYPERLINK" not in stored and "@cmd" not in stored and "Docent" not in stored


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";")
    )


def test_csv_export_has_no_cell_a_spreadsheet_runs_when_names_are_hostile(
    programme, coordinator_client
):
    ContributionFactory(company=CompanyFactory(name="Tab"), date=dt.date(2026, 6, 1), note="x")
    carriage = CompanyFactory(name="CR")
    write_raw(type(carriage), carriage.pk, name="\r=2+3")
    ContributionFactory(company=carriage, date=dt.date(2026, 6, 2))

    rows = csv_rows(coordinator_client.get(CSV_URL, {"periode": "2026"}))

    cells = [cell for row in rows for cell in row]
    assert cells, rows
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    # The hostile names are there, as text.
    for name in ("'+SUM(1)", "'-1", "'@cmd", "'\tNajaar 2026", "'\r=2+3"):
        assert name in cells, name
    assert ["'+SUM(1)", "2", "20", "8", "6", "14", "3", "16", "1", "1", "1"] in rows
    # Nothing about people: not the organisation a partner typed, nor a contact.
    text = "\n".join(";".join(row) for row in rows)
    assert "HYPERLINK" not in text and "@example.org" not in text and "Ouder" not in text


def test_csv_cell_makes_every_formula_start_text_and_writes_decimals_with_a_comma():
    for hostile in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1"):
        assert csv_cell(hostile) == "'" + hostile
    assert csv_cell(12) == "12"
    assert csv_cell(2.5) == "2,5"
    assert csv_cell(None) == ""
    assert csv_cell("Gastles") == "Gastles"


def test_report_page_print_page_and_csv_show_the_chosen_period(programme, coordinator_client):
    round_value = f"ronde-{programme['autumn'].pk}"

    page = coordinator_client.get(REPORT_URL, {"periode": round_value})
    printed = coordinator_client.get(PRINT_URL, {"periode": round_value})
    rows = csv_rows(coordinator_client.get(CSV_URL, {"periode": round_value}))

    assert page.status_code == printed.status_code == 200
    assert page.context["report"].period.round == programme["autumn"]
    assert f"{PRINT_URL}?periode={round_value}" in page.content.decode()
    assert printed.context["report"].total == page.context["report"].total
    html = printed.content.decode()
    assert 'id="header"' not in html and "+SUM(1)" in html
    assert rows[0] == ["Cijfers van het programma", "'\tNajaar 2026"]


def test_report_shows_this_year_and_an_error_when_the_period_is_unknown(
    programme, coordinator_client
):
    response = coordinator_client.get(REPORT_URL, {"periode": "<script>"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze periode bestaat niet. Kies een jaar of een ronde uit de lijst." in html
    assert "<script>" not in html
    assert response.context["report"].period == Period.for_year(dt.date.today().year)


def test_report_needs_the_view_permission_on_the_figures(client, django_user_model):
    staff = django_user_model.objects.create_user("staf", password="x", is_staff=True)
    client.force_login(staff)

    assert client.get(REPORT_URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    assert client.get(PRINT_URL).status_code == 403
    assert "Cijfers van het programma" not in client.get(reverse("admin:index")).content.decode()

    staff.user_permissions.add(Permission.objects.get(codename="view_participationcount"))
    assert client.get(REPORT_URL).status_code == 200
    # Listed with the masterclasses, for whoever sees those.
    staff.user_permissions.add(
        Permission.objects.get(codename="view_session", content_type__app_label="events")
    )
    index = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{REPORT_URL}">Cijfers van het programma</a>' in index


def make_sessions(count, year=2026):
    masterclass_round = MasterclassRoundFactory(
        starts_on=dt.date(year, 3, 1), ends_on=dt.date(year, 4, 30)
    )
    for index in range(count):
        session = session_at(
            at(year, 3, 2 + index % 20),
            round=masterclass_round,
            audience_type=SessionAudience.BOTH,
            partner_seats=4,
        )
        RegistrationFactory(session=session, attended=True)
        group(session, 5)
        partner(session, OrganisationType.COMPANY, partner_company=CompanyFactory())
        ParticipationCount.objects.create(
            session=session, kind="child", status="confirmed", attended="no", bookings=1, people=1
        )
        NewsItemFactory(school=session.host_school, published_at=at(year, 4, 1))
        ContributionFactory(date=dt.date(year, 4, 1))
        SocialPostFactory(status=SocialPost.Status.POSTED, posted_at=at(year, 4, 1))


@pytest.mark.parametrize("url", [REPORT_URL, PRINT_URL, CSV_URL])
def test_report_query_count_is_the_same_when_ten_times_more_sessions(
    coordinator_client, django_assert_num_queries, url
):
    make_sessions(2)
    coordinator_client.get(url, {"periode": "2026"})
    with CaptureQueriesContext(connection) as small:
        assert coordinator_client.get(url, {"periode": "2026"}).status_code == 200

    expected = len(small.captured_queries)  # read before the next request resets the log
    make_sessions(18)
    # Warm: the site data, read again after the writes.
    coordinator_client.get(url, {"periode": "2026"})
    with django_assert_num_queries(expected):
        response = coordinator_client.get(url, {"periode": "2026"})
    if url != CSV_URL:
        assert response.context["report"].total.sessions == 20


def test_build_report_costs_seven_queries_whatever_the_number_of_sessions(
    django_assert_num_queries,
):
    make_sessions(3)
    with django_assert_num_queries(7):
        small = build_report(Period.for_year(2026))
    make_sessions(27)
    with django_assert_num_queries(7):
        large = build_report(Period.for_year(2026))
    assert (small.total.sessions, large.total.sessions) == (3, 30)
    assert large.total.pupils == 30 * (1 + 5 + 1)


# The copy of SessionFigures into ParticipationCount (migration events 0008)

counts_migration = importlib.import_module("events.migrations.0008_participation_counts")


def test_legacy_figures_keep_every_total_they_had_when_copied():
    figures = SimpleNamespace(
        confirmed_bookings=3,
        confirmed_pupils=14,
        child_bookings=2,
        group_bookings=1,
        waitlisted_pupils=4,
        cancelled_bookings=5,
        attended_pupils=13,
        absent_pupils=1,
    )

    rows = counts_migration.legacy_rows(figures)

    def total(index, kind=None, status="confirmed", attended=None):
        return sum(
            value[index]
            for (k, s, a), value in rows.items()
            if s == status and kind in (None, k) and attended in (None, a)
        )

    assert (total(0), total(1)) == (3, 14)
    assert (total(0, "child"), total(0, "group")) == (2, 1)
    assert (total(1, attended="yes"), total(1, attended="no")) == (13, 1)
    assert total(1, status="waitlisted") == 4
    assert total(0, status="cancelled") == 5
    assert all(bookings >= 0 and people >= 0 for bookings, people in rows.values())


@pytest.mark.django_db(transaction=True)
def test_migration_carries_session_figures_into_the_report_when_run_on_old_rows():
    executor = MigrationExecutor(connection)
    old = [("events", "0007_session_audience_and_partner_registrations")]
    new = [("events", "0009_remove_sessionfigures")]
    session = session_at(at(2026, 3, 10))
    try:
        executor.migrate(old)
        old_apps = executor.loader.project_state(old).apps
        old_apps.get_model("events", "SessionFigures").objects.create(
            session_id=session.pk,
            confirmed_bookings=3,
            confirmed_pupils=14,
            child_bookings=2,
            group_bookings=1,
            waitlisted_pupils=1,
            cancelled_bookings=1,
            attended_pupils=13,
            absent_pupils=1,
            purged_at=at(2026, 5, 1),
        )
        executor = MigrationExecutor(connection)
        executor.migrate(new)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    report = build_report(Period.for_year(2026))
    assert report.total == tally(1, 20, 0, 3, 14, 0, 13, 1, 1, 1)


def test_report_pages_are_valid_html(programme, coordinator_client, vnu, tmp_path):  # noqa: F811
    pages = {
        "report-print": (PRINT_URL, {"periode": "2026"}),
        "report": (REPORT_URL, {"periode": "2026"}),
        "report-bad-period": (REPORT_URL, {"periode": "1999"}),
    }
    files = []
    for name, (url, params) in pages.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(coordinator_client.get(url, params).content)

    # Fixed arguments and our own temporary files: nothing from outside reaches the command.
    result = subprocess.run(  # noqa: S603
        [*vnu, "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.stdout.strip(), result.stderr
    assert json.loads(result.stdout)["messages"] == []


def test_session_admin_shows_the_same_counts_before_and_after_the_purge(
    programme, coordinator_client, settings
):
    s1, s2, _s3 = programme["sessions"]
    urls = [reverse("admin:events_session_change", args=[s.pk]) for s in (s1, s2)]
    before = [coordinator_client.get(url).content.decode() for url in urls]
    assert "Bevestigd: 14 leerlingen en 0 partners, aanwezig: 13, wachtlijst: 1." in before[0]
    assert "Bevestigd: 8 leerlingen en 2 partners, aanwezig: 1, wachtlijst: 1." in before[1]
    settings.REGISTRATION_RETENTION_DAYS = 1

    call_command("purge_registrations", stdout=io.StringIO())

    after = [coordinator_client.get(url).content.decode() for url in urls]
    assert "Bevestigd: 14 leerlingen en 0 partners, aanwezig: 13, wachtlijst: 1." in after[0]
    assert "Bevestigd: 8 leerlingen en 2 partners, aanwezig: 1, wachtlijst: 1." in after[1]
    assert "de cijfers zijn bewaard" in after[0] and "de cijfers zijn bewaard" not in before[0]


def test_csv_file_is_named_after_the_period(programme, coordinator_client):
    response = coordinator_client.get(CSV_URL, {"periode": f"ronde-{programme['spring'].pk}"})

    assert 'filename="cijfers-voorjaar-2026.csv"' in response["Content-Disposition"]
