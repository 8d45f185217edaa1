"""Copying a round: a new draft round with the same sessions, later; no registrations."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.publishing import PublicationStatus
from events.models import MasterclassRound, Registration, Session
from events.planning import PlanningError, copy_round
from tests.factories import (
    CompanyFactory,
    MasterclassRoundFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def local(year, month, day, hour=14):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def spring_round():
    """A published round in March 2027 (winter time) with two sessions and a sign-up."""
    source = MasterclassRoundFactory(
        name="Voorjaar 2027",
        slug="voorjaar-2027",
        starts_on=dt.date(2027, 3, 3),
        ends_on=dt.date(2027, 3, 10),
        description="Het circus reist rond.",
    )
    first = SessionFactory(
        round=source,
        slug="voorjaar-2027-het-baken",
        starts_at=local(2027, 3, 3),
        ends_at=local(2027, 3, 3, 16),
        registration_opens_at=local(2027, 2, 1, 9),
        registration_closes_at=local(2027, 3, 1, 12),
        location="Gymzaal",
        audience="groep 8",
        seats=24,
        max_per_booking=12,
    )
    first.companies.set(CompanyFactory.create_batch(2))
    SessionFactory(
        round=source,
        slug="robots",
        starts_at=local(2027, 3, 10),
        ends_at=local(2027, 3, 10, 16),
        registration_opens_at=local(2027, 2, 1, 9),
        registration_closes_at=local(2027, 3, 8, 12),
    )
    RegistrationFactory(session=first)
    return source


def test_copy_round_makes_draft_sessions_weeks_later_at_the_same_local_time():
    source = spring_round()

    new_round = copy_round(source=source, name="Voorjaar 2027 (2)", days=26 * 7)

    assert new_round.status == PublicationStatus.DRAFT
    assert (new_round.starts_on, new_round.ends_on) == (dt.date(2027, 9, 1), dt.date(2027, 9, 8))
    assert new_round.description == source.description
    copies = list(new_round.sessions.order_by("starts_at"))
    originals = list(source.sessions.order_by("starts_at"))
    assert len(copies) == 2
    for copy, original in zip(copies, originals, strict=True):
        assert copy.status == PublicationStatus.DRAFT
        assert (copy.title, copy.host_school, copy.storyline) == (
            original.title,
            original.host_school,
            original.storyline,
        )
        assert (copy.location, copy.audience, copy.seats, copy.max_per_booking) == (
            original.location,
            original.audience,
            original.seats,
            original.max_per_booking,
        )
        assert set(copy.companies.all()) == set(original.companies.all())
    # March is winter time, September summer time: the wall clock stays at 14:00.
    first = copies[0]
    assert timezone.localtime(first.starts_at) == local(2027, 9, 1)
    assert timezone.localtime(first.registration_opens_at) == local(2027, 8, 2, 9)
    assert first.slug == "voorjaar-2027-2-het-baken"
    assert copies[1].slug.startswith(copies[1].title.lower().replace(" ", "-"))
    assert not Registration.objects.filter(session__round=new_round).exists()
    # The source round is untouched.
    assert source.sessions.count() == 2
    assert Registration.objects.filter(session__round=source).count() == 1


def test_copy_round_gives_unique_slugs_when_copied_twice_under_the_same_name():
    source = spring_round()

    one = copy_round(source=source, name="Najaar 2027", days=182)
    two = copy_round(source=source, name="Najaar 2027", days=182)

    assert (one.slug, two.slug) == ("najaar-2027", "najaar-2027-2")
    assert Session.objects.count() == 6
    assert Session.objects.values("slug").distinct().count() == 6


def test_copy_round_refuses_when_the_copy_would_not_be_later():
    source = spring_round()

    with pytest.raises(PlanningError, match="later beginnen"):
        copy_round(source=source, name="Terug in de tijd", days=0)

    assert MasterclassRound.objects.count() == 1


COPY_URL = reverse("admin:events_masterclassround_copy")


def test_copy_page_offers_the_latest_round_with_26_weeks_when_opened(coordinator_client):
    MasterclassRoundFactory(starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 30))
    latest = spring_round()

    response = coordinator_client.get(COPY_URL)

    form = response.context["form"]
    assert form.initial == {"source": latest, "weeks": 26}
    assert "aanmeldingen gaan niet mee" in response.content.decode()


def test_coordinator_copies_a_round_and_lands_on_the_new_draft(coordinator_client):
    source = spring_round()

    response = coordinator_client.post(
        COPY_URL, {"source": source.pk, "weeks": "26", "name": ""}, follow=True
    )

    new_round = MasterclassRound.objects.exclude(pk=source.pk).get()
    assert new_round.name == "Najaar 2027"  # the season of the copy, when no name is given
    assert response.redirect_chain[-1][0] == reverse(
        "admin:events_masterclassround_change", args=[new_round.pk]
    )
    (message,) = (str(message) for message in response.context["messages"])
    assert message.startswith("Nieuwe ronde “Najaar 2027” gemaakt met 2 masterclasses")


def test_copy_shows_a_dutch_error_and_keeps_the_input_when_weeks_and_date_both_given(
    coordinator_client,
):
    source = spring_round()

    response = coordinator_client.post(
        COPY_URL,
        {"source": source.pk, "weeks": "26", "starts_on": "01-09-2027", "name": "Mijn ronde"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Vul het aantal weken in óf een nieuwe eerste dag" in body
    assert 'value="Mijn ronde"' in body
    assert MasterclassRound.objects.count() == 1


def test_copy_to_a_new_first_day_shifts_everything_by_as_many_days(coordinator_client):
    source = spring_round()

    response = coordinator_client.post(
        COPY_URL, {"source": source.pk, "starts_on": "15-09-2027", "name": "Najaar"}
    )

    assert response.status_code == 302
    new_round = MasterclassRound.objects.get(name="Najaar")
    assert new_round.starts_on == dt.date(2027, 9, 15)
    assert timezone.localtime(new_round.sessions.order_by("starts_at").first().starts_at) == (
        local(2027, 9, 15)
    )


def test_copy_shows_a_dutch_error_when_the_new_first_day_is_not_later(coordinator_client):
    source = spring_round()

    response = coordinator_client.post(
        COPY_URL, {"source": source.pk, "starts_on": "01-01-2027", "name": ""}
    )

    assert response.status_code == 200
    assert "De nieuwe eerste dag moet na 3 maart 2027 liggen." in response.content.decode()


def test_copy_action_opens_the_copy_page_for_the_one_chosen_round(coordinator_client):
    source = spring_round()
    changelist = reverse("admin:events_masterclassround_changelist")

    response = coordinator_client.post(
        changelist, {"action": "copy_round", "_selected_action": [source.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{COPY_URL}?ronde={source.pk}"
    page = coordinator_client.get(response["Location"])
    assert page.context["form"].initial["source"] == source


def test_copy_action_asks_for_one_round_when_two_are_chosen(coordinator_client):
    rounds = [spring_round(), MasterclassRoundFactory()]
    changelist = reverse("admin:events_masterclassround_changelist")

    response = coordinator_client.post(
        changelist,
        {"action": "copy_round", "_selected_action": [r.pk for r in rounds]},
        follow=True,
    )

    assert "Kies precies één ronde om te kopiëren." in response.content.decode()
    assert MasterclassRound.objects.count() == 2


def test_round_pages_link_to_the_copy_page(coordinator_client):
    source = spring_round()

    changelist = coordinator_client.get(reverse("admin:events_masterclassround_changelist"))
    change = coordinator_client.get(
        reverse("admin:events_masterclassround_change", args=[source.pk])
    )

    assert "Kopieer vorige ronde" in changelist.content.decode()
    assert f"{COPY_URL}?ronde={source.pk}" in change.content.decode()


def test_copy_page_is_refused_without_permission_to_add_rounds(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    client.force_login(staff)

    response = client.get(COPY_URL)

    assert response.status_code == 403
