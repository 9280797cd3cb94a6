"""Where a webhook may be sent (R-84). Pure but for name resolution at send time.

A subscription's URL is `https`, or `http` to a loopback address when WEBHOOKS_ALLOW_HTTP is
set (a receiver on the same machine, in development). It carries no user name or password.
Link-local addresses (169.254.0.0/16, fe80::/10), which include the cloud metadata services,
and the metadata services' names are refused always. WEBHOOKS_ALLOWED_HOSTS, when set, is the
only list of hosts allowed. Private addresses are allowed: a council's case-record system is
often on its own network.

The check runs when the subscription is made, and again before each attempt on the addresses
the host name then resolves to, so a name re-pointed at the metadata service later is caught.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from app.core.config import Settings

METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"})
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")})


class UnsafeTarget(ValueError):
    """The URL may not be a webhook target; the message says why, for the `url` field."""


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _refused_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_link_local or address in METADATA_ADDRESSES:
        return "is a link-local or cloud metadata address"
    if address.is_unspecified or address.is_multicast:
        return "is not an address a receiver can have"
    return None


def _is_loopback(host: str) -> bool:
    address = _address(host)
    return host == "localhost" or (address is not None and address.is_loopback)


def check_url(url: str, settings: Settings) -> None:
    """Raise UnsafeTarget when `url` may not be subscribed to."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it raises for a port out of range
    except ValueError as exc:
        raise UnsafeTarget("is not a valid URL") from exc
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeTarget("needs a host")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeTarget("must not carry a user name or password")
    if parts.fragment:
        raise UnsafeTarget("must not carry a fragment")
    if parts.scheme == "http":
        if not settings.webhooks_allow_http:
            raise UnsafeTarget("must be https")
        if not _is_loopback(host):
            raise UnsafeTarget("may be http only to a loopback address (WEBHOOKS_ALLOW_HTTP)")
    elif parts.scheme != "https":
        raise UnsafeTarget("must be https")
    if host in METADATA_HOSTS:
        raise UnsafeTarget("is a cloud metadata host")
    address = _address(host)
    if address is not None and (reason := _refused_address(address)):
        raise UnsafeTarget(reason)
    if settings.webhooks_allowed_hosts and host not in settings.webhooks_allowed_hosts:
        raise UnsafeTarget("names a host not in WEBHOOKS_ALLOWED_HOSTS")


def check_resolved(url: str) -> None:
    """Before an attempt: refuse when the host now resolves to a refused address."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    if _address(host) is not None:
        return  # a literal address was checked when subscribed
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise UnsafeTarget("host name did not resolve") from exc
    for info in infos:
        address = _address(str(info[4][0]).split("%")[0])
        if address is not None and (reason := _refused_address(address)):
            raise UnsafeTarget(f"host resolves to an address that {reason}")
