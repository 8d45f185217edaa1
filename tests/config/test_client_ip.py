"""One rule for the visitor's address: a forwarded address counts only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from config.clientip import client_ip


def request(remote_addr="203.0.113.9", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    return settings


def test_socket_address_is_used_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request(HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_REAL_IP="1.2.3.4")) == (
        "203.0.113.9"
    )


def test_forwarded_address_is_ignored_when_sender_is_not_a_trusted_proxy(behind_proxy):
    # Someone who reaches gunicorn directly cannot choose their own address.
    assert client_ip(request("198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "198.51.100.7"


def test_rightmost_untrusted_address_is_used_when_proxy_is_trusted(behind_proxy):
    # The visitor forged "1.2.3.4"; nginx (10.0.0.5) appended the real peer 198.51.100.7.
    forwarded = "1.2.3.4, 198.51.100.7, 10.0.0.8"

    assert client_ip(request("10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)) == "198.51.100.7"


def test_socket_address_is_used_when_trusted_proxy_sends_no_header(behind_proxy):
    assert client_ip(request("10.0.0.5")) == "10.0.0.5"


@pytest.mark.parametrize(
    "forwarded",
    ["", "   ", "garbage", "1.2.3.4, <script>", "::::", "999.1.1.1", ",,,", "x" * 5000],
)
def test_garbage_never_breaks_the_lookup_when_header_is_malformed(behind_proxy, forwarded):
    address = client_ip(request("10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded))

    assert address in {"10.0.0.5", "1.2.3.4"}


def test_real_ip_header_is_believed_when_configured_and_sent_by_a_trusted_proxy(behind_proxy):
    behind_proxy.TRUSTED_PROXY_HEADER = "X-Real-IP"

    assert client_ip(request("10.0.0.5", HTTP_X_REAL_IP="198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("198.51.100.8", HTTP_X_REAL_IP="1.2.3.4")) == "198.51.100.8"
    # The other header is not read: the proxy does not clean it.
    assert client_ip(request("10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.5"


def test_ipv6_addresses_and_networks_are_understood_when_configured(settings):
    settings.TRUSTED_PROXIES = ["fd00::/8"]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"

    assert client_ip(request("fd00::1", HTTP_X_FORWARDED_FOR="2001:db8::7")) == "2001:db8::7"


def test_ipv4_mapped_socket_address_counts_as_ipv4_when_socket_is_dual_stack(behind_proxy):
    assert client_ip(request("::ffff:10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")) == (
        "198.51.100.7"
    )
    assert client_ip(request("::ffff:198.51.100.8")) == "198.51.100.8"


def test_empty_socket_address_gives_a_valid_address_when_behind_a_unix_socket(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request("")) == "0.0.0.0"  # noqa: S104


def test_unix_socket_counts_as_trusted_proxy_when_listed(settings):
    settings.TRUSTED_PROXIES = ["unix"]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"

    assert client_ip(request("", HTTP_X_FORWARDED_FOR="198.51.100.7")) == "198.51.100.7"


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", [None, "garbage", "1.2.3.4"])
def test_rate_limited_form_answers_without_500_when_forwarded_header_varies(
    client, settings, forwarded
):
    from django.urls import reverse

    from tests.factories import SchoolFactory

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    school = SchoolFactory()
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}

    response = client.post(
        reverse("schools:news-submit", args=[school.submission_token]), {}, **headers
    )

    assert response.status_code == 200


def test_rate_limits_and_lockout_use_the_one_rule_when_configured(settings):
    assert settings.RATELIMIT_IP_META_KEY == "config.clientip.client_ip"
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.clientip.client_ip"


@pytest.mark.django_db
def test_forged_headers_do_not_escape_the_rate_limit_when_sent_directly(client, settings):
    from django.urls import reverse

    from tests.factories import SchoolFactory

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.NEWS_SUBMIT_RATE_PER_IP = "2/h"
    url = reverse("schools:news-submit", args=[SchoolFactory().submission_token])

    statuses = [
        client.post(
            url, {}, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}", HTTP_X_REAL_IP=f"1.2.3.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("TRUSTED_PROXIES", "10.0.0.0/8,nginx.local"), ("TRUSTED_PROXY_HEADER", "X-Client-IP")],
)
def test_start_up_stops_with_a_clear_message_when_proxy_setting_is_wrong(variable, value):
    from tests.test_settings import PRODUCTION, load_settings

    result = load_settings(**PRODUCTION, **{variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1]


def test_trusted_proxies_are_read_from_the_environment_when_set():
    from tests.test_settings import PRODUCTION, load_settings

    result = load_settings(**PRODUCTION, TRUSTED_PROXIES="127.0.0.1,10.0.0.0/8,unix")

    assert result.returncode == 0, result.stderr
