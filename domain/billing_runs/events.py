"""Events the billing run emits, for the communications and webhooks areas to deliver (built in parallel).

HOOK: `events_of(outcomes)` lists what one committed batch produced; the run collects them in `RunSummary.events`
and calls `publish` once per batch, after its commit. Replace `publish` (or register a subscriber) to feed the outbox:

- ("invoice_created", invoice id): an invoice of a subscription period (open, paid by credit, or a draft);
- ("subscription.trial_ended_without_payment_method", subscription id): the trial ended, no invoice, now past due;
- ("subscription.canceled", subscription id): canceled at the end of its period.

`trial_ending` (a reminder days before) belongs to the communication schedule: it reads `subscription.trial_end`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from domain.billing_runs.compose import Decision, Outcome

Subscriber = Callable[[uuid.UUID, list[tuple[str, str]]], None]  # (organization, events of one batch)
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Called after each committed batch with its organization and events (e.g. to write them to the outbox)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def publish(organization_id: uuid.UUID, events: list[tuple[str, str]]) -> None:
    if not events:
        return
    for subscriber in _subscribers:
        subscriber(organization_id, events)


def events_of(outcomes: Iterable[Outcome]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for outcome in outcomes:
        if outcome.decision is Decision.INVOICE and outcome.invoice is not None:
            found.append(("invoice_created", str(outcome.invoice["id"])))
        if outcome.decision is Decision.TRIAL_WITHOUT_PAYMENT_METHOD:
            found.append(("subscription.trial_ended_without_payment_method", str(outcome.subscription.id)))
        if outcome.decision is Decision.CANCEL or (outcome.decision is Decision.INVOICE and
                                                   outcome.subscription.cancel_at_period_end):  # fmt: skip
            found.append(("subscription.canceled", str(outcome.subscription.id)))
    return found
