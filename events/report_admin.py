"""The programme report in the admin: a page, a printable page and a CSV download."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.spreadsheet import csv_response
from events.models import MasterclassRound, Session
from events.report import Line, Period, Report, build_report

# Seeing the figures is seeing the anonymous counts of the sign-ups.
REPORT_PERMISSION = "events.view_participationcount"
ROUND_PREFIX = "ronde-"


class ReportPeriodForm(forms.Form):
    """One choice: a year (with sessions) or a round."""

    periode = forms.ChoiceField(
        label=gettext_lazy("Periode"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Deze periode bestaat niet. Kies een jaar of een ronde uit de lijst."
            )
        },
    )

    def __init__(self, data, *, today):
        super().__init__(data)
        self.this_year = today.year
        years = {date.year for date in Session.objects.dates("starts_at", "year")}
        years.add(self.this_year)
        self.rounds = {
            f"{ROUND_PREFIX}{masterclass_round.pk}": masterclass_round
            for masterclass_round in MasterclassRound.objects.order_by("-starts_on", "pk")
        }
        self.fields["periode"].choices = [
            (_("Jaar"), [(str(year), str(year)) for year in sorted(years, reverse=True)]),
            (_("Ronde"), [(value, r.name) for value, r in self.rounds.items()]),
        ]

    def period(self) -> Period:
        """The chosen period; this year when nothing (valid) was chosen."""
        value = self.cleaned_data.get("periode") if self.is_valid() else ""
        if value in self.rounds:
            return Period.for_round(self.rounds[value])
        return Period.for_year(int(value) if value else self.this_year)


def _report(request) -> tuple[ReportPeriodForm, Report]:
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    form = ReportPeriodForm(request.GET or None, today=timezone.localdate())
    return form, build_report(form.period())


def programme_report_view(request, *, site_context: dict):
    """The figures on an admin page, with the period to choose and the downloads."""
    form, report = _report(request)
    context = {
        **site_context,
        "title": _("Cijfers van het programma"),
        "subtitle": report.period.label,
        "form": form,
        "report": report,
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "admin/events/programme_report.html", context)


def programme_report_print_view(request):
    """The same figures on a plain page to print: no admin menus."""
    form, report = _report(request)
    context = {
        "report": report,
        "printed_at": timezone.localtime(),
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "admin/events/programme_report_print.html", context)


TALLY_HEADINGS = [
    gettext_lazy("masterclasses"),
    gettext_lazy("plaatsen leerlingen"),
    gettext_lazy("plaatsen partners"),
    gettext_lazy("bevestigde aanmeldingen"),
    gettext_lazy("leerlingen"),
    gettext_lazy("partners"),
    gettext_lazy("aanwezig"),
    gettext_lazy("afwezig"),
    gettext_lazy("op de wachtlijst"),
    gettext_lazy("geannuleerde aanmeldingen"),
]


def _tally_cells(tally) -> list[int]:
    return [
        tally.sessions,
        tally.pupil_seats,
        tally.partner_seats,
        tally.bookings,
        tally.pupils,
        tally.partners,
        tally.attended,
        tally.absent,
        tally.waitlisted,
        tally.cancelled,
    ]


def report_rows(report: Report):
    """The report as rows for a spreadsheet: one block per table, a blank row between."""
    yield [_("Cijfers van het programma"), report.period.label]
    yield [
        _("van"),
        report.period.first_day.strftime("%d-%m-%Y"),
        _("tot en met"),
        report.period.last_day.strftime("%d-%m-%Y"),
    ]

    def tally_block(title: str, heading: str, lines: list[Line]):
        yield []
        yield [title]
        yield [heading, *TALLY_HEADINGS]
        for line in lines:
            yield [line.label, *_tally_cells(line.tally)]

    yield []
    yield [_("Masterclasses"), *TALLY_HEADINGS]
    yield [_("Totaal"), *_tally_cells(report.total)]
    if report.period.round is None:
        yield from tally_block(_("Per ronde"), _("ronde"), report.by_round)
    yield from tally_block(_("Per school (gastschool)"), _("school"), report.by_school)
    yield from tally_block(_("Per verhaallijn"), _("verhaallijn"), report.by_storyline)
    yield from tally_block(_("Per publiek"), _("publiek"), report.by_audience)
    yield from tally_block(
        _("Partners per soort organisatie"), _("soort organisatie"), report.by_organisation_type
    )
    yield []
    yield [_("Nieuws per school"), _("gepubliceerde berichten")]
    for line in report.news_by_school:
        yield [line.label, line.count]
    yield []
    yield [_("Social media per kanaal"), _("geplaatste berichten")]
    for line in report.posts_by_channel:
        yield [line.label, line.count]
    yield []
    yield [_("Bijdragen van bedrijven per soort"), _("aantal keer"), _("aantal")]
    for line in report.contributions_by_kind:
        yield [line.label, line.count, line.quantity]
    yield []
    yield [_("Bijdragen per bedrijf"), _("soort"), _("aantal keer"), _("aantal")]
    for line in report.contributions_by_company:
        yield [line.label, line.detail, line.count, line.quantity]


def programme_report_csv_view(request):
    """The figures as CSV for Excel."""
    form, report = _report(request)
    return csv_response(
        report_rows(report), filename=_("cijfers-%(period)s") % {"period": report.period.label}
    )
