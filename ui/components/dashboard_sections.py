"""Painel sections fed by the automation areas: MRR movement, the last billing runs, e-mails and webhooks."""

from __future__ import annotations

from domain.access.permissions import Actor


async def mrr_movement(actor: Actor) -> None:
    """MRR month by month with what moved it (new, expansion, contraction, churn)."""


async def billing_runs(actor: Actor) -> None:
    """The last billing runs with their counts and failures, and a retry button."""


async def communications(actor: Actor) -> None:
    """E-mails waiting in the outbox and webhook deliveries that failed."""
