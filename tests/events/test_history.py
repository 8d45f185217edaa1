"""Sign-up status changes appear in the session's history, with where they came from and
without the child's or parent's data."""

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from events.models import Registration
from tests.events.test_signup import child_data, sign_up
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def comments(session) -> list[str]:
    return [
        version.revision.get_comment()
        for version in Version.objects.get_for_object(session).order_by("pk")
    ]


def test_public_signup_appears_in_the_session_history_via_the_website(client):
    session = SessionFactory(seats=5)

    sign_up(client, session, child_data(child_first_name="Noor", contact_name="Ouder Jansen"))

    registration = Registration.objects.get()
    version = Version.objects.get_for_object(session).get()
    assert version.revision.user is None
    assert version.revision.get_comment() == (
        f"Aanmelding {registration.pk}: bevestigd. (via de website)"
    )
    assert "Noor" not in version.serialized_data + version.revision.get_comment()
    assert "Jansen" not in version.serialized_data


def test_coordinator_cancel_and_promotion_appear_in_the_session_history_with_the_user(
    coordinator_client, coordinator
):
    session = SessionFactory(seats=1)
    placed = RegistrationFactory(session=session, status="confirmed")
    waiting = RegistrationFactory(session=session, status="waitlisted")

    coordinator_client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "cancel_selected", "_selected_action": [placed.pk]},
    )

    versions = list(Version.objects.get_for_object(session).order_by("pk"))
    assert [v.revision.get_comment() for v in versions] == [
        f"Aanmelding {placed.pk}: geannuleerd.",
        f"Aanmelding {waiting.pk}: van de wachtlijst naar bevestigd.",
    ]
    assert {v.revision.user for v in versions} == {coordinator}


def test_session_history_keeps_no_registration_rows(coordinator_client):
    session = SessionFactory(seats=3, status="draft")
    RegistrationFactory(session=session, child_first_name="Noor")
    url = reverse("admin:events_session_change", args=[session.pk])

    coordinator_client.post(
        reverse("admin:events_session_changelist"),
        {"action": "publish", "_selected_action": [session.pk]},
    )

    assert comments(session) == ["Gepubliceerd."]
    assert not reversion.is_registered(Registration)
    registration_type = ContentType.objects.get_for_model(Registration)
    assert not Version.objects.filter(content_type=registration_type).exists()
    assert coordinator_client.get(url).status_code == 200
