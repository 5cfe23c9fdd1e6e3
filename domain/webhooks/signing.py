"""Signature of a webhook delivery, Stripe-style, so receivers can check it came from us and was not replayed:

    Fatura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>

The receiver recomputes the HMAC over the timestamp, a dot and the raw body bytes, compares in constant time and
refuses timestamps older than its tolerance (5 minutes here)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER = "Fatura-Signature"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def mask(secret: str) -> str:
    return f"{secret[:8]}…{secret[-4:]}" if len(secret) > 12 else "…"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The header value for this body, signed now (each retry is signed again with its own timestamp)."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={signature(secret, t, body)}"


def verify(
    secret: str, header: str, body: bytes, *, now: int | None = None, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """What a receiver does; used by our tests against a real HTTP server."""
    parts: dict[str, list[str]] = {}
    for item in (header or "").split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        t = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((int(time.time()) if now is None else now) - t) > tolerance:
        return False
    expected = signature(secret, t, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", []))
