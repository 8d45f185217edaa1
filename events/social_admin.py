"""The admin step from selected stories to social drafts: pick the channels, make drafts."""

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.models import SocialPost, Storyline, Video
from events.models import MasterclassRound, Session
from events.social import draft_social_posts
from schools.models import NewsItem

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
