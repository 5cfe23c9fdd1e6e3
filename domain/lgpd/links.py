"""Download links of LGPD exports: signed (HMAC-SHA256) and expiring, so a link pasted in a ticket stops working.

The link still needs a signed-in operator of the organization with LGPD_EXPORT; the signature only bounds its life.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime

from domain.lgpd.errors import ExportLinkInvalid


def sign(job_id: uuid.UUID, expires_at: datetime, secret: str) -> str:
    payload = f"{job_id}.{int(expires_at.timestamp())}"
    return _encode(payload + "." + _mac(payload, secret))


def verify(token: str, secret: str, now: datetime | None = None) -> uuid.UUID:
    """The export job the token points at; ExportLinkInvalid when forged, damaged or expired."""
    try:
        job, expires, mac = _decode(token).split(".")
        payload = f"{job}.{expires}"
        job_id = uuid.UUID(job)
        expires_at = datetime.fromtimestamp(int(expires), UTC)
    except (ValueError, UnicodeDecodeError):
        raise ExportLinkInvalid(expired=False) from None
    if not hmac.compare_digest(mac, _mac(payload, secret)):
        raise ExportLinkInvalid(expired=False)
    if (now or datetime.now(UTC)) >= expires_at:
        raise ExportLinkInvalid(expired=True)
    return job_id


def _mac(payload: str, secret: str) -> str:
    return hmac.new(secret.encode(), f"lgpd-export:{payload}".encode(), hashlib.sha256).hexdigest()


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(token: str) -> str:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
