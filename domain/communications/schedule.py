"""The communication schedule (régua de cobrança): steps relative to the due date, each with its channels and event.

Stored in organization.preferences["dunning_steps"] as [{"offset": -7, "channels": ["email"], "event": "..."}];
without it the defaults below apply. The last post-due step is the one after which dunning suspends the account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.communications.events import SCHEDULE_EVENTS, Channel, EventType
from domain.errors import ValidationFailed

MIN_OFFSET, MAX_OFFSET = -60, 120
MAX_STEPS = 20


@dataclass(frozen=True)
class ScheduleStep:
    offset: int  # days relative to the due date: −7 is a week before, +3 three days after
    channels: tuple[Channel, ...]
    event: EventType

    def to_json(self) -> dict[str, Any]:
        return {"offset": self.offset, "channels": [c.value for c in self.channels], "event": self.event.value}

    def due_on_for(self, today: date) -> date:
        """The due date this step looks at today: due_on + offset == today."""
        return today - timedelta(days=self.offset)

    def window(self, today: date, next_step: ScheduleStep | None) -> tuple[date | None, date]:
        """The due dates this step covers today: (after, up to]. An invoice is in a step's window from the step's
        day until the next step's day, so a day the worker missed is caught up the next day with the step the
        invoice is in now (never a stale one, never twice); the last step's window has no end."""
        after = today - timedelta(days=next_step.offset) if next_step is not None else None
        return after, self.due_on_for(today)

    @property
    def label(self) -> str:
        if self.offset == 0:
            return "No vencimento"
        days = abs(self.offset)
        return f"{days} dia(s) {'antes do' if self.offset < 0 else 'após o'} vencimento"


def event_for_offset(offset: int) -> EventType:
    if offset < 0:
        return EventType.INVOICE_DUE_SOON
    return EventType.INVOICE_DUE_TODAY if offset == 0 else EventType.INVOICE_OVERDUE


def _step(offset: int, *channels: Channel) -> ScheduleStep:
    return ScheduleStep(offset, tuple(channels), event_for_offset(offset))


E, N, W = Channel.EMAIL, Channel.IN_APP, Channel.WEBHOOK
DEFAULT_STEPS: tuple[ScheduleStep, ...] = (
    _step(-7, E),
    _step(-3, E),
    _step(-1, E),
    _step(0, E, N),
    _step(3, E, N, W),
    _step(7, E, N, W),
    _step(15, E, N, W),
)


def steps_of(preferences: dict[str, Any] | None) -> list[ScheduleStep]:
    stored = (preferences or {}).get("dunning_steps")
    if stored is None:
        return list(DEFAULT_STEPS)
    return parse_steps(stored)


def parse_steps(raw: list[dict[str, Any]]) -> list[ScheduleStep]:
    """Checked steps, sorted by offset; one step per day offset."""
    if len(raw) > MAX_STEPS:
        raise ValidationFailed(f"A régua tem no máximo {MAX_STEPS} passos.", field="steps")
    steps: dict[int, ScheduleStep] = {}
    for item in raw:
        try:
            offset = int(item["offset"])
        except (KeyError, TypeError, ValueError):
            raise ValidationFailed("Informe os dias de cada passo (ex.: -7, 0, 3).", field="steps") from None
        if not MIN_OFFSET <= offset <= MAX_OFFSET:
            raise ValidationFailed(f"Os dias vão de {MIN_OFFSET} a +{MAX_OFFSET}.", field="steps")
        if offset in steps:
            raise ValidationFailed(f"Há dois passos no dia {offset:+d}.", field="steps")
        try:
            channels = tuple(dict.fromkeys(Channel(c) for c in item.get("channels") or []))
            event = EventType(item.get("event") or event_for_offset(offset))
        except ValueError:
            raise ValidationFailed("Canal ou evento desconhecido.", field="steps") from None
        if not channels:
            raise ValidationFailed(f"O passo do dia {offset:+d} não tem canal.", field="steps")
        if event not in SCHEDULE_EVENTS:
            raise ValidationFailed("Os passos usam eventos de fatura a vencer, vence hoje ou vencida.", field="steps")
        steps[offset] = ScheduleStep(offset, channels, event)
    return [steps[k] for k in sorted(steps)]


def last_post_due_offset(steps: list[ScheduleStep]) -> int | None:
    """After this step dunning suspends the account; None when the schedule has no post-due step."""
    after = [s.offset for s in steps if s.offset > 0]
    return max(after) if after else None


def due_dates_for(today: date, steps: list[ScheduleStep]) -> dict[date, ScheduleStep]:
    """Which due date each step looks at today: due_on + offset == today, i.e. due_on == today − offset."""
    return {today - timedelta(days=s.offset): s for s in steps}
