"""The visitor's address, the one rule used by the rate limits and the login lockout.

A forwarded address is believed only when the request comes from a proxy listed in
``TRUSTED_PROXIES``: anyone who reaches the application server directly could write any
address into such a header. The result is always a valid IP address, whatever was sent.
"""

import ipaddress

from django.conf import settings

# Given when no valid address is known (an empty REMOTE_ADDR from a Unix socket):
# such requests share one rate-limit bucket rather than escape it.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104
# A proxy that talks to gunicorn over a Unix socket leaves REMOTE_ADDR empty.
UNIX_SOCKET = "unix"
# Longer header values are not parsed: a forged list is no reason to spend CPU.
MAX_HEADER_LENGTH = 2000


def _address(value: str):
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
    return getattr(address, "ipv4_mapped", None) or address


def _networks():
    for entry in settings.TRUSTED_PROXIES:
        if isinstance(entry, ipaddress.IPv4Network | ipaddress.IPv6Network):
            yield entry
        elif entry != UNIX_SOCKET:
            yield ipaddress.ip_network(entry, strict=False)


def _is_trusted(address) -> bool:
    return any(address.version == net.version and address in net for net in _networks())


def _remote_is_trusted(remote) -> bool:
    if remote is None:
        return UNIX_SOCKET in settings.TRUSTED_PROXIES
    return _is_trusted(remote)


def _forwarded_address(request, fallback):
    header = settings.TRUSTED_PROXY_HEADER.upper().replace("-", "_")
    value = request.META.get(f"HTTP_{header}", "")[:MAX_HEADER_LENGTH]
    if header == "X_REAL_IP":
        return _address(value) or fallback
    # X-Forwarded-For: each proxy appends the address it saw. Walk back from the right
    # past our own proxies; the first other address is the visitor. Anything left of it
    # was written by the visitor and may be forged.
    nearest = fallback
    for part in reversed(value.split(",")):
        address = _address(part)
        if address is None:
            break
        nearest = address
        if not _is_trusted(address):
            break
    return nearest


def client_ip(request) -> str:
    """Return the visitor's address as a string; never raises for what a client sends."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    address = remote
    if _remote_is_trusted(remote):
        address = _forwarded_address(request, remote)
    return str(address) if address is not None else UNKNOWN_ADDRESS
