"""An organisation's webhook endpoints: added with a secret shown once, disabled at will."""

from __future__ import annotations

import ipaddress
import secrets
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import WebhookEndpoint, utcnow


class EndpointError(ValueError):
    """The URL cannot receive webhooks; the message says why."""


def check_url(url: str) -> str:
    """The URL if it may receive webhooks: https (http only where WEBHOOK_ALLOW_HTTP)."""
    parts = urlsplit(url)
    allowed = ("https", "http") if current_app.config["WEBHOOK_ALLOW_HTTP"] else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise EndpointError(_("Use an https:// address.") if "http" not in allowed
                            else _("Use an http:// or https:// address."))
    if parts.username or parts.password:
        raise EndpointError(_("Do not put a user name or password in the address."))
    if not current_app.config["WEBHOOK_ALLOW_HTTP"] and _internal(parts.hostname):
        raise EndpointError(_("Use a public address: this one points into our own network."))
    return url


def _internal(host: str) -> bool:
    """A loopback, private or link-local address written out (names are not resolved here)."""
    name = host.lower().rstrip(".")  # `localhost.` is localhost to the resolver
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _written_address(name)
    return address is not None and (address.is_private or address.is_loopback
                                     or address.is_link_local or address.is_reserved
                                     or address.is_unspecified or address.is_multicast)


def _written_address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address `name` spells, in every form the system resolver reads as one: besides
    127.0.0.1 also 2130706433, 127.1, 0x7f.0.0.1 or 0177.0.0.1 (inet_aton's forms)."""
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        pass
    try:
        return ipaddress.ip_address(socket.inet_aton(name))
    except (OSError, ValueError):  # a name, not an address
        return None


def add_endpoint(group_id: int, url: str) -> tuple[str, WebhookEndpoint]:
    """A new endpoint for the group: (its secret, to show once; the row). Commits."""
    secret = "whsec_" + secrets.token_hex(32)
    endpoint = WebhookEndpoint(group_id=group_id, url=check_url(url), secret=secret)
    db.session.add(endpoint)
    db.session.commit()
    return secret, endpoint


def endpoints_of(group_id: int) -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.group_id == group_id).order_by(WebhookEndpoint.id.desc())))


def disable_endpoint(group_id: int, endpoint_id: int) -> bool:
    """Stop sending to an endpoint; events not yet delivered to it are dropped. Commits."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.group_id != group_id:
        return False
    endpoint.disabled_at = endpoint.disabled_at or utcnow()
    db.session.commit()
    return True
