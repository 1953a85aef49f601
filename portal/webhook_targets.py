"""Where a webhook may be sent: checked when an endpoint is saved and again before every delivery.

A target must be an http(s) URL (https only while ``PORTAL_WEBHOOKS_REQUIRE_HTTPS``) without credentials, whose host
resolves, and, unless ``PORTAL_WEBHOOKS_ALLOW_PRIVATE``, every address it resolves to must be public: no loopback,
private, link-local, multicast, reserved, shared or unspecified address (IPv4-mapped IPv6 addresses are judged as the
IPv4 address they carry). The delivery connects to one of the addresses checked here, never resolving the name again,
so a name that resolves to a public address when saved and to an internal one later (DNS rebinding) is refused at
delivery. Names under ``localhost`` are loopback by definition (RFC 6761) and are not looked up.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

URL_MAX_LENGTH = 500
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # ASCII (IDNA) form, without brackets
    port: int
    path: str  # path and query, percent-encoded
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default_port = 443 if self.scheme == "https" else 80
        return host if self.port == default_port else f"{host}:{self.port}"


def _refuse(message: str) -> ValidationError:
    return ValidationError({"url": message})


def _address_refusal(address: IPAddress, host: str) -> str | None:
    """Why the address is unfit for a webhook (translated), or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    names = {"host": host, "address": str(address)}
    if address.is_loopback:
        return _("%(host)s leads to %(address)s, a loopback address (the server itself).") % names
    if address.is_unspecified:
        return _("%(host)s leads to %(address)s, an unspecified address.") % names
    if address.is_link_local:
        return _("%(host)s leads to %(address)s, a link-local address.") % names
    if address.is_multicast:
        return _("%(host)s leads to %(address)s, a multicast address.") % names
    if address.is_private:
        return _("%(host)s leads to %(address)s, a private network address.") % names
    if not address.is_global:
        return _("%(host)s leads to %(address)s, a reserved address.") % names
    return None


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        return (str(ipaddress.ip_address(host)),)
    except ValueError:
        pass
    if host == "localhost" or host.endswith(".localhost"):
        return ("127.0.0.1", "::1")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _refuse(_("The host %(host)s could not be found.") % {"host": host}) from None
    return tuple(dict.fromkeys(info[4][0] for info in found))


def webhook_target_resolve(url: str) -> Target:
    """The checked target of `url`, or a ValidationError on ``url`` naming what is wrong with it."""
    url = (url or "").strip()
    if not url:
        raise _refuse(_("Enter the URL that should receive the events."))
    if len(url) > URL_MAX_LENGTH:
        raise _refuse(_("Keep the URL to %(limit)d characters or fewer.") % {"limit": URL_MAX_LENGTH})
    if any(character.isspace() or ord(character) < 32 or ord(character) == 127 for character in url):
        raise _refuse(_("The URL must not contain spaces or control characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse(_("Enter a valid URL, such as https://hooks.example.com/cvplus.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse(_("Enter a valid URL, such as https://hooks.example.com/cvplus."))
    if settings.PORTAL_WEBHOOKS_REQUIRE_HTTPS and parts.scheme != "https":
        raise _refuse(_("Use an https:// URL: events are sent over encrypted connections only."))
    if parts.username is not None or parts.password is not None:
        raise _refuse(_("Leave the user name and password out of the URL: the signature tells you the event is ours."))
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise _refuse(_("Enter a valid URL, such as https://hooks.example.com/cvplus.")) from None
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            refusal = _address_refusal(ipaddress.ip_address(address.split("%", 1)[0]), host)
            if refusal is not None:
                raise _refuse(refusal)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return Target(scheme=parts.scheme, host=host, port=port, path=path, addresses=addresses)


def webhook_connect(target: Target, timeout_s: float) -> socket.socket:
    """A TCP connection to the first of the target's checked addresses that answers within `timeout_s` in all."""
    error: OSError | None = None
    for address in target.addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout_s)
        try:
            sock.connect((address, target.port))
            return sock
        except OSError as failure:
            sock.close()
            error = failure
            if isinstance(failure, TimeoutError):
                break  # the time is spent: no other address gets a chance within it
    raise error or OSError("no address")
