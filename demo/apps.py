from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content and development commands.

    At the top of the dependency chain: it may import every app, and no app imports it.
    """

    name = "demo"
    verbose_name = _("Demo")
