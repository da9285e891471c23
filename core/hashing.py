"""Keyed hashes of personal data: we keep the fact, not the identity (152-ФЗ minimisation)."""

import hashlib
import hmac
import ipaddress

from django.conf import settings


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 with the server's HASH_SECRET: stable for comparisons, useless without the secret."""
    secret = (settings.HASH_SECRET or settings.SECRET_KEY).encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def client_ip(request) -> str:
    """The visitor's address: the Nth address from the right of X-Forwarded-For, N = TRUSTED_PROXY_COUNT.

    Each trusted proxy appends the address it received the request from (nginx:
    `$proxy_add_x_forwarded_for`), so the right-most N entries were written by our proxies and the
    Nth is the visitor as our outermost proxy saw them. Anything the client sent in the header itself
    stands further left and is ignored: a forged prefix does not change the address. With 0 (no
    proxy) the direct peer, REMOTE_ADDR.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
        from .checks import report_once

        report_once(
            "forwarded-too-short",
            "TRUSTED_PROXY_COUNT is %s but X-Forwarded-For holds %s address(es): the proxy does not set the "
            "header, so this visitor is seen as the proxy's address.",
            proxies,
            len(forwarded),
        )
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - a placeholder, not a bind


def subnet_of(ip: str) -> str:
    """/24 for IPv4 and /64 for IPv6: one household or one mobile carrier's pool."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "invalid"
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def hashed_subnet(request) -> str:
    return keyed_hash("subnet:" + subnet_of(client_ip(request)))
