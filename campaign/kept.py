"""A detail page's object as every visitor sees it, kept for the content version."""

from campaign.content_version import kept_for_everyone, may_use_fragments
from campaign.context_processors import get_active_campaign


class KeptObjectMixin:
    """For a ``DetailView`` found by its slug. For the public (``may_use_fragments``) the
    object, with everything ``read_object`` adds to it, is kept for the content version and
    until its next change by the clock (``kept_for_everyone``): a warm page reads no row.
    Everyone else (coordinators, previews) gets it read afresh.

    ``read_object(obj)`` completes a found row with what the page shows (lists, not
    querysets: it must pickle) and returns it; it gets ``None`` when there is no such row
    (the page is then a 404, as without the cache)."""

    kept_name: str

    def read_object(self, obj):
        return obj

    def get_object(self, queryset=None):
        if queryset is None and may_use_fragments(self.request):
            campaign = get_active_campaign(self.request)
            slug = self.kwargs[self.slug_url_kwarg]
            kept = kept_for_everyone(
                self.kept_name,
                lambda: self.read_object(
                    self.get_queryset().filter(**{self.get_slug_field(): slug}).first()
                ),
                key_parts=[campaign.pk if campaign else "-", slug],
            )
            if kept is not None:
                return kept
        return self.read_object(super().get_object(queryset))
