"""The Faturas grid: server-side pages (QTable's `request` event), sorting on the headers, and the totals of the whole
filtered set under it. Click or Enter opens the invoice; ↑/↓ select."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.invoices.model import STATUSES, InvoiceStatus
from persistence.queries import invoices as queries
from persistence.queries.invoices import InvoiceFilter, InvoiceRow, InvoiceTotals
from ui.components.formats import count_of, day, money

PAGE_SIZE = 50
COLUMNS = [
    {"name": "number", "label": "Número", "field": "number", "align": "left", "sortable": True},
    {"name": "customer", "label": "Cliente", "field": "customer", "align": "left"},
    {"name": "account", "label": "Conta", "field": "account", "align": "left"},
    {"name": "issued_on", "label": "Emissão", "field": "issued_on", "align": "left", "sortable": True},
    {"name": "due_on", "label": "Vencimento", "field": "due_on", "align": "left", "sortable": True},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "total", "label": "Total", "field": "total", "align": "right", "sortable": True},
    {"name": "net", "label": "Líquido", "field": "net", "align": "right"},
    {"name": "outstanding", "label": "Em aberto", "field": "outstanding", "align": "right"},
]
ROW_SLOT = r"""
<q-tr :props="props" :class="props.row.selected ? 'bg-blue-1' : ''" class="cursor-pointer"
      :data-testid="'invoice-row-' + props.rowIndex" @click="$parent.$emit('open', props.row)">
  <q-td v-for="col in props.cols" :key="col.name" :props="props">
    <q-badge v-if="col.name === 'status'" :color="props.row.status_color" :label="col.value" />
    <span v-else-if="col.name === 'due_on'" :class="props.row.overdue ? 'text-negative text-weight-medium' : ''">
      {{ col.value }}<q-icon v-if="props.row.overdue" name="schedule" class="q-ml-xs" /></span>
    <span v-else :class="col.name === 'number' && !props.row.numbered ? 'text-grey-6 text-italic' : ''">
      {{ col.value }}</span>
  </q-td>
</q-tr>
"""
SORTS = {"number": "number", "issued_on": "issued_on", "due_on": "due_on", "total": "total"}


class InvoiceGrid:
    def __init__(self, actor: Actor, on_open: Callable[[str], Any], *, compact: bool = False) -> None:
        self.actor, self.on_open = actor, on_open
        self.filters = InvoiceFilter()
        self.rows: list[dict[str, Any]] = []
        self.selected = 0
        self.totals: InvoiceTotals | None = None
        pagination = {"page": 1, "rowsPerPage": PAGE_SIZE, "rowsNumber": 0, "sortBy": "due_on", "descending": True}
        self.table = (
            ui.table(columns=COLUMNS, rows=[], row_key="id", pagination=pagination)
            .classes("w-full")
            .props("data-testid=invoice-grid" + (" hide-pagination" if compact else ""))
            .mark("invoice-grid")
        )
        self.table.props["rows-per-page-options"] = [PAGE_SIZE]
        self.table.add_slot("body", ROW_SLOT)
        self.table.add_slot("no-data", '<div class="text-grey-7 q-pa-sm">Nenhuma fatura neste filtro.</div>')
        self.table.on("open", lambda e: self.on_open(e.args["id"]))
        self.table.on("request", self._requested)
        self.totals_label = (
            ui.label("").classes("text-sm text-slate-700").props("data-testid=invoice-totals").mark("invoice-totals")
        )

    async def reload(self, filters: InvoiceFilter | None = None) -> None:
        if filters is not None:
            self.filters = filters
        await self._load({**self.table.props["pagination"], "page": 1})

    def select(self, index: int) -> None:
        if not self.rows:
            return
        self.selected = max(0, min(index, len(self.rows) - 1))
        for n, row in enumerate(self.rows):
            row["selected"] = n == self.selected
        self.table.update()

    def open_selected(self) -> None:
        if self.rows:
            self.on_open(self.rows[self.selected]["id"])

    async def _requested(self, e: Any) -> None:
        await self._load(e.args.get("pagination", {}))

    async def _load(self, pagination: dict[str, Any]) -> None:
        sort = SORTS.get(pagination.get("sortBy") or "due_on", "due_on")
        page = await run.io_bound(
            queries.list_invoices, self.actor, self.filters, page=int(pagination.get("page") or 1),
            per_page=PAGE_SIZE, sort=sort, descending=bool(pagination.get("descending")),
        )  # fmt: skip
        self.rows = [_as_row(row) for row in page.rows]
        self.table.rows = self.rows
        self.table.props["pagination"] = {**pagination, "rowsPerPage": PAGE_SIZE, "rowsNumber": page.total or 0}
        self.totals = page.extra["totals"]
        self.select(0)
        self.table.update()
        t = self.totals
        self.totals_label.text = (
            f"{count_of(t.count, 'fatura', 'faturas')} · Total {money(t.total_cents)} · "
            f"Líquido {money(t.net_value_cents)} · Em aberto {money(t.outstanding_cents)}"
        )


def _as_row(row: InvoiceRow) -> dict[str, Any]:
    spec = STATUSES[InvoiceStatus(row.status)]
    return {
        "id": str(row.id), "number": row.number or "Rascunho", "numbered": row.number is not None,
        "customer": row.customer_name, "account": row.account_name, "issued_on": day(row.issued_on),
        "due_on": day(row.due_on), "overdue": row.overdue, "status": spec.label, "status_color": spec.color,
        "total": money(row.total_cents, row.currency), "net": money(row.net_value_cents, row.currency),
        "outstanding": money(row.outstanding_cents, row.currency) if row.outstanding_cents else "",
        "selected": False,
    }  # fmt: skip
