"""Auditoria: the audit trail, filtered by entity, action, operator and period."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from nicegui import APIRouter, run, ui

from domain.access.permissions import Permission
from persistence.queries import audit as audit_queries
from persistence.queries.audit import AuditFilter
from reports.formats import DEFAULT_TZ
from ui.components.formats import moment
from ui.components.frame import page_actor, page_frame

router = APIRouter()

COLUMNS = [
    {"name": "occurred_at", "label": "Quando", "field": "occurred_at", "align": "left"},
    {"name": "actor", "label": "Quem", "field": "actor", "align": "left"},
    {"name": "action", "label": "Ação", "field": "action", "align": "left"},
    {"name": "entity", "label": "Entidade", "field": "entity", "align": "left"},
    {"name": "changes", "label": "Alterações", "field": "changes", "align": "left", "classes": "font-mono text-xs",
     "style": "max-width: 520px; white-space: normal"},
    {"name": "reason", "label": "Motivo", "field": "reason", "align": "left"},
]  # fmt: skip


@router.page("/auditoria")
async def audit_page() -> None:
    actor = await page_actor("Auditoria", Permission.AUDIT_READ)
    if actor is None:
        return
    types = await run.io_bound(audit_queries.entity_types, actor)
    with page_frame("Auditoria", actor):
        state: dict[str, str | None] = {"cursor": None}
        with ui.row().classes("items-end gap-2"):
            entity = ui.select({"": "Todas", **{t: t for t in types}}, value="", label="Entidade").classes("w-48")
            action = ui.input("Ação contém").classes("w-48")
            who = ui.input("Operador").classes("w-48")
            since = ui.input("De (dd/mm/aaaa)").classes("w-36")
            until = ui.input("Até (dd/mm/aaaa)").classes("w-36")
            ui.button("Filtrar", icon="filter_alt", on_click=lambda: load(reset=True)).props("data-testid=audit-filter")
        table = ui.table(columns=COLUMNS, rows=[], row_key="id").classes("w-full")
        more = ui.button("Carregar mais", on_click=lambda: load(reset=False)).props("flat")

        async def load(*, reset: bool) -> None:
            try:
                filters = AuditFilter(
                    entity_type=entity.value or None, action=action.value or None, actor_name=who.value or None,
                    since=_parse_day(since.value), until=_parse_day(until.value, end=True),
                )  # fmt: skip
            except ValueError:
                ui.notify("Data inválida: use dd/mm/aaaa.", type="negative")
                return
            cursor = None if reset else state["cursor"]
            page = await run.io_bound(audit_queries.list_events, actor, filters, cursor=cursor)
            rows = [_as_row(r) for r in page.rows]
            table.rows = rows if reset else [*table.rows, *rows]
            table.update()
            state["cursor"] = page.next_cursor
            more.set_visibility(page.next_cursor is not None)

        for field in (action, who, since, until):
            field.on("keydown.enter", lambda: load(reset=True))
        await load(reset=True)


def _parse_day(text: str | None, *, end: bool = False) -> datetime | None:
    if not text or not text.strip():
        return None
    start = datetime.strptime(text.strip(), "%d/%m/%Y").replace(tzinfo=DEFAULT_TZ)
    return start + timedelta(days=1) if end else start


def _as_row(row: audit_queries.AuditRow) -> dict[str, str]:
    return {
        "id": str(row.id),
        "occurred_at": moment(row.occurred_at),
        "actor": f"{row.actor_name} ({row.actor_kind})",
        "action": row.action,
        "entity": f"{row.entity_type} …{row.entity_id[-8:]}",  # UUIDv7 heads are timestamps: the tail tells apart
        "changes": _summary(row.changes),
        "reason": row.reason or "",
    }


def _summary(changes: dict) -> str:
    """`{"field": [before, after]}` from the flush hook; set-based events may record plain values."""
    parts = []
    for key, value in list(changes.items())[:8]:
        if isinstance(value, list) and len(value) == 2:
            before, after = value
            shown = f"{_short(before)} → {_short(after)}" if before is not None else _short(after)
            parts.append(f"{key}: {shown}")
        else:
            parts.append(f"{key}: {_short(value)}")
    return "; ".join(parts)


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"
