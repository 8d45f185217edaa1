from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotForm(forms.Form):
    """A public form with a field that people never see and bots fill in.

    Its markup is ``templates/includes/honeypot.html``. A view that finds ``is_spam`` acts
    as if all went well and stores nothing, so a bot learns nothing.
    """

    # Hidden from people (CSS and aria-hidden), filled in by bots.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))
