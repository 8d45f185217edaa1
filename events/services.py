"""Writes around masterclass sign-up: seats, waiting list, cancellation, reminders, purging."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.context_processors import site_name
from campaign.history import record_history
from campaign.mail import queue_email
from campaign.seo import absolute_url
from companies.models import Company
from events.figures import count_registrations, store_counts
from events.ics import session_attachments
from events.models import OrganisationType, ParticipationCount, Registration, Session
from schools.models import School

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
    """What a parent, teacher or partner sends in; only what the session needs."""

    kind: Registration.Kind
    contact_name: str
    contact_email: str
    primary_school: str = ""
    child_first_name: str = ""
    child_group: str = ""
    pupil_count: int = 1
    has_parental_consent: bool = False
    # A partner: a partner school or company from the list, or another organisation typed in.
    organisation_type: str = ""
    partner_school: School | None = None
    partner_company: Company | None = None
    organisation_name: str = ""
    role: str = ""
    dietary_needs: str = ""
    access_needs: str = ""

    @property
    def is_partner(self) -> bool:
        return self.kind == Registration.Kind.PARTNER

    def registration_fields(self) -> dict:
        """The registration's own fields: a pupil's or a partner's, never a mix."""
        if self.is_partner:
            return {
                "pupil_count": 1,
                "organisation_type": self.organisation_type,
                "partner_school": self.partner_school,
                "partner_company": self.partner_company,
                "organisation_name": self.organisation_name,
                "role": self.role,
                "dietary_needs": self.dietary_needs,
                "access_needs": self.access_needs,
            }
        is_group = self.kind == Registration.Kind.GROUP
        return {
            "pupil_count": self.pupil_count if is_group else 1,
            "child_first_name": "" if is_group else self.child_first_name,
            "child_group": "" if is_group else self.child_group,
            "primary_school": self.primary_school,
            "has_parental_consent": False if is_group else self.has_parental_consent,
        }


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
    """Raise RegistrationError for a session not meant for this kind, a booking too big or a
    double submission."""
    if signup.is_partner and not session.has_partners:
        raise RegistrationError(_("Deze masterclass is alleen voor leerlingen."))
    if not signup.is_partner and not session.has_pupils:
        raise RegistrationError(_("Deze masterclass is alleen voor partners."))
    if signup.is_partner:
        _check_partner(signup)
    if signup.kind == Registration.Kind.GROUP and signup.pupil_count > session.max_per_booking:
        raise RegistrationError(
            _("Met één boeking kunt u maximaal %(max)s leerlingen aanmelden.")
            % {"max": session.max_per_booking}
        )
    now = now or timezone.now()
    active = session.registrations.active().filter(contact_email__iexact=signup.contact_email)
    if signup.is_partner:
        if active.partners().exists():
            raise RegistrationError(
                _("U bent al aangemeld voor deze masterclass. Kijk in uw mail voor de bevestiging.")
            )
    elif signup.kind == Registration.Kind.CHILD:
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


def _check_partner(signup: SignUp) -> None:
    """A partner's organisation is one thing: a listed school, a listed company, or typed in."""
    chosen = {
        OrganisationType.SCHOOL: signup.partner_school,
        OrganisationType.COMPANY: signup.partner_company,
    }
    if signup.organisation_type not in OrganisationType.values:
        raise RegistrationError(_("Kies de soort organisatie."))
    if signup.partner_school and signup.partner_company:
        raise RegistrationError(_("Kies één organisatie: een school of een bedrijf."))
    if signup.organisation_type in chosen:
        if chosen[signup.organisation_type] is None:
            raise RegistrationError(_("Kies de school of het bedrijf uit de lijst."))
    elif signup.partner_school or signup.partner_company:
        raise RegistrationError(_("Een school of bedrijf uit de lijst hoort bij die soort."))
    elif not signup.organisation_name:
        raise RegistrationError(_("Vul de naam van de organisatie in."))


def register_for_session(
    *, session: Session, signup: SignUp, by_coordinator: bool = False
) -> Registration:
    """Sign a child, a class or a partner up, or put them on the waiting list of their kind;
    never overbooks either kind of seat."""
    now = timezone.now()
    with transaction.atomic():
        session = lock_session(session.pk)
        if not by_coordinator:
            _check_open(session, now)
        check_signup(session=session, signup=signup, now=now)
        fields = signup.registration_fields()
        # Whoever waits did not fit in the free seats (every freed seat is offered to the
        # list at once), so a newcomer who fits takes no place that someone waits for.
        status = (
            Registration.Status.CONFIRMED
            if fields["pupil_count"] <= session.free_seats(partners=signup.is_partner)
            else Registration.Status.WAITLISTED
        )
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    session=session,
                    kind=signup.kind,
                    contact_name=signup.contact_name,
                    contact_email=signup.contact_email,
                    status=status,
                    **fields,
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
            free = session.free_seats(partners=registration.is_partner)
            if registration.pupil_count > free:
                if registration.is_partner:
                    message = _(
                        "Er zijn niet genoeg vrije plaatsen voor partners (nog %(free)s vrij, "
                        "nodig: %(count)s). Verhoog het aantal plaatsen voor partners of "
                        "annuleer eerst een andere aanmelding van een partner."
                    )
                else:
                    message = _(
                        "Er zijn niet genoeg vrije plaatsen (nog %(free)s vrij, nodig: %(count)s). "
                        "Verhoog het aantal plaatsen of annuleer eerst een andere aanmelding."
                    )
                raise RegistrationError(message % {"free": free, "count": registration.pupil_count})
            mail_kind = RegistrationMail.PROMOTED
        registration.status = status
        registration.cancelled_at = None
        try:
            with transaction.atomic():
                registration.save(update_fields=["status", "cancelled_at"])
        except IntegrityError as error:
            if registration.is_partner:
                message = _("Deze partner heeft al een andere aanmelding voor deze masterclass.")
            else:
                message = _("Dit kind heeft al een andere aanmelding voor deze masterclass.")
            raise RegistrationError(message) from error
        _record_status(session, registration, via_website=False)
        _mail(registration, session, mail_kind)
        return _promote_from_waitlist(session)


def fill_free_seats(*, session: Session) -> list[Registration]:
    """Give free seats to the waiting list, e.g. after a coordinator added seats."""
    with transaction.atomic():
        return _promote_from_waitlist(lock_session(session.pk))


def _promote_from_waitlist(session: Session) -> list[Registration]:
    """Each waiting list in order of sign-up: the first ones that fit in the free seats of
    their own kind get a place. The caller holds the lock."""
    if session.starts_at <= timezone.now():
        return []
    # Counted again: the caller may just have freed or taken seats in this transaction.
    counted = _read_seats(session.pk)
    waiting = session.registrations.waiting_list()
    promoted = []
    for free, candidates in (
        (counted.free_seats(), waiting.pupils()),
        (counted.free_seats(partners=True), waiting.partners()),
    ):
        for candidate in candidates:
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


def purge_session_registrations(*, session: Session) -> list[ParticipationCount]:
    """Delete a session's registrations, adding their anonymous counts to the stored ones first."""
    with transaction.atomic():
        session = lock_session(session.pk)
        # The same grouping every figure reads live registrations with: the figures stay
        # the same, and a later purge of late additions adds to the earlier counts.
        stored = store_counts(count_registrations(session.registrations.all()))
        session.registrations.all().delete()
    return stored


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
        "is_partner": registration.is_partner,
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
