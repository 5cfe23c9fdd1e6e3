"""The registry's e-mail rule (domain/customers/contacts.py normalize_email), memoized by domain for bulk imports.

email-validator spends most of its ~100 µs per call on the part after the "@", and an import has a few hundred
distinct domains for 100,000 addresses. So the domain's verdict is asked once per domain, from the registry's own
function; the part before the "@" is accepted here only when it is a plain dot-atom (RFC 5322 atext, ASCII, at most
64 characters), which email-validator always accepts unchanged. Anything else (quotes, non-ASCII, a rejected
domain, too long) goes through the registry's function itself, so the verdict and its message are exactly the UI's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from domain.customers.contacts import normalize_email
from domain.errors import ValidationFailed

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_MAX_LENGTH = 254


def normalize_email_cached(raw: str, *, field: str = "email") -> str:
    """Lower-cased and checked like normalize_email(raw, required=True); raises its ValidationFailed."""
    text = raw.strip()
    local, at, domain = text.rpartition("@")
    if at and len(local) <= 64 and _DOT_ATOM.fullmatch(local):
        normalized_domain = _domain(domain)
        if normalized_domain is not None:
            address = f"{local}@{normalized_domain}".lower()
            if len(address) <= _MAX_LENGTH:
                return address
    return normalize_email(text, field=field) or ""


@lru_cache(maxsize=8192)
def _domain(domain: str) -> str | None:
    """The domain as normalize_email stores it, or None when the registry refuses it (the caller asks again)."""
    try:
        address = normalize_email(f"a@{domain}")
    except ValidationFailed:
        return None
    return address.split("@", 1)[1] if address else None
