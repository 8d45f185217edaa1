import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.models import Audience, SocialPost
from events.social import draft_social_posts
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    CompanyFactory,
    NewsItemFactory,
    SchoolFactory,
    SessionFactory,
    SocialPostFactory,
    StorylineFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db
ALL = [SocialPost.Channel.LINKEDIN, SocialPost.Channel.INSTAGRAM, SocialPost.Channel.TIKTOK]


@pytest.fixture
def campaign():
    return CampaignFactory(name="Techniek doet het", slug="techniek")


@pytest.fixture
def storyline(campaign):
    storyline = StorylineFactory(campaign=campaign, title="Groene techniek")
    AudienceMessageFactory(
        storyline=storyline, audience=Audience.COMPANY, headline="Vakmensen van morgen"
    )
    AudienceMessageFactory(storyline=storyline, audience=Audience.PUPIL, headline="Zonnepanelen!")
    return storyline


def news(campaign, storyline):
    return NewsItemFactory(
        title="Robotles op het Vakcollege", school=SchoolFactory(name="Vakcollege")
    )


def session(campaign, storyline):
    item = SessionFactory(
        storyline=storyline, host_school=SchoolFactory(name="Vakcollege"), title="Robots bouwen"
    )
    item.companies.add(CompanyFactory(name="Robotwerk Hoorn"))
    return item


def masterclass_round(campaign, storyline):
    item = session(campaign, storyline)
    return item.round


def video(campaign, storyline):
    return VideoFactory(campaign=campaign, storyline=storyline, title="Zo werkt een warmtepomp")


def whole_storyline(campaign, storyline):
    return storyline


@pytest.mark.parametrize(
    ("make", "features"),
    [
        (news, True),
        (whole_storyline, False),
        (video, False),
        (session, True),
        (masterclass_round, True),
    ],
)
def test_story_becomes_one_valid_draft_per_channel_when_drafted(
    campaign, storyline, make, features
):
    story = make(campaign, storyline)

    posts = draft_social_posts(story=story, channels=ALL)

    assert [post.channel for post in posts] == ALL
    by_channel = {post.channel: post for post in posts}
    assert by_channel["linkedin"].audience == Audience.COMPANY
    assert by_channel["instagram"].audience == by_channel["tiktok"].audience == Audience.PUPIL
    for post in posts:
        post.refresh_from_db()
        assert post.story == story
        assert post.campaign == campaign
        assert post.status == SocialPost.Status.PLANNED
        assert "#TechniekDoetHet" in post.text
        assert f"utm_source={post.channel}&utm_medium=social&utm_campaign=techniek" in post.text
        assert post.link_url.endswith(
            f"{story.get_absolute_url()}?utm_source={post.channel}"
            "&utm_medium=social&utm_campaign=techniek"
        )
        post.full_clean()
    if features:
        assert ["schools.school", SchoolFactory._meta.model.objects.get().pk] in posts[0].featured


def test_session_draft_names_school_and_companies_and_features_them(campaign, storyline):
    story = session(campaign, storyline)

    (post,) = draft_social_posts(story=story, channels=[SocialPost.Channel.LINKEDIN])

    assert "Vakcollege" in post.text and "Robotwerk Hoorn" in post.text
    assert "#GroeneTechniek" in post.text
    company = story.companies.get()
    assert post.featured == [
        ["schools.school", story.host_school.pk],
        ["companies.company", company.pk],
    ]


def test_storyline_draft_speaks_to_each_audience_in_its_own_text(campaign, storyline):
    linkedin, tiktok = draft_social_posts(
        story=storyline, channels=[SocialPost.Channel.LINKEDIN, SocialPost.Channel.TIKTOK]
    )

    assert "Vakmensen van morgen" in linkedin.text and "Zonnepanelen!" not in linkedin.text
    assert "Zonnepanelen!" in tiktok.text and "Vakmensen van morgen" not in tiktok.text


def test_video_draft_carries_the_video_so_pupils_channels_can_be_ready(campaign, storyline):
    (post,) = draft_social_posts(
        story=video(campaign, storyline), channels=[SocialPost.Channel.TIKTOK]
    )
    post.status = SocialPost.Status.READY

    post.full_clean()
    assert post.video_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("channel", "length", "accepted"),
    [
        ("linkedin", 3000, True),
        ("linkedin", 3001, False),
        ("instagram", 2200, True),
        ("instagram", 2201, False),
        ("tiktok", 2201, False),
    ],
)
def test_text_length_is_checked_against_the_channel_limit(channel, length, accepted):
    post = SocialPostFactory(channel=channel, text="a" * length)

    if accepted:
        post.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            post.full_clean()
        assert "hooguit" in error.value.message_dict["text"][0]


