"""View data read on first use: the parts of a page that may come from the fragment cache
(``config.fragments``) cost no query when they do."""

from django.utils.functional import SimpleLazyObject


def lazy_list(read) -> SimpleLazyObject:
    """``list(read())``, on first use."""
    return SimpleLazyObject(lambda: list(read()))


def lazy_values(read, keys) -> dict:
    """One lazy context value per key of the dict ``read()`` returns; ``read`` runs once,
    when the first of them is used."""
    values = SimpleLazyObject(read)
    return {key: SimpleLazyObject(lambda key=key: values[key]) for key in keys}
