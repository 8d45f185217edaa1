"""View data read on first use: the parts of a page that may come from the fragment cache
(``config.fragments``) cost no query when they do."""

import collections.abc

from django.utils.functional import SimpleLazyObject


def lazy_list(read) -> SimpleLazyObject:
    """``list(read())``, on first use."""
    return SimpleLazyObject(lambda: list(read()))


def lazy_values(read, keys) -> dict:
    """One lazy context value per key of the dict ``read()`` returns; ``read`` runs once,
    when the first of them is used."""
    values = SimpleLazyObject(read)
    return {key: SimpleLazyObject(lambda key=key: values[key]) for key in keys}


class LazyRows(collections.abc.Sequence):
    """``list(read())``, read on first use as a sequence (length, index, slice, iteration).
    Unlike ``lazy_list``, looking for an attribute a list has not reads nothing: a list
    view and a paginator look for a queryset's ``model`` and ``ordered`` before paging
    (``campaign.kept.KeptPaginator``)."""

    def __init__(self, read):
        self._read, self._rows = read, None

    @property
    def rows(self) -> list:
        if self._rows is None:
            self._rows = list(self._read())
        return self._rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]
