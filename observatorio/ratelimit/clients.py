"""Who the client is: its address, trusting ``X-Forwarded-For`` only from configured proxies.

The one definition used by the log-in throttle and by the API's rates.

``settings.TRUSTED_PROXIES`` (variable ``OBSERVATORIO_TRUSTED_PROXIES``) lists the reverse
proxies' addresses or networks, e.g. ``127.0.0.1,::1`` or ``127.0.0.1,10.0.0.0/8``. The
header is read only when ``REMOTE_ADDR`` (whoever opened the connection) is one of them.
It is then walked from the right, where each proxy appended the address that reached it:
trusted proxies are skipped and the first address that is not one is the client's.
Whatever lies further left was written by the client (or by proxies it chose) and is never
believed. An entry that is not an address stops the walk: the nearest trusted hop, which
received the request from it, is taken as the client instead.

A client reaching the application directly cannot choose its address by writing the
header, and with no proxy trusted the header is never read.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(
    value: str | Iterable[str], name: str = "OBSERVATORIO_TRUSTED_PROXIES"
) -> tuple[Network, ...]:
    """The networks of a comma-separated list (or iterable) of addresses and networks.

    Anything else, such as the number of proxies this variable used to hold, is refused
    with a Spanish message naming the variable.
    """
    items = value.split(",") if isinstance(value, str) else [str(item) for item in value]
    networks = []
    for item in items:
        text = item.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            hint = (
                " Ya no es un número de proxies: liste sus direcciones." if text.isdigit() else ""
            )
            raise ImproperlyConfigured(
                f"{name} debe ser una lista, separada por comas, de las direcciones IP o redes "
                f"de los proxies inversos de confianza (p. ej. «127.0.0.1,::1» o "
                f"«127.0.0.1,10.0.0.0/8»); «{text}» no es una dirección ni una red.{hint}"
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values, "TRUSTED_PROXIES")


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str | None:
    """The client's address (see the module's docstring); None without a usable REMOTE_ADDR."""
    if request is None:
        return None
    meta = request.META
    remote = _address(meta.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _trusted(tuple(str(item) for item in getattr(settings, "TRUSTED_PROXIES", ())))
    client = remote
    if _is_trusted(remote, networks):
        for entry in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            if not entry.strip():
                continue
            address = _address(entry)
            if address is None:
                break
            client = address
            if not _is_trusted(address, networks):
                break
    return str(client)


def address_key(address: str) -> str:
    """The form under which *address* is counted: an IPv6 client by its /64 network, which one
    client usually holds whole (it could otherwise take a new address for every attempt)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
