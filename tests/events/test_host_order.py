"""Which school's turn it is to host (events.planning.host_order): every school, in order,
each with the reasons for its place."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.planning import host_order
from tests.factories import MasterclassRoundFactory, SchoolFactory, SessionFactory, StorylineFactory

pytestmark = pytest.mark.django_db


def host(school, masterclass_round, storyline, starts_at):
    return SessionFactory(
        host_school=school,
        round=masterclass_round,
        storyline=storyline,
        starts_at=starts_at,
        registration_opens_at=starts_at - dt.timedelta(days=30),
        registration_closes_at=starts_at - dt.timedelta(days=1),
    )


def test_host_order_puts_storyline_fit_first_when_schools_are_otherwise_equal():
    robots, green = StorylineFactory(title="Robots"), StorylineFactory(title="Groen")
    new_round = MasterclassRoundFactory()
    fits = SchoolFactory(name="Zuid College")
    fits.storylines.add(robots)
    other = SchoolFactory(name="Aa College")
    other.storylines.add(green)
    hosting = SchoolFactory(name="Midden College")
    host(hosting, new_round, robots, timezone.now() + dt.timedelta(days=25))

    candidates = host_order(masterclass_round=new_round)

    assert [c.school.name for c in candidates] == ["Zuid College", "Aa College", "Midden College"]
    reasons = {c.school.name: c.reasons() for c in candidates}
    assert "past bij Robots" in reasons["Zuid College"]
    assert "geen verhaallijn van deze ronde" in reasons["Aa College"]
    assert "nog nooit gastschool" in reasons["Aa College"]
    assert reasons["Midden College"][0] == "al gastschool voor 1 masterclass in deze ronde"
    assert [c.is_suggested for c in candidates] == [True, True, False]


def test_host_order_explains_the_last_hosting_and_the_count_in_recent_rounds():
    storyline = StorylineFactory()
    starts = timezone.make_aware(dt.datetime(2026, 3, 12, 14))
    earlier = MasterclassRoundFactory(starts_on=starts.date(), ends_on=starts.date())
    school = SchoolFactory(name="Oost College")
    host(school, earlier, storyline, starts)
    host(school, earlier, storyline, starts - dt.timedelta(days=1))

    (candidate,) = host_order(now=starts + dt.timedelta(days=100))

    assert candidate.recent_hostings == 2
    assert "2 keer gastschool in de laatste 4 rondes" in candidate.reasons()
    assert "laatst gastschool op 12 maart 2026" in candidate.reasons()
    assert not candidate.is_overdue


def test_host_order_counts_only_the_last_rounds_for_fewest_hostings():
    storyline = StorylineFactory()
    school = SchoolFactory()
    today = timezone.localdate()
    for n in range(6):
        day = today - dt.timedelta(days=100 + 180 * n)
        masterclass_round = MasterclassRoundFactory(starts_on=day, ends_on=day)
        if n >= 4:  # hosted only in the two oldest of six rounds
            host(
                school,
                masterclass_round,
                storyline,
                timezone.make_aware(dt.datetime.combine(day, dt.time(14))),
            )

    (candidate,) = host_order()

    assert candidate.recent_hostings == 0
    assert candidate.last_hosted is not None


def test_round_add_page_lists_every_school_in_order(coordinator_client):
    SchoolFactory(name="Aa College")
    SchoolFactory(name="Bb College")

    response = coordinator_client.get(reverse("admin:events_masterclassround_add"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Aa College") < html.index("Bb College")
    assert "Nog aan de beurt dit jaar:" in html
