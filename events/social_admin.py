"""The admin step from selected stories to social drafts: pick the channels, make drafts."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.models import SocialPost, Storyline, Video, monday_of
from events.models import MasterclassRound, Session
from events.social import draft_social_posts
from schools.models import NewsItem, School

STORY_MODELS = (NewsItem, Storyline, Video, Session, MasterclassRound)


class SocialDraftsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Kanalen"),
        choices=SocialPost.Channel.choices,
        initial=[
            SocialPost.Channel.LINKEDIN,
            SocialPost.Channel.INSTAGRAM,
            SocialPost.Channel.TIKTOK,
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Kies minstens één kanaal.")},
    )


def social_drafts_view(request, *, site_context: dict):
    """Ask which channels, then make one draft per story and channel."""
    if not request.user.has_perm("campaign.add_socialpost"):
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    try:
        content_type = ContentType.objects.get_for_id(int(params.get("ct", "")))
        ids = [int(pk) for pk in params.get("ids", "").split(",") if pk]
    except (ValueError, ContentType.DoesNotExist) as error:
        raise Http404 from error
    model = content_type.model_class()
    if model not in STORY_MODELS or not ids:
        raise Http404
    stories = list(model.objects.filter(pk__in=ids))
    form = SocialDraftsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = [
                post
                for story in stories
                for post in draft_social_posts(story=story, channels=form.cleaned_data["channels"])
            ]
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(count)d social-mediaconcepten gemaakt.") % {"count": len(made)},
            )
            return redirect(reverse("admin:campaign_socialpost_changelist"))
    context = {
        **site_context,
        "title": _("Maak social-mediaconcepten"),
        "form": form,
        "stories": stories,
        "ct": content_type.pk,
        "ids": ",".join(str(story.pk) for story in stories),
    }
    return TemplateResponse(request, "admin/events/social_drafts.html", context)


# The stakeholders' weekly post first: its column is the one that must never stay empty.
CALENDAR_CHANNELS = [
    SocialPost.Channel.LINKEDIN,
    SocialPost.Channel.INSTAGRAM,
    SocialPost.Channel.TIKTOK,
]
# The calendar looks back four weeks and ahead eight (this week included).
WEEKS_BACK = 4
WEEKS_AHEAD = 8
SUGGESTIONS = 5


class MovePostForm(forms.Form):
    post = forms.IntegerField(widget=forms.HiddenInput)
    week = forms.DateField(
        label=gettext_lazy("Naar week"),
        error_messages={"invalid": gettext_lazy("Kies een week uit de lijst.")},
    )

    def __init__(self, *args, weeks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].widget = forms.Select(choices=[(w.isoformat(), w) for w in weeks])
        self.weeks = weeks

    def clean_week(self):
        week = self.cleaned_data["week"]
        if week not in self.weeks:
            raise forms.ValidationError(_("Kies een week uit de lijst."))
        return week


def _suggestions(today):
    news_type = ContentType.objects.get_for_model(NewsItem)
    session_type = ContentType.objects.get_for_model(Session)
    drafted = SocialPost.objects.values_list("story_type_id", "story_id")
    drafted_news = [pk for ct, pk in drafted if ct == news_type.pk]
    drafted_sessions = [pk for ct, pk in drafted if ct == session_type.pk]
    news = (
        NewsItem.objects.public()
        .exclude(pk__in=drafted_news)
        .select_related("school")
        .order_by("-published_at")[:SUGGESTIONS]
    )
    # Upcoming sessions not drafted yet, fullest first: those are news while seats last.
    sessions = (
        Session.objects.public()
        .upcoming()
        .with_seats()
        .exclude(pk__in=drafted_sessions)
        .select_related("host_school")
        .order_by("seats_left", "starts_at")[:SUGGESTIONS]
    )
    last_featured = {}
    for featured, posted_at in SocialPost.objects.filter(
        status=SocialPost.Status.POSTED
    ).values_list("featured", "posted_at"):
        for label, pk in featured:
            if label == "schools.school" and posted_at:
                last_featured[pk] = max(posted_at, last_featured.get(pk, posted_at))
    schools = sorted(
        School.objects.published(),
        key=lambda school: (school.pk in last_featured, last_featured.get(school.pk), school.name),
    )[:SUGGESTIONS]
    return {
        "news": list(news),
        "sessions": list(sessions),
        "schools": [(school, last_featured.get(school.pk)) for school in schools],
    }


def social_calendar_view(request, *, site_context: dict):
    """Weeks × channels: what is planned, ready and posted, and what to post next."""
    if not request.user.has_perm("campaign.view_socialpost"):
        raise PermissionDenied
    today = timezone.localdate()
    this_week = monday_of(today)
    weeks = [this_week + dt.timedelta(weeks=n) for n in range(-WEEKS_BACK, WEEKS_AHEAD)]
    move_form = None
    if request.method == "POST":
        if not request.user.has_perm("campaign.change_socialpost"):
            raise PermissionDenied
        move_form = MovePostForm(request.POST, weeks=weeks)
        if move_form.is_valid():
            moved = SocialPost.objects.filter(pk=move_form.cleaned_data["post"]).update(
                planned_week=move_form.cleaned_data["week"]
            )
            if moved:
                messages.success(request, _("Het bericht is verplaatst."))
            return redirect(reverse("admin:social-calendar"))
    posts = SocialPost.objects.filter(
        Q(planned_week__range=(weeks[0], weeks[-1]))
        | Q(planned_week=None, status__in=[SocialPost.Status.PLANNED, SocialPost.Status.READY])
    ).order_by("planned_week", "status", "title")
    cells = {(week, channel): [] for week in weeks for channel in CALENDAR_CHANNELS}
    unplanned = []
    for post in posts:
        if post.planned_week is None:
            unplanned.append(post)
        else:
            cells[(post.planned_week, post.channel)].append(post)
    rows = [
        {
            "week": week,
            "number": week.isocalendar().week,
            "is_current": week == this_week,
            "cells": [
                {"channel": channel, "posts": cells[(week, channel)]}
                for channel in CALENDAR_CHANNELS
            ],
            "no_linkedin": not cells[(week, SocialPost.Channel.LINKEDIN)],
        }
        for week in weeks
    ]
    context = {
        **site_context,
        "title": _("Social-mediakalender"),
        "channels": [(channel, channel.label) for channel in CALENDAR_CHANNELS],
        "unplanned": unplanned,
        "this_week": this_week,
        "rows": rows,
        "week_choices": [(week.isoformat(), week) for week in weeks],
        "move_form": move_form,
        "suggestions": _suggestions(today),
    }
    return TemplateResponse(request, "admin/events/social_calendar.html", context)
