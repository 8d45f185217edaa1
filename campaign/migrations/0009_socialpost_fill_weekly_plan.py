import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def to_weekly_plan(apps, schema_editor):
    """Old idea/draft rows become planned; a planned moment gives the planned week.

    A row marked posted without a link to the real post would break the new rule, so it
    takes its page link if it has one and otherwise goes back to "ready" (its posted_at
    stays, so nothing is forgotten).
    """
    SocialPost = apps.get_model("campaign", "SocialPost")
    SocialPost.objects.filter(status__in=["idea", "draft"]).update(status="planned")
    for post in SocialPost.objects.exclude(planned_for=None).only("planned_for"):
        day = timezone.localdate(post.planned_for)
        post.planned_week = day - dt.timedelta(days=day.weekday())
        post.save(update_fields=["planned_week"])
    unlinked = SocialPost.objects.filter(status="posted", posted_url="")
    unlinked.exclude(link_url="").update(posted_url=models.F("link_url"))
    unlinked.filter(link_url="").update(status="ready")


# Its own migration: on PostgreSQL the schema changes before it (their deferred indexes and
# foreign keys) and the constraint after it may not share a transaction with row updates.
class Migration(migrations.Migration):
    dependencies = [
        ("campaign", "0008_socialpost_weekly_plan_story_and_posted_url"),
    ]

    operations = [
        migrations.RunPython(to_weekly_plan, migrations.RunPython.noop),
    ]