@pytest.mark.parametrize(("channel", "limit"), [("linkedin", 5), ("instagram", 30), ("tiktok", 10)])
def test_hashtags_are_counted_against_the_channel_limit(channel, limit):
    ok = SocialPostFactory(channel=channel, text=" ".join(f"#tag{i}" for i in range(limit)))
    too_many = SocialPostFactory(
        channel=channel, text=" ".join(f"#tag{i}" for i in range(limit + 1))
    )

    ok.full_clean()
    with pytest.raises(ValidationError) as error:
        too_many.full_clean()
    assert error.value.message_dict["text"] == [
        f"{too_many.get_channel_display()}: gebruik hooguit {limit} hashtags; "
        f"dit zijn er {limit + 1}."
    ]


def test_pupils_channel_needs_image_or_video_only_when_ready():
    post = SocialPostFactory(channel=SocialPost.Channel.INSTAGRAM)
    post.full_clean()

    post.status = SocialPost.Status.READY
    with pytest.raises(ValidationError) as error:
        post.full_clean()

    assert error.value.message_dict["image"] == [
        "Instagram heeft een afbeelding of video nodig voordat het bericht klaar is."
    ]


def test_linkedin_is_ready_without_image():
    post = SocialPostFactory(channel=SocialPost.Channel.LINKEDIN, status=SocialPost.Status.READY)

    post.full_clean()


def test_image_needs_alt_text():
    post = SocialPostFactory(image="social/foto.jpg", image_alt="")

    with pytest.raises(ValidationError) as error:
        post.full_clean()

    assert error.value.message_dict["image_alt"] == ["Geef een alt-tekst bij de afbeelding."]


ADMIN_STORIES = [
    ("schools", "newsitem", news),
    ("campaign", "storyline", whole_storyline),
    ("campaign", "video", video),
    ("events", "session", session),
    ("events", "masterclassround", masterclass_round),
]


@pytest.mark.parametrize(("app", "model", "make"), ADMIN_STORIES)
def test_admin_action_makes_drafts_for_the_chosen_channels(
    admin_client, campaign, storyline, app, model, make
):
    story = make(campaign, storyline)
    changelist = reverse(f"admin:{app}_{model}_changelist")

    response = admin_client.post(
        changelist, {"action": "make_social_drafts", "_selected_action": [story.pk]}
    )
    assert response.status_code == 302
    form_url = response["Location"]
    page = admin_client.get(form_url)
    assert page.status_code == 200
    assert "Maak social-mediaconcepten" in page.content.decode()
    assert page.context["form"]["channels"].initial == ALL

    query = dict(part.split("=") for part in form_url.split("?")[1].split("&"))
    done = admin_client.post(
        form_url,
        {
            "ct": query["ct"],
            "ids": query["ids"].replace("%2C", ","),
            "channels": ["linkedin", "tiktok"],
        },
    )

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:campaign_socialpost_changelist")
    posts = SocialPost.objects.all()
    assert sorted(post.channel for post in posts) == ["linkedin", "tiktok"]
    assert all(post.story == story for post in posts)


def test_admin_drafts_page_keeps_the_choice_and_says_why_when_no_channel_is_chosen(
    admin_client, campaign, storyline
):
    story = news(campaign, storyline)
    ct = ContentType.objects.get_for_model(story).pk

    response = admin_client.post(reverse("admin:social-drafts"), {"ct": ct, "ids": str(story.pk)})

    assert response.status_code == 200
    assert "Kies minstens één kanaal." in response.content.decode()
    assert not SocialPost.objects.exists()


def test_admin_drafts_page_is_not_found_when_the_model_is_no_story(admin_client):
    ct = ContentType.objects.get_for_model(SocialPost).pk

    response = admin_client.get(reverse("admin:social-drafts"), {"ct": ct, "ids": "1"})

    assert response.status_code == 404


def test_coordinator_can_make_drafts_from_the_admin(coordinator_client, campaign, storyline):
    story = session(campaign, storyline)
    ct = ContentType.objects.get_for_model(story).pk

    response = coordinator_client.post(
        reverse("admin:social-drafts"), {"ct": ct, "ids": str(story.pk), "channels": ["linkedin"]}
    )

    assert response.status_code == 302
    assert SocialPost.objects.get().story == story
