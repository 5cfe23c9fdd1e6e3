"""Text normalization shared by entities and searches."""

from __future__ import annotations

import re
import unicodedata


def fold(value: str) -> str:
    """Lower-case, accents removed, spaces collapsed: 'São  PAULO' → 'sao paulo'. Used for search and sort keys."""
    decomposed = unicodedata.normalize("NFKD", value)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", without_marks).strip().lower()


def only_alnum(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()
