"""Writes around masterclass sign-up: seats, waiting list, cancellation, reminders, purging."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.context_processors import site_name
from campaign.history import record_history
from campaign.mail import queue_email
from campaign.seo import absolute_url
from events.ics import session_attachments
from events.models import Registration, Session, SessionFigures

# Two identical class bookings this close together are a double click, not two classes.
GROUP_DOUBLE_SUBMIT_WINDOW = dt.timedelta(minutes=30)
# How long a sign-up waits for another transaction's lock on the session's seats.
SEAT_LOCK_TIMEOUT_MS = 5000


class RegistrationMail(StrEnum):
    """The mails about a registration; each has its template ``registration_<value>.txt``."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    CANCELLED = "cancelled"
    REMINDER = "reminder"


class RegistrationError(Exception):
    """A sign-up or status change that the rules do not allow; the message is for people."""


@dataclass(frozen=True, kw_only=True)
class SignUp:
    """What a parent or teacher sends in; only what the session needs."""

    kind: Registration.Kind
    contact_name: str
    contact_email: str
    primary_school: str
    child_first_name: str = ""
    child_group: str = ""
    pupil_count: int = 1
    has_parental_consent: bool = False


def lock_session(pk: int) -> Session:
    """Lock the session row and read its seats: one transaction at a time gives them out.

    Waits at most ``SEAT_LOCK_TIMEOUT_MS`` for the lock; a visitor is better off trying
    again than watching a page hang behind a stuck transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "lock_session() must run inside transaction.atomic()."
        )
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # SET LOCAL: only for this transaction, and put back once the lock is held.
                cursor.execute(f"SET LOCAL lock_timeout = '{int(SEAT_LOCK_TIMEOUT_MS)}ms'")
                Session.objects.select_for_update().filter(pk=pk).values_list("pk").get()
                cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
        else:
            # SQLite ignores FOR UPDATE; a write takes its database lock instead.
            Session.objects.filter(pk=pk).update(seats=F("seats"))
    except OperationalError as error:
        raise RegistrationError(
            _("Het is op dit moment erg druk. Er is niets opgeslagen; probeer het zo nog eens.")
        ) from error
    # Read after the lock is held: a count read while waiting for it could be stale.
    return _read_seats(pk)


def _read_seats(pk: int) -> Session:
    return Session.objects.with_seats().select_related("host_school").get(pk=pk)


def _local(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "l j F Y, H:i")


def _check_open(session: Session, now: dt.datetime) -> None:
    if not Session.objects.public().filter(pk=session.pk).exists():
        raise RegistrationError(_("Deze masterclass bestaat niet (meer)."))
    state = session.registration_state(now)
    if state == Session.State.PAST:
        raise RegistrationError(_("Deze masterclass is al begonnen of geweest."))
    if state == Session.State.NOT_YET:
        raise RegistrationError(
            _("Aanmelden kan pas vanaf %(date)s uur.")
            % {"date": _local(session.registration_opens_at)}
        )
    if state == Session.State.CLOSED:
        raise RegistrationError(_("Aanmelden voor deze masterclass is gesloten."))


def check_signup(*, session: Session, signup: SignUp, now: dt.datetime | None = None) -> None:
    """Raise RegistrationError for a booking too big or a double submission."""
    if signup.kind == Registration.Kind.GROUP and signup.pupil_count > session.max_per_booking:
        raise RegistrationError(
            _("Met één boeking kunt u maximaal %(max)s leerlingen aanmelden.")
            % {"max": session.max_per_booking}
        )
    now = now or timezone.now()
    active = session.registrations.active().filter(contact_email__iexact=signup.contact_email)
    if signup.kind == Registration.Kind.CHILD:
        if active.filter(
            kind=Registration.Kind.CHILD, child_first_name__iexact=signup.child_first_name
        ).exists():
            raise RegistrationError(
                _(
                    "%(name)s is al aangemeld voor deze masterclass. Kijk in uw mail voor de bevestiging."
                )
                % {"name": signup.child_first_name}
            )
    elif active.filter(
        kind=Registration.Kind.GROUP,
        primary_school__iexact=signup.primary_school,
        pupil_count=signup.pupil_count,
        created_at__gte=now - GROUP_DOUBLE_SUBMIT_WINDOW,
    ).exists():
        raise RegistrationError(
            _(
                "Deze klas hebben we net al aangemeld. Kijk in uw mail voor de bevestiging; "
                "wilt u echt nog een klas aanmelden, probeer het dan over een halfuur opnieuw."
            )
        )


def register_for_session(
    *, session: Session, signup: SignUp, by_coordinator: bool = False
) -> Registration:
    """Sign a child or a class up, or put them on the waiting list; never overbooks."""
    is_group = signup.kind == Registration.Kind.GROUP
    now = timezone.now()
    with transaction.atomic():
        session = lock_session(session.pk)
        if not by_coordinator:
            _check_open(session, now)
        check_signup(session=session, signup=signup, now=now)
        # Whoever waits did not fit in the free seats (every freed seat is offered to the
        # list at once), so a newcomer who fits takes no place that someone waits for.
        pupils = signup.pupil_count if is_group else 1
        status = (
            Registration.Status.CONFIRMED
            if pupils <= session.free_seats()
            else Registration.Status.WAITLISTED
        )
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    session=session,
                    kind=signup.kind,
                    pupil_count=pupils,
                    child_first_name="" if is_group else signup.child_first_name,
                    child_group="" if is_group else signup.child_group,
                    primary_school=signup.primary_school,
                    contact_name=signup.contact_name,
                    contact_email=signup.contact_email,
                    has_parental_consent=False if is_group else signup.has_parental_consent,
                    status=status,
                )
        except IntegrityError as error:
            # The unique constraint caught a double submission the check above missed.
            raise RegistrationError(_("Deze aanmelding hebben we al ontvangen.")) from error
        _record_status(session, registration, via_website=not by_coordinator)
        _mail_registration(registration, session)
    return registration


def cancel_registration(
    *, registration: Registration, by_coordinator: bool = False
) -> list[Registration]:
    """Cancel a place, tell the contact, and give freed seats to the waiting list."""
    with transaction.atomic():
        session = lock_session(registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationError(_("Deze aanmelding is al geannuleerd."))
        if not by_coordinator and session.starts_at <= timezone.now():
            raise RegistrationError(
                _("Deze masterclass is al begonnen of geweest; annuleren kan niet meer.")
            )
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        _record_status(session, registration, via_website=not by_coordinator)
        _mail(registration, session, RegistrationMail.CANCELLED)
        promoted = _promote_from_waitlist(session)
    return promoted


def change_registration_status(
    *, registration: Registration, status: Registration.Status
) -> list[Registration]:
    """A coordinator's status change, under the same seat rules as the public site.

    Returns the registrations that got a place from the waiting list as a result.
    """
    if status == registration.status:
        return []
    if status == Registration.Status.CANCELLED:
        return cancel_registration(registration=registration, by_coordinator=True)
    with transaction.atomic():
        session = lock_session(registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if status == Registration.Status.WAITLISTED:
            if registration.status == Registration.Status.CONFIRMED:
                raise RegistrationError(
                    _(
                        "Een bevestigde plaats gaat niet terug naar de wachtlijst. "
                        "Annuleer de aanmelding als de plaats vrij moet komen."
                    )
                )
            mail_kind = RegistrationMail.WAITLISTED
        else:
            free = session.free_seats()
            if registration.pupil_count > free:
                raise RegistrationError(
                    _(
                        "Er zijn niet genoeg vrije plaatsen (nog %(free)s vrij, nodig: %(count)s). "
                        "Verhoog het aantal plaatsen of annuleer eerst een andere aanmelding."
                    )
                    % {"free": free, "count": registration.pupil_count}
                )
            mail_kind = RegistrationMail.PROMOTED
        registration.status = status
        registration.cancelled_at = None
        try:
            with transaction.atomic():
                registration.save(update_fields=["status", "cancelled_at"])
        except IntegrityError as error:
            raise RegistrationError(
                _("Dit kind heeft al een andere aanmelding voor deze masterclass.")
            ) from error
        _record_status(session, registration, via_website=False)
        _mail(registration, session, mail_kind)
        return _promote_from_waitlist(session)


def fill_free_seats(*, session: Session) -> list[Registration]:
    """Give free seats to the waiting list, e.g. after a coordinator added seats."""
    with transaction.atomic():
        return _promote_from_waitlist(lock_session(session.pk))


def _promote_from_waitlist(session: Session) -> list[Registration]:
    """In order of sign-up, the first ones that fit get a place. The caller holds the lock."""
    if session.starts_at <= timezone.now():
        return []
    # Counted again: the caller may just have freed or taken seats in this transaction.
    free = _read_seats(session.pk).free_seats()
    promoted = []
    for candidate in session.registrations.waiting_list():
        if free <= 0:
            break
        if candidate.pupil_count <= free:
            candidate.status = Registration.Status.CONFIRMED
            candidate.save(update_fields=["status"])
            free -= candidate.pupil_count
            promoted.append(candidate)
            _record_status(session, candidate, promoted=True)
            _mail(candidate, session, RegistrationMail.PROMOTED)
    return promoted


def _record_status(
    session: Session, registration: Registration, *, via_website=False, promoted=False
) -> None:
    """Note a sign-up's new status in the session's history: number and status, no names."""
    if promoted:
        comment = _("Aanmelding %(number)s: van de wachtlijst naar bevestigd.")
    else:
        comment = _("Aanmelding %(number)s: %(status)s.")
    record_history(
        session,
        comment=comment
        % {"number": registration.pk, "status": registration.get_status_display().lower()},
        via_website=via_website,
    )


# Reminders and purging -----------------------------------------------------------


def send_reminder(*, registration: Registration) -> bool:
    """Mail one reminder and mark it sent; False when it was sent already (or no longer due)."""
    with transaction.atomic():
        # Locked and re-read: two runs of the command at once still send one reminder.
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("session", "session__host_school")
            .filter(
                pk=registration.pk,
                status=Registration.Status.CONFIRMED,
                reminder_sent_at__isnull=True,
            )
            .first()
        )
        if registration is None:
            return False
        registration.reminder_sent_at = timezone.now()
        registration.save(update_fields=["reminder_sent_at"])
        _mail(registration, registration.session, RegistrationMail.REMINDER)
    return True


def purge_session_registrations(*, session: Session) -> SessionFigures:
    """Delete a session's registrations, adding their anonymous counts to its figures first."""
    confirmed = Q(status=Registration.Status.CONFIRMED)
    with transaction.atomic():
        session = lock_session(session.pk)
        counts = session.registrations.aggregate(
            confirmed_bookings=Count("pk", filter=confirmed),
            confirmed_pupils=Sum("pupil_count", filter=confirmed, default=0),
            child_bookings=Count("pk", filter=confirmed & Q(kind=Registration.Kind.CHILD)),
            group_bookings=Count("pk", filter=confirmed & Q(kind=Registration.Kind.GROUP)),
            waitlisted_pupils=Sum(
                "pupil_count", filter=Q(status=Registration.Status.WAITLISTED), default=0
            ),
            cancelled_bookings=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
            attended_pupils=Sum("pupil_count", filter=confirmed & Q(attended=True), default=0),
            absent_pupils=Sum("pupil_count", filter=confirmed & Q(attended=False), default=0),
        )
        figures, _created = SessionFigures.objects.get_or_create(
            session=session, defaults={"purged_at": timezone.now()}
        )
        # Added, not overwritten: a later purge of late additions keeps the earlier counts.
        for field, value in counts.items():
            setattr(figures, field, getattr(figures, field) + value)
        figures.purged_at = timezone.now()
        figures.save()
        session.registrations.all().delete()
    return figures


