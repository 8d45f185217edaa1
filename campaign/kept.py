"""A detail page's object, a list's rows and a paged list's pages as every visitor sees
them, kept for the content version."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from campaign.content_version import kept_for_everyone, may_use_fragments
from campaign.context_processors import get_active_campaign


def campaign_part(request):
    """The active campaign as a part of a kept entry's key (``-`` for none)."""
    campaign = get_active_campaign(request)
    return campaign.pk if campaign is not None else "-"


class KeptObjectMixin:
    """For a ``DetailView`` found by its slug. For the public (``may_use_fragments``) the
    object, with everything ``read_object`` adds to it, is kept for the content version and
    until its next change by the clock (``kept_for_everyone``): a warm page reads no row.
    Everyone else (coordinators, previews) gets it read afresh.

    ``read_object(obj)`` completes a found row with what the page shows (lists, not
    querysets: it must pickle) and returns it. When there is no such row nothing is kept
    and the page is a 404, as without the cache."""

    kept_name: str

    def read_object(self, obj):
        return obj

    def get_object(self, queryset=None):
        if queryset is None and may_use_fragments(self.request):
            slug = self.kwargs[self.slug_url_kwarg]

            def read():
                found = self.get_queryset().filter(**{self.get_slug_field(): slug}).first()
                return self.read_object(found) if found is not None else None

            kept = kept_for_everyone(
                self.kept_name, read, key_parts=[campaign_part(self.request), slug]
            )
            if kept is not None:
                return kept
        return self.read_object(super().get_object(queryset))


def kept_rows(request, name: str, read, vary=()) -> list:
    """``list(read())``: for the public (``may_use_fragments``) kept for everyone under
    ``name``, the active campaign and ``vary`` (``kept_for_everyone``), so a warm page reads
    no row; everyone else gets it read afresh. ``vary`` names everything ``read`` depends
    on besides the campaign (a filter's value, never a made-up one)."""
    if not may_use_fragments(request):
        return list(read())
    return kept_for_everyone(name, lambda: list(read()), key_parts=[campaign_part(request), *vary])


class KeptPaginator(Paginator):
    """A paginator whose count and pages come from ``keep(parts, read)``, which returns
    ``read()`` or what it kept for ``parts`` (see ``KeptPagesMixin``). The object list is
    only read when what is asked for is not kept: a page number is checked against the
    kept count, a page's rows are a kept list. The object list may be ``LazyRows``
    (rows put in order in Python)."""

    def __init__(self, object_list, per_page, *, keep, **kwargs):
        self.keep = keep
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self):
        return self.keep(["count"], lambda: Paginator.count.func(self))

    def page(self, number):
        number = self.validate_number(number)
        read = super().page
        return self._get_page(self.keep(["page", number], lambda: list(read(number))), number, self)


class KeptPagesMixin:
    """For a paged ``ListView``: for the public (``may_use_fragments``) the number of rows
    and the rows of each page are kept for everyone under ``kept_name``, the active
    campaign and ``kept_vary()`` (``kept_for_everyone``), so a warm page counts and reads
    nothing. ``kept_vary()`` names everything the list depends on (the filter's current
    value, as the view understood it); the context has them as ``kept_vary``, a vary value
    for the list's fragment. A page number out of range is a 404, as without the cache;
    everyone else gets the ordinary paginator."""

    kept_name: str

    def kept_vary(self) -> list:
        return []

    def get_paginator(self, queryset, per_page, **kwargs):
        if not may_use_fragments(self.request):
            return super().get_paginator(queryset, per_page, **kwargs)
        vary = [campaign_part(self.request), *self.kept_vary()]

        def keep(parts, read):
            return kept_for_everyone(self.kept_name, read, key_parts=[*vary, *parts])

        return KeptPaginator(queryset, per_page, keep=keep, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(kept_vary=self.kept_vary(), **kwargs)
