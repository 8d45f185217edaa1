"""One anonymous store for the figures: ParticipationCount, filled from SessionFigures.

SessionFigures kept pupils only, in fixed columns, and not every split the new rows have.
The copy keeps every total SessionFigures held (confirmed bookings and pupils per kind,
attended and absent pupils, waitlisted pupils, cancelled bookings); what it did not keep is
put where no figure reads it: attendance goes to children's places first, a waiting list
has no bookings and a cancellation no people. The date of the purge is not kept.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


def legacy_rows(figures) -> dict[tuple[str, str, str], list[int]]:
    """``{(kind, status, attended): [bookings, people]}`` with the totals of one SessionFigures."""
    rows = {}
    left = {
        "child": figures.child_bookings,
        "group": max(figures.confirmed_pupils - figures.child_bookings, 0),
    }
    for attended, total in (("yes", figures.attended_pupils), ("no", figures.absent_pupils)):
        for kind in ("child", "group"):
            take = min(total, left[kind])
            total -= take
            left[kind] -= take
            if take:
                rows[(kind, CONFIRMED, attended)] = [take if kind == "child" else 0, take]
    for kind, people in left.items():
        if people:
            rows[(kind, CONFIRMED, "unknown")] = [people if kind == "child" else 0, people]
    if figures.group_bookings:
        group_keys = [key for key in rows if key[0] == "group"]
        if not group_keys:
            group_keys = [("group", CONFIRMED, "unknown")]
            rows[group_keys[0]] = [0, 0]
        biggest = max(group_keys, key=lambda key: rows[key][1])
        rows[biggest][0] += figures.group_bookings
    if figures.waitlisted_pupils:
        rows[("group", WAITLISTED, "unknown")] = [0, figures.waitlisted_pupils]
    if figures.cancelled_bookings:
        rows[("child", CANCELLED, "unknown")] = [figures.cancelled_bookings, 0]
    return rows


def copy_figures(apps, schema_editor):
    using = schema_editor.connection.alias
    SessionFigures = apps.get_model("events", "SessionFigures")
    ParticipationCount = apps.get_model("events", "ParticipationCount")
    ParticipationCount.objects.using(using).bulk_create(
        ParticipationCount(
            session_id=figures.session_id,
            kind=kind,
            organisation_type="",
            status=status,
            attended=attended,
            bookings=bookings,
            people=people,
        )
        for figures in SessionFigures.objects.using(using).order_by("pk")
        for (kind, status, attended), (bookings, people) in legacy_rows(figures).items()
    )


def copy_back(apps, schema_editor):
    """Pupils' stored counts back into the fixed columns (partners had none)."""
    using = schema_editor.connection.alias
    SessionFigures = apps.get_model("events", "SessionFigures")
    ParticipationCount = apps.get_model("events", "ParticipationCount")
    by_session = {}
    for row in ParticipationCount.objects.using(using).exclude(kind="partner"):
        figures = by_session.setdefault(
            row.session_id, SessionFigures(session_id=row.session_id, purged_at=timezone.now())
        )
        if row.status == CONFIRMED:
            figures.confirmed_bookings += row.bookings
            figures.confirmed_pupils += row.people
            if row.kind == "child":
                figures.child_bookings += row.bookings
            else:
                figures.group_bookings += row.bookings
            if row.attended == "yes":
                figures.attended_pupils += row.people
            elif row.attended == "no":
                figures.absent_pupils += row.people
        elif row.status == WAITLISTED:
            figures.waitlisted_pupils += row.people
        else:
            figures.cancelled_bookings += row.bookings
    SessionFigures.objects.using(using).bulk_create(by_session.values())


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_session_audience_and_partner_registrations"),
    ]

    operations = [
        migrations.CreateModel(
            name="ParticipationCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("child", "Kind (door ouder)"),
                            ("group", "Klas (door leerkracht)"),
                            ("partner", "Partner"),
                        ],
                        max_length=20,
                        verbose_name="soort aanmelding",
                    ),
                ),
                (
                    "organisation_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("school", "Partnerschool"),
                            ("company", "Bedrijf"),
                            ("municipality", "Gemeente"),
                            ("education", "Ander onderwijs"),
                            ("other", "Andere organisatie"),
                        ],
                        max_length=20,
                        verbose_name="soort organisatie",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("confirmed", "Bevestigd"),
                            ("waitlisted", "Wachtlijst"),
                            ("cancelled", "Geannuleerd"),
                        ],
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "attended",
                    models.CharField(
                        choices=[
                            ("yes", "Aanwezig"),
                            ("no", "Afwezig"),
                            ("unknown", "Niet bijgehouden"),
                        ],
                        max_length=10,
                        verbose_name="aanwezig",
                    ),
                ),
                ("bookings", models.PositiveIntegerField(default=0, verbose_name="aanmeldingen")),
                ("people", models.PositiveIntegerField(default=0, verbose_name="deelnemers")),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participation_counts",
                        to="events.session",
                        verbose_name="masterclass",
                    ),
                ),
            ],
            options={
                "verbose_name": "cijfers van een masterclass",
                "verbose_name_plural": "cijfers van masterclasses",
                "ordering": ["session", "kind", "organisation_type", "status", "attended"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "kind", "organisation_type", "status", "attended"),
                        name="unique_participation_count",
                        violation_error_message="Deze cijfers staan er al.",
                    )
                ],
            },
        ),
        # Rows are written after the table and its constraint exist: PostgreSQL refuses to
        # alter a table with rows inserted in the same transaction (pending FK triggers).
        migrations.RunPython(copy_figures, copy_back),
    ]
