"""Business dates: an organization's "today" is its own calendar day (America/Sao_Paulo by default), not UTC's."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "America/Sao_Paulo"


def today_in(timezone: str | None) -> date:
    return datetime.now(ZoneInfo(timezone or DEFAULT_TIMEZONE)).date()
