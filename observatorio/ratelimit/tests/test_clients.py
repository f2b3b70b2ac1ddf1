"""The client's address: X-Forwarded-For believed only from the configured proxies."""

from __future__ import annotations

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from observatorio.ratelimit.clients import address_key, client_address, parse_networks

factory = RequestFactory()


@pytest.fixture(autouse=True)
def proxies(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]


def seen(remote: str, forwarded: str | None = None) -> str | None:
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(factory.get("/", REMOTE_ADDR=remote, **extra))


def test_the_header_of_an_untrusted_client_is_ignored():
    assert seen("203.0.113.5", "198.51.100.1") == "203.0.113.5"
    assert seen("203.0.113.5", "127.0.0.1") == "203.0.113.5"


def test_behind_trusted_proxies_the_rightmost_untrusted_entry_is_the_client():
    assert seen("127.0.0.1", "198.51.100.1") == "198.51.100.1"
    assert seen("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.1.1") == "198.51.100.1"
    assert seen("::1", "6.6.6.6,198.51.100.1 ,10.1.1.1, 10.2.2.2") == "198.51.100.1"
    assert seen("127.0.0.1", "2001:db8::5") == "2001:db8::5"


def test_without_a_header_or_past_the_last_proxy_the_nearest_hop_answers():
    assert seen("127.0.0.1") == "127.0.0.1"
    assert seen("127.0.0.1", "") == "127.0.0.1"
    assert seen("127.0.0.1", "10.1.1.1, 10.2.2.2") == "10.1.1.1"
    # Not an address: the proxy that received the request from it answers for it.
    assert seen("127.0.0.1", "198.51.100.1, desconocido, 10.1.1.1") == "10.1.1.1"
    assert seen("127.0.0.1", "198.51.100.1:4711") == "127.0.0.1"


def test_with_no_proxy_configured_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    assert seen("127.0.0.1", "198.51.100.1") == "127.0.0.1"


def test_ipv4_mapped_addresses_are_ipv4():
    assert seen("::ffff:127.0.0.1", "::ffff:198.51.100.1") == "198.51.100.1"


def test_no_usable_remote_address_gives_none():
    assert seen("", "198.51.100.1") is None
    assert client_address(None) is None


def test_an_ipv6_client_is_counted_by_its_network():
    assert address_key("2001:db8:1:2::7") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:2:ffff::1") == address_key("2001:db8:1:2::7")
    assert address_key("198.51.100.1") == "198.51.100.1"


def test_proxies_are_addresses_or_networks():
    assert parse_networks(" 127.0.0.1, ::1,10.0.0.0/8 ,") == (
        ipaddress.ip_network("127.0.0.1"),
        ipaddress.ip_network("::1"),
        ipaddress.ip_network("10.0.0.0/8"),
    )
    assert parse_networks("") == ()


@pytest.mark.parametrize("value", ["1", "127.0.0.1,dos", "10.0.0.0/33"])
def test_anything_else_is_refused_in_spanish(value):
    with pytest.raises(ImproperlyConfigured, match="OBSERVATORIO_TRUSTED_PROXIES debe ser"):
        parse_networks(value)


def test_the_old_number_of_proxies_is_explained():
    with pytest.raises(ImproperlyConfigured, match="Ya no es un número de proxies"):
        parse_networks("1")
