"""The customers a segment selects: the chosen columns, one keyset page at a time (never OFFSET), the row look of
the Clientes grid, and a double click that opens the customer."""

from __future__ import annotations

from typing import Any

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.customers.model import KIND_LABELS, STATUS_LABELS, CustomerKind, CustomerStatus
from domain.errors import BillingError
from domain.segments.model import COLUMNS
from persistence.queries import segments as queries
from persistence.queries.customers import CustomerRow
from ui.components.customer_grid import ROW_SLOT, STATUS_COLORS  # NOTE: the same rows as the Clientes grid
from ui.components.formats import money, number

ALIGN_RIGHT = {"accounts_count", "balance_cents", "mrr_cents", "open_invoices_count"}
# ROW_SLOT paints these row keys specially (name + detail, status badge, tag chips, red negative balance).
FIELD_OF = {"balance_cents": "balance", "mrr_cents": "mrr", "accounts_count": "accounts", "open_invoices_count": "open"}


class SegmentResults:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.tree: dict[str, Any] = {}
        self.sort: dict[str, Any] = {}
        self.cursors: list[str | None] = [None]
        self.next_cursor: str | None = None
        self.table = (
            ui.table(columns=[], rows=[], row_key="id")
            .classes("w-full")
            .props("data-testid=segment-results hide-bottom")
        )
        self.table.props["pagination"] = {"rowsPerPage": 0}
        self.table.add_slot("body", ROW_SLOT)
        self.table.on("open", lambda e: ui.navigate.to(f"/clientes/{e.args['id']}"))
        with ui.row().classes("items-center gap-2"):
            self.back = ui.button(icon="chevron_left", on_click=self.previous_page)
            self.back.props("flat dense aria-label=Anterior")
            self.forward = ui.button(icon="chevron_right", on_click=self.next_page).props(
                "flat dense aria-label=Próxima data-testid=segment-next-page"
            )
            self.range_label = ui.label("").classes("text-sm text-slate-600").props("data-testid=segment-range")

    async def show(self, tree: dict[str, Any], columns: list[str], sort: dict[str, Any]) -> None:
        self.tree, self.sort, self.cursors = tree, sort, [None]
        self.table.columns = [
            {
                "name": c,
                "label": COLUMNS[c],
                "field": FIELD_OF.get(c, c),
                "align": "right" if c in ALIGN_RIGHT else "left",
            }
            for c in columns
        ]
        await self._load()

    async def next_page(self) -> None:
        if self.next_cursor is not None:
            self.cursors.append(self.next_cursor)
            await self._load()

    async def previous_page(self) -> None:
        if len(self.cursors) > 1:
            self.cursors.pop()
            await self._load()

    async def _load(self) -> None:
        try:
            page = await run.io_bound(
                queries.list_segment, self.actor, self.tree, sort=self.sort, cursor=self.cursors[-1]
            )
        except BillingError:  # an incomplete filter: the builder already says what to fix
            return
        self.next_cursor = page.next_cursor
        self.table.rows = [_as_row(r) for r in page.rows]
        first = (len(self.cursors) - 1) * queries.PAGE_SIZE
        shown = f"{number(first + 1)}–{number(first + len(page.rows))}"
        self.range_label.text = shown if page.rows else "Nenhum cliente"
        self.back.set_enabled(len(self.cursors) > 1)
        self.forward.set_enabled(self.next_cursor is not None)
        self.table.update()


def _as_row(r: CustomerRow) -> dict[str, Any]:
    return {
        "id": str(r.id), "name": r.name, "detail": r.legal_name if r.legal_name and r.legal_name != r.name else "",
        "document": r.document, "email": r.email or "", "kind": KIND_LABELS[CustomerKind(r.kind)],
        "status": STATUS_LABELS[CustomerStatus(r.status)], "status_color": STATUS_COLORS[r.status],
        "city": r.city or "", "uf": r.uf or "", "accounts": r.accounts_count,
        "balance": money(r.balance_cents, r.currency), "negative": r.balance_cents < 0,
        "mrr": money(r.mrr_cents, r.currency), "open": r.open_invoices_count or "", "tags": ", ".join(r.tags),
        "selected": False,
    }  # fmt: skip
