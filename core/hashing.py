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
    """The visitor's address. Behind nginx, TRUSTED_PROXY_COUNT proxies append to X-Forwarded-For."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
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
