"""A coordinator turns two-factor login (TOTP, django-otp) on or off for themselves."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.login import clean_code


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit je authenticator-app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = clean_code(self.cleaned_data["code"])
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                _("Deze code klopt niet of is verlopen. Vul de code in die je app nu laat zien.")
            )
        return code


def _qr_data_uri(device) -> str:
    # An SVG data: URI: no script, no inline style, so the admin's strict CSP holds.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _secret(device) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def two_factor_view(request):
    """Show the QR code and secret, confirm with a code; or turn it off with a code."""
    user = request.user
    confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if confirmed is None:
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=_("Authenticator-app"), confirmed=False
            )
    else:
        device = confirmed
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if confirmed is None:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(
                    request,
                    _(
                        "Tweestapsverificatie staat aan. Vanaf nu vraagt het inloggen ook om een code."
                    ),
                )
            else:
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("Tweestapsverificatie staat uit."))
        return redirect("admin:two-factor")
    context = {
        **admin.site.each_context(request),
        "title": _("Tweestapsverificatie"),
        "is_on": confirmed is not None,
        "form": form,
    }
    if confirmed is None:
        context.update(qr_code=_qr_data_uri(device), secret=_secret(device))
    return TemplateResponse(request, "admin/two_factor.html", context)
