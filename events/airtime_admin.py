"""The coordinators' page of the airtime ledger: a period chooser, a bar chart and the tables."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import floatformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.airtime import AUDIENCES, BEHIND_SHARE, Airtime, Ledger, Table, build_ledger

# Longer periods are no longer a question of fairness, and would be slow to rebuild day by day.
MAX_PERIOD_DAYS = 5 * 366
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d-%m-%y"]


def dutch(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def date_widget():
    # A text field, not type="date": a browser empties a date field it cannot read, and
    # what the coordinator typed must stay in view beside the error.
    return forms.DateInput(
        attrs={"placeholder": _("dd-mm-jjjj"), "size": 11, "autocomplete": "off"},
        format="%d-%m-%Y",
    )


def school_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The school year a day falls in: 1 August to 31 July."""
    first = dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)
    return first, dt.date(first.year + 1, 7, 31)


class PeriodForm(forms.Form):
    van = forms.DateField(
        label=_("Van"),
        input_formats=DATE_FORMATS,
        widget=date_widget(),
        error_messages={
            "required": _("Vul de eerste dag in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 1-8-2026."),
        },
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        input_formats=DATE_FORMATS,
        widget=date_widget(),
        error_messages={
            "required": _("Vul de laatste dag in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-7-2027."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start is None or end is None:
            return cleaned
        if end < start:
            self.add_error("tot", _("De laatste dag mag niet vóór de eerste dag liggen."))
        elif (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error("tot", _("Kies een periode van hooguit vijf jaar."))
        elif start > timezone.localdate():
            self.add_error(
                "van", _("Deze periode is nog niet begonnen: er is nog niets te tellen.")
            )
        return cleaned


# The parts of a bar, in the chart's order, with the class that colours them.
PARTS = [
    ("news", "airtime-news", _("nieuws")),
    ("sessions", "airtime-sessions", _("masterclasses")),
    ("posts", "airtime-posts", _("social-mediaberichten")),
    ("videos", "airtime-videos", _("video's")),
]
CHART_WIDTH = 360
BAR_WIDTH = 280
ROW_HEIGHT = 46
TOP = 28


@dataclass
class Segment:
    x: float
    width: float
    css: str


@dataclass
class Bar:
    row: object
    y: int
    segments: list[Segment]
    end: float


def chart(table: Table) -> dict:
    """Coordinates of a horizontal stacked bar per row, and of the fair-share line."""
    largest = max([row.total for row in table.rows] + [table.fair["total"], 1])
    scale = BAR_WIDTH / largest
    bars = []
    for index, row in enumerate(table.rows):
        x, segments = 0.0, []
        for name, css, _label in PARTS:
            width = getattr(row, name) * scale
            if width:
                segments.append(Segment(round(x, 1), round(width, 1), css))
            x += width
        bars.append(Bar(row, TOP + index * ROW_HEIGHT, segments, round(x, 1)))
    return {
        "width": CHART_WIDTH,
        "height": TOP + len(bars) * ROW_HEIGHT,
        "bars": bars,
        "fair_x": round(table.fair["total"] * scale, 1),
        # The label reads from the line rightwards, or leftwards when it would run off.
        "fair_anchor": "end" if table.fair["total"] * scale > BAR_WIDTH - 60 else "start",
        "legend": [(css, label) for _name, css, label in PARTS],
    }


# The columns of each table after the name: (field, label). Most fields are a figure of the
# row; "gap", "messages", "is_overdue_host" and "behind" are written out by _cell.
TOTAL_AND_GAP = [("total", _("Totaal")), ("gap", _("Verschil met eerlijk deel"))]
REACH = [
    ("posts", _("Berichten geplaatst")),
    ("posts_planned", _("Berichten gepland")),
    ("videos", _("Video's")),
]
SCHOOL_COLUMNS = [
    *TOTAL_AND_GAP,
    ("news", _("Nieuws")),
    ("top_days", _("Dagen bovenaan")),
    ("sessions", _("Masterclasses als gastschool")),
    ("pupils", _("Leerlingen ontvangen")),
    ("partners", _("Partners ontvangen")),
    *REACH,
    ("is_overdue_host", _("Gastschool")),
    ("behind", _("Valt achter")),
]
SESSIONS = [
    ("sessions", _("Masterclasses")),
    ("pupils", _("Leerlingen")),
    ("partners", _("Partners")),
]
COMPANY_COLUMNS = [
    *TOTAL_AND_GAP,
    ("top_days", _("Dagen bovenaan")),
    *SESSIONS,
    *REACH,
    ("behind", _("Valt achter")),
]
STORYLINE_COLUMNS = [
    *TOTAL_AND_GAP,
    *SESSIONS,
    *REACH,
    ("messages", _("Boodschappen per doelgroep")),
    ("behind", _("Valt achter")),
]


@dataclass
class Cell:
    """What a table cell shows: a flag in bold (optional), then its text."""

    text: object = ""
    flag: str = ""


@dataclass
class Row:
    name: str
    url: str
    is_behind: bool
    cells: list[Cell]


@dataclass
class TableView:
    """One table of the page, its cells written out so the template only places them."""

    id: str
    caption: str
    name_header: str
    headers: list[str]
    rows: list[Row]
    empty: str
    # The cells of the fair-share row in the footer; None for a table without one.
    fair: list[Cell] | None

    @property
    def width(self) -> int:
        return len(self.headers) + 1


def _cell(row: Airtime, field: str) -> Cell:
    if field == "gap":
        return Cell(("+" if row.gap > 0 else "") + floatformat(row.gap, 1))
    if field == "messages":
        return Cell(gettext("%(n)s van %(total)s") % {"n": row.messages, "total": AUDIENCES})
    if field == "is_overdue_host":
        return (
            Cell(flag=gettext("aan de beurt")) if row.is_overdue_host else Cell(gettext("in orde"))
        )
    if field == "behind":
        if not row.is_behind:
            return Cell("–")
        names = [gettext("nieuws") if name == "news" else gettext("totaal") for name in row.behind]
        return Cell(": " + ", ".join(names), flag=gettext("achter"))
    return Cell(getattr(row, field))


def _fair_cell(fair: dict[str, float], field: str) -> Cell:
    if field == "gap":
        return Cell("0")
    if field in fair:
        return Cell(floatformat(fair[field], 1))
    return Cell()


def table_view(table: Table, *, id, caption, name_header, columns, url, name, empty, footer=True):
    """The description of one table: per row the link, the cells and the behind flag."""
    fields = [field for field, _label in columns]
    return TableView(
        id=id,
        caption=caption,
        name_header=name_header,
        headers=[label for _field, label in columns],
        rows=[
            Row(
                name=getattr(row.obj, name),
                url=reverse(url, args=[row.obj.pk]),
                is_behind=row.is_behind,
                cells=[_cell(row, field) for field in fields],
            )
            for row in table.rows
        ],
        empty=empty,
        fair=[_fair_cell(table.fair, field) for field in fields] if footer else None,
    )


def tables(ledger: Ledger) -> dict[str, TableView]:
    return {
        "schools": table_view(
            ledger.schools,
            id="airtime-schools-caption",
            caption=_("Zendtijd per school"),
            name_header=_("School"),
            columns=SCHOOL_COLUMNS,
            url="admin:schools_school_change",
            name="name",
            empty=_("Er zijn nog geen gepubliceerde scholen."),
        ),
        "companies": table_view(
            ledger.companies,
            id="airtime-companies-caption",
            caption=_("Zendtijd per bedrijf"),
            name_header=_("Bedrijf"),
            columns=COMPANY_COLUMNS,
            url="admin:companies_company_change",
            name="name",
            empty=_("Er zijn nog geen gepubliceerde bedrijven."),
        ),
        "storylines": table_view(
            ledger.storylines,
            id="airtime-storylines-caption",
            caption=_("Zendtijd per verhaallijn"),
            name_header=_("Verhaallijn"),
            columns=STORYLINE_COLUMNS,
            url="admin:campaign_storyline_change",
            name="title",
            empty=_("Er zijn nog geen gepubliceerde verhaallijnen."),
            footer=False,
        ),
    }


def _presets(today: dt.date) -> list[tuple[str, str]]:
    this_year = school_year(today)
    last_year = school_year(this_year[0] - dt.timedelta(days=1))
    twelve_months = (today - dt.timedelta(days=364), today)
    url = reverse("admin:airtime")

    def link(period):
        return f"{url}?{urlencode({'van': dutch(period[0]), 'tot': dutch(period[1])})}"

    return [
        (link(this_year), _("dit schooljaar")),
        (link(last_year), _("vorig schooljaar")),
        (link(twelve_months), _("laatste 12 maanden")),
    ]


def airtime_view(request, *, site_context: dict):
    """Who had how much airtime in a period, and who falls behind."""
    if not (
        request.user.has_perm("schools.view_school")
        and request.user.has_perm("events.view_session")
    ):
        raise PermissionDenied
    today = timezone.localdate()
    if "van" in request.GET or "tot" in request.GET:
        form = PeriodForm(request.GET)
    else:
        start, end = school_year(today)
        form = PeriodForm({"van": dutch(start), "tot": dutch(end)})
    ledger: Ledger | None = None
    if form.is_valid():
        ledger = build_ledger(start=form.cleaned_data["van"], end=form.cleaned_data["tot"])
    context = {
        **site_context,
        "title": _("Zendtijd per school, bedrijf en verhaallijn"),
        "form": form,
        "ledger": ledger,
        "presets": _presets(today),
        "behind_percent": round(BEHIND_SHARE * 100),
    }
    if ledger is not None:
        context["school_chart"] = chart(ledger.schools)
        context["tables"] = tables(ledger)
        context["period"] = _("%(start)s tot en met %(end)s") % {
            "start": date_format(ledger.start, "j F Y"),
            "end": date_format(ledger.end, "j F Y"),
        }
    return TemplateResponse(request, "admin/events/airtime.html", context)
