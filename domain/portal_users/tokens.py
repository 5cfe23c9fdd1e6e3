"""One-time portal links: 256 random bits, shown once, stored as SHA-256.

A plain SHA-256 is enough here (unlike passwords): the secret is random and long, so there is nothing to guess,
and a fast hash lets the link be found by an indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from domain.portal_users.model import TOKEN_TTL, PortalToken, TokenPurpose


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.strip().encode()).hexdigest()


def issue_token(portal_user_id: uuid.UUID, purpose: TokenPurpose, now: datetime) -> tuple[str, PortalToken]:
    """A new link for `purpose`, valid for its TTL; returns the raw token (to send) and the row (to store)."""
    raw = secrets.token_urlsafe(32)
    token = PortalToken(portal_user_id=portal_user_id, purpose=purpose, token_hash=hash_token(raw), created_at=now,
                        expires_at=now + TOKEN_TTL[purpose])  # fmt: skip
    return raw, token
