"""The coordinators' page of the airtime ledger: a period chooser, a bar chart and the tables."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from events.airtime import AUDIENCES, BEHIND_SHARE, Ledger, Table, build_ledger

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
        "audiences": AUDIENCES,
    }
    if ledger is not None:
        context["school_chart"] = chart(ledger.schools)
        context["period"] = _("%(start)s tot en met %(end)s") % {
            "start": date_format(ledger.start, "j F Y"),
            "end": date_format(ledger.end, "j F Y"),
        }
    return TemplateResponse(request, "admin/events/airtime.html", context)
