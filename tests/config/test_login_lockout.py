"""The admin login locks out after repeated wrong passwords, per user and per address."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

PASSWORD = "een-lang-wachtwoord-voor-de-test"  # noqa: S105
WRONG = "fout-wachtwoord"  # noqa: S105


@pytest.fixture
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = []
    return settings


def make_coordinator(username):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Coördinator"))
    return user


def log_in(client, username, password, address="198.51.100.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def is_logged_in(response):
    return response.status_code == 302 and response.url == reverse("admin:index")


@pytest.mark.django_db
def test_right_password_is_refused_when_user_failed_too_often(client, lockout):
    make_coordinator("anne")
    assert log_in(client, "anne", WRONG).status_code == 200
    for _attempt in range(2):
        log_in(client, "anne", WRONG)

    response = log_in(client, "anne", PASSWORD)

    assert not is_logged_in(response)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Te veel mislukte pogingen" in text
    assert "Account locked" not in text
    assert '<html lang="nl"' in text


@pytest.mark.django_db
def test_user_is_locked_from_every_address_when_failures_came_from_many(client, lockout):
    make_coordinator("anne")
    for n in range(3):
        log_in(client, "anne", WRONG, address=f"198.51.100.{n + 10}")

    assert not is_logged_in(log_in(client, "anne", PASSWORD, address="203.0.113.50"))


@pytest.mark.django_db
def test_address_is_locked_for_every_user_when_it_tried_many_names(client, lockout):
    make_coordinator("bert")
    for n in range(3):
        log_in(client, f"raden{n}", WRONG, address="198.51.100.66")

    assert not is_logged_in(log_in(client, "bert", PASSWORD, address="198.51.100.66"))
    assert is_logged_in(log_in(client, "bert", PASSWORD, address="203.0.113.7"))


@pytest.mark.django_db
def test_other_user_from_other_address_logs_in_when_someone_is_locked(client, lockout):
    make_coordinator("anne")
    make_coordinator("bert")
    for _attempt in range(3):
        log_in(client, "anne", WRONG)

    assert is_logged_in(log_in(client, "bert", PASSWORD, address="203.0.113.7"))


@pytest.mark.django_db
def test_forged_forwarded_header_does_not_escape_the_lockout_when_sent_directly(client, lockout):
    make_coordinator("bert")
    for n in range(3):
        client.post(
            reverse("admin:login"),
            {"username": f"raden{n}", "password": WRONG},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}",
        )

    assert not is_logged_in(log_in(client, "bert", PASSWORD, address="198.51.100.66"))


@pytest.mark.django_db
def test_locked_user_logs_in_when_another_coordinator_unlocked(client, lockout):
    from config.models import LoginLock

    make_coordinator("anne")
    make_coordinator("bert")
    for _attempt in range(3):
        log_in(client, "anne", WRONG)
    assert not is_logged_in(log_in(client, "anne", PASSWORD))

    helper = client.__class__()
    assert is_logged_in(log_in(helper, "bert", PASSWORD, address="203.0.113.7"))
    changelist = reverse("admin:config_loginlock_changelist")
    listing = helper.get(changelist)
    assert listing.status_code == 200
    assert "anne" in listing.content.decode()
    locks = LoginLock.objects.filter(username="anne")
    response = helper.post(
        changelist,
        {"action": "unlock", "_selected_action": [lock.pk for lock in locks]},
    )
    assert response.status_code == 302

    assert not LoginLock.objects.filter(username="anne").exists()
    assert is_logged_in(log_in(client, "anne", PASSWORD))


@pytest.mark.django_db
def test_coordinator_may_only_view_and_unlock_when_managing_locks(coordinator):
    from django.contrib import admin
    from django.test import RequestFactory

    from config.admin_site import AdminSite  # noqa: F401
    from config.models import LoginLock

    request = RequestFactory().get("/")
    request.user = coordinator
    model_admin = admin.site._registry[LoginLock]

    assert model_admin.has_view_permission(request)
    assert model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)


@pytest.mark.django_db
def test_coordinator_group_may_view_and_unlock_logins_when_migrated():
    group = Group.objects.get(name="Coördinator")

    codenames = set(
        group.permissions.filter(content_type__app_label="config").values_list(
            "codename", flat=True
        )
    )

    assert codenames == {"view_loginlock", "delete_loginlock"}