# E-mail --------------------------------------------------------------------------

# Lazy: translated when a mail is made, not once at import.
SUBJECTS = {
    RegistrationMail.CONFIRMED: gettext_lazy("Aangemeld: %(title)s"),
    RegistrationMail.WAITLISTED: gettext_lazy("Op de wachtlijst: %(title)s"),
    RegistrationMail.PROMOTED: gettext_lazy("Er is plek! Aangemeld: %(title)s"),
    RegistrationMail.CANCELLED: gettext_lazy("Afgemeld: %(title)s"),
    RegistrationMail.REMINDER: gettext_lazy("Herinnering: %(title)s op %(date)s"),
}
# These carry the session as a calendar file.
WITH_CALENDAR = {RegistrationMail.CONFIRMED, RegistrationMail.PROMOTED, RegistrationMail.REMINDER}


def _mail_registration(registration: Registration, session: Session) -> None:
    if registration.status == Registration.Status.CONFIRMED:
        _mail(registration, session, RegistrationMail.CONFIRMED)
    else:
        _mail(registration, session, RegistrationMail.WAITLISTED)


def _mail(registration: Registration, session: Session, kind: RegistrationMail) -> None:
    """Queue one mail about a registration; inside the caller's transaction."""
    cancel_path = reverse("events:registration-cancel", kwargs={"token": registration.cancel_token})
    context = {
        "registration": registration,
        "session": session,
        "is_group": registration.kind == Registration.Kind.GROUP,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "session_url": absolute_url(session.get_absolute_url()),
        "cancel_url": absolute_url(cancel_path),
        # Signed by the session's own campaign.
        "site_name": site_name(session.round.campaign) if session.round.campaign_id else None,
    }
    attachments = []
    if kind in WITH_CALENDAR:
        attachments = session_attachments(session)
    subject = SUBJECTS[kind] % {
        "title": session.title,
        "date": formats.date_format(timezone.localtime(session.starts_at), "j F"),
    }
    queue_email(
        to=[registration.contact_email],
        subject=subject,
        template=f"emails/events/registration_{kind}.txt",
        context=context,
        reply_to=settings.COORDINATOR_EMAILS,
        attachments=attachments,
    )
