"""Optional two-factor login (TOTP): who turned it on must give a code, others log in as before."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "een-lang-wachtwoord-voor-de-test"  # noqa: S105


@pytest.fixture
def anne(db):
    user = get_user_model().objects.create_user("anne", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Coördinator"))
    return user


def current_code(device):
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits).token()).zfill(6)


def log_in(client, code=None):
    data = {"username": "anne", "password": PASSWORD, "next": reverse("admin:index")}
    if code is not None:
        data["otp_token"] = code
    return client.post(reverse("admin:login"), data)


def is_logged_in(response):
    return response.status_code == 302 and response.url == reverse("admin:index")


def test_login_page_offers_the_code_field_in_dutch_when_shown(client, db):
    text = client.get(reverse("admin:login")).content.decode()

    assert 'name="otp_token"' in text
    assert "Code uit je authenticator-app" in text
    assert 'autocomplete="one-time-code"' in text


def test_user_without_device_logs_in_with_password_only_when_code_is_empty(client, anne):
    assert is_logged_in(log_in(client))


def test_unconfirmed_device_asks_no_code_when_setup_was_not_finished(client, anne):
    TOTPDevice.objects.create(user=anne, name="app", confirmed=False)

    assert is_logged_in(log_in(client))


def test_password_alone_is_refused_when_user_has_a_confirmed_device(client, anne):
    TOTPDevice.objects.create(user=anne, name="app", confirmed=True)

    response = log_in(client)

    assert response.status_code == 200
    assert "Vul ook de code uit je authenticator-app in." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_code_is_refused_when_user_has_a_confirmed_device(client, anne):
    device = TOTPDevice.objects.create(user=anne, name="app", confirmed=True)
    wrong = str((int(current_code(device)) + 1) % 1_000_000).zfill(6)

    response = log_in(client, wrong)

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_valid_code_logs_in_when_user_has_a_confirmed_device(client, anne):
    device = TOTPDevice.objects.create(user=anne, name="app", confirmed=True)

    code = current_code(device)

    assert is_logged_in(log_in(client, f"{code[:3]} {code[3:]}"))


def test_wrong_codes_count_towards_the_lockout_when_password_is_right(client, anne, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=anne, name="app", confirmed=True)
    wrong = str((int(current_code(device)) + 1) % 1_000_000).zfill(6)
    for _attempt in range(3):
        log_in(client, wrong)

    response = log_in(client, current_code(device))

    assert not is_logged_in(response)
    assert response.status_code == 429


def test_coordinator_turns_two_factor_on_with_qr_code_and_code_when_setting_up(client, anne):
    client.force_login(anne)
    url = reverse("admin:two-factor")

    page = client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert 'src="data:image/svg+xml' in text
    assert 'id="totp-secret"' in text
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    device = TOTPDevice.objects.get(user=anne)
    assert not device.confirmed

    response = client.post(url, {"code": current_code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_setup_is_not_confirmed_when_code_is_wrong(client, anne):
    client.force_login(anne)
    url = reverse("admin:two-factor")
    client.get(url)
    device = TOTPDevice.objects.get(user=anne)
    wrong = str((int(current_code(device)) + 1) % 1_000_000).zfill(6)

    response = client.post(url, {"code": wrong})

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_coordinator_turns_two_factor_off_with_a_valid_code_when_it_is_on(client, anne):
    device = TOTPDevice.objects.create(user=anne, name="app", confirmed=True)
    client.force_login(anne)
    url = reverse("admin:two-factor")
    assert "staat aan" in client.get(url).content.decode()

    response = client.post(url, {"code": current_code(device)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=anne).exists()


def test_admin_menu_links_to_two_factor_setup_when_logged_in(client, anne):
    client.force_login(anne)

    text = client.get(reverse("admin:index")).content.decode()

    assert reverse("admin:two-factor") in text


def test_superuser_removes_a_lost_app_in_dutch_without_seeing_its_secret_when_managing(
    admin_client, anne
):
    from config.models import AuthenticatorApp

    device = TOTPDevice.objects.create(user=anne, name="app", confirmed=True)
    changelist = reverse("admin:config_authenticatorapp_changelist")

    listing = admin_client.get(changelist)
    change = admin_client.get(reverse("admin:config_authenticatorapp_change", args=[device.pk]))

    assert listing.status_code == 200
    assert "anne" in listing.content.decode()
    for response in (listing, change):
        text = response.content.decode()
        assert device.key not in text
        assert "TOTP" not in text
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not AuthenticatorApp.objects.exists()


def test_coordinator_cannot_see_other_users_apps_when_browsing_the_admin(client, anne):
    client.force_login(anne)

    response = client.get(reverse("admin:config_authenticatorapp_changelist"))

    assert response.status_code == 403
