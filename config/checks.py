"""System checks of the production set-up that only `check --deploy` runs.

django-ratelimit's own check (an error unless the cache is shared between processes)
runs before every management command, so it stopped `migrate` on a single machine
without Redis. Here it runs with `--deploy` only, where production must still pass it.
"""

from django.core import checks
from django_ratelimit.checks import check_caches


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """The rate limits of the public forms count in one cache shared by all processes."""
    return [
        type(message)(
            message.msg,
            hint=(
                "The rate limits of the public forms must count in one cache that all "
                "server processes share: set CACHE_URL=redis://... (see README)."
            ),
            id=message.id.replace("django_ratelimit.", "config.ratelimit_"),
        )
        for message in check_caches(app_configs)
    ]
