"""Small helpers every screen uses to call a use case and show its refusal in the operator's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from nicegui import run, ui

from domain.errors import BillingError

T = TypeVar("T")


async def attempt(fn: Callable[..., T], *args: Any, success: str | None = None, **kwargs: Any) -> tuple[bool, T | None]:
    """Run a use case off the event loop. A refusal becomes a red notification and (False, None); the use case's
    own transaction guarantees nothing was half-written."""
    try:
        result = await run.io_bound(fn, *args, **kwargs)
    except BillingError as refusal:
        ui.notify(refusal.message, type="negative", multi_line=True)
        return False, None
    if success:
        ui.notify(success, type="positive")
    return True, result
