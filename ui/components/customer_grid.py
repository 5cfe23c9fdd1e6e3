"""The Clientes grid: one page of 50 rows at a time from the server (keyset cursors, never OFFSET), sorting on the
column headers, the count loaded after the rows (exact, or "≈" when estimated), and the keyboard: ↑/↓ select,
Enter opens, PageDown/PageUp page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.customers.model import KIND_LABELS, STATUS_LABELS, CustomerKind, CustomerStatus
from persistence.queries import customers as queries
from persistence.queries.customers import PAGE_SIZE, CustomerFilter, CustomerRow
from ui.components.formats import money, number

COLUMNS = [
    {"name": "name", "label": "Cliente", "field": "name", "align": "left", "sortable": True},
    {"name": "document", "label": "CPF/CNPJ", "field": "document", "align": "left", "sortable": True},
    {"name": "place", "label": "Cidade/UF", "field": "place", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "accounts", "label": "Contas", "field": "accounts", "align": "right"},
    {"name": "balance", "label": "Saldo", "field": "balance", "align": "right", "sortable": True},
    {"name": "mrr", "label": "MRR", "field": "mrr", "align": "right", "sortable": True},
    {"name": "open", "label": "Em aberto", "field": "open", "align": "right"},
    {"name": "tags", "label": "Etiquetas", "field": "tags", "align": "left"},
]
ROW_SLOT = r"""
<q-tr :props="props" :style="props.row.selected ? 'background: #e3f2fd' : ''" class="cursor-pointer"
      :data-testid="'customer-row-' + props.rowIndex"
      @click="$parent.$emit('pick', props.row)" @dblclick="$parent.$emit('open', props.row)">
  <q-td v-for="col in props.cols" :key="col.name" :props="props">
    <template v-if="col.name === 'name'">
      <div class="font-medium">{{ props.row.name }}</div>
      <div v-if="props.row.detail" class="text-xs text-grey-7">{{ props.row.detail }}</div>
    </template>
    <q-badge v-else-if="col.name === 'status'" :color="props.row.status_color" :label="col.value" />
    <template v-else-if="col.name === 'tags'">
      <q-badge v-for="tag in (props.row.tags ? props.row.tags.split(', ') : [])" :key="tag" :label="tag"
               color="blue-grey-1" text-color="blue-grey-9" class="q-mr-xs" />
    </template>
    <span v-else :class="col.name === 'balance' && props.row.negative ? 'text-negative' : ''">{{ col.value }}</span>
  </q-td>
</q-tr>
"""
STATUS_COLORS = {"active": "positive", "suspended": "warning", "churned": "grey-7"}
SORT_OF_COLUMN = {"name": "name", "document": "document", "balance": "balance", "mrr": "mrr"}


class CustomerGrid:
    """State of one operator's grid: filters, sort, the cursor of each page visited, the selected row."""

    def __init__(self, actor: Actor, on_open: Callable[[str], Any]) -> None:
        self.actor, self.on_open = actor, on_open
        self.filters = CustomerFilter()
        self.sort, self.descending = "name", False
        self.cursors: list[str | None] = [None]  # cursors[i] starts page i; a way back without OFFSET
        self.next_cursor: str | None = None
        self.selected = 0
        self.rows: list[dict[str, Any]] = []
        self.count_text = "…"
        self._build()

    def _build(self) -> None:
        self.table = (
            ui.table(columns=COLUMNS, rows=[], row_key="id")
            .classes("w-full")
            .props("data-testid=customer-grid hide-bottom")
        )
        self.table.props["pagination"] = {"rowsPerPage": 0, "sortBy": "name", "descending": False, "rowsNumber": 0}
        self.table.add_slot("body", ROW_SLOT)
        self.table.on("pick", lambda e: self.select(self._index(e.args["id"])))
        self.table.on("open", lambda e: self.on_open(e.args["id"]))
        self.table.on("request", self._sort_requested)
        with ui.row().classes("w-full items-center gap-2"):
            self.back = ui.button(icon="chevron_left", on_click=self.previous_page).props(
                "flat dense aria-label=Anterior"
            )
            self.forward = ui.button(icon="chevron_right", on_click=self.next_page).props(
                "flat dense aria-label=Próxima data-testid=next-page"
            )
            self.range_label = ui.label("").classes("text-sm text-slate-600").props("data-testid=grid-range")
            ui.label("↑/↓ seleciona · Enter abre · N novo cliente · PgDn/PgUp página").classes(
                "text-xs text-slate-400 ml-4"
            )

    async def reload(self, filters: CustomerFilter | None = None) -> None:
        """Back to the first page (new filters or sort); the count follows once the rows are on screen."""
        if filters is not None:
            self.filters = filters
        self.cursors = [None]
        await self._load()
        count = await run.io_bound(queries.count_customers, self.actor, self.filters)
        self.count_text = ("≈ " if count.is_estimate else "") + number(count.value)
        self._show_range()

    async def next_page(self) -> None:
        if self.next_cursor is None:
            return
        self.cursors.append(self.next_cursor)
        await self._load()
        self._show_range()

    async def previous_page(self) -> None:
        if len(self.cursors) == 1:
            return
        self.cursors.pop()
        await self._load()
        self._show_range()

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

    async def _load(self) -> None:
        page = await run.io_bound(queries.list_customers, self.actor, self.filters, sort=self.sort,
                                  descending=self.descending, cursor=self.cursors[-1])  # fmt: skip
        self.next_cursor = page.next_cursor
        self.table.rows = [_as_row(r) for r in page.rows]
        self.rows = self.table.rows  # NOTE: the table keeps observable copies; select() must change those
        self.selected = 0
        self.select(0)
        self.back.set_enabled(len(self.cursors) > 1)
        self.forward.set_enabled(self.next_cursor is not None)

    async def _sort_requested(self, e: Any) -> None:
        pagination = e.args.get("pagination", {})
        self.sort = SORT_OF_COLUMN.get(pagination.get("sortBy") or "name", "name")
        self.descending = bool(pagination.get("descending"))
        self.table.props["pagination"] = {**self.table.props["pagination"], "sortBy": pagination.get("sortBy"),
                                          "descending": self.descending}  # fmt: skip
        await self.reload()

    def _show_range(self) -> None:
        first = (len(self.cursors) - 1) * PAGE_SIZE
        shown = f"{number(first + 1)}–{number(first + len(self.rows))}" if self.rows else "0"
        self.range_label.text = f"{shown} de {self.count_text} clientes"
        self.table.props["pagination"] = {**self.table.props["pagination"], "rowsNumber": len(self.rows)}
        self.table.update()

    def _index(self, row_id: str) -> int:
        return next((n for n, r in enumerate(self.rows) if r["id"] == row_id), 0)


def _as_row(r: CustomerRow) -> dict[str, Any]:
    place = f"{r.city}/{r.uf}" if r.city and r.uf else (r.city or "")
    detail = r.legal_name if r.legal_name and r.legal_name != r.name else (r.email or "")
    return {
        "id": str(r.id), "name": r.name, "detail": detail, "document": r.document, "place": place,
        "status": STATUS_LABELS[CustomerStatus(r.status)], "status_color": STATUS_COLORS[r.status],
        "kind": KIND_LABELS[CustomerKind(r.kind)], "accounts": r.accounts_count,
        "balance": money(r.balance_cents, r.currency), "negative": r.balance_cents < 0,
        "mrr": money(r.mrr_cents, r.currency), "open": r.open_invoices_count or "", "tags": ", ".join(r.tags),
        "selected": False,
    }  # fmt: skip
