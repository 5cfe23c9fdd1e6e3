"""Contas: every billing account of the organization — search by customer, document or e-mail, filters by
situation, tax profile, balance and MRR, 50 rows a page from the server. A row opens its customer's Contas tab."""

from __future__ import annotations

from typing import Any

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import PAYMENT_METHOD_LABELS, STATUS_LABELS, TAX_TYPE_LABELS, AccountStatus
from domain.documents.tax_ids import mask_document
from persistence.queries import accounts as queries
from persistence.queries.accounts import PAGE_SIZE, AccountFilter, AccountRow
from ui.components.formats import money, number
from ui.components.frame import page_actor, page_frame

router = APIRouter()

COLUMNS = [
    {"name": "name", "label": "Conta", "field": "name", "align": "left"},
    {"name": "customer", "label": "Cliente", "field": "customer", "align": "left"},
    {"name": "tax_id", "label": "CPF/CNPJ", "field": "tax_id", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "tax_type", "label": "Perfil fiscal", "field": "tax_type", "align": "left"},
    {"name": "method", "label": "Pagamento", "field": "method", "align": "left"},
    {"name": "balance", "label": "Saldo", "field": "balance", "align": "right"},
    {"name": "mrr", "label": "MRR", "field": "mrr", "align": "right"},
]
STATUS_COLORS = {"active": "positive", "suspended": "warning", "closed": "grey-7"}
ROW_SLOT = r"""
<q-tr :props="props" class="cursor-pointer" :data-testid="'account-row-' + props.rowIndex"
      @click="$parent.$emit('open', props.row)">
  <q-td v-for="col in props.cols" :key="col.name" :props="props">
    <template v-if="col.name === 'name'">
      <div class="font-medium">{{ props.row.name }}</div>
      <div v-if="props.row.email" class="text-xs text-grey-7">{{ props.row.email }}</div>
    </template>
    <q-badge v-else-if="col.name === 'status'" :color="props.row.status_color" :label="col.value" />
    <span v-else :class="col.name === 'balance' && props.row.negative ? 'text-negative' : ''">{{ col.value }}</span>
  </q-td>
</q-tr>
"""


@router.page("/contas")
async def accounts_page(status: str = "", q: str = "") -> None:
    actor = await page_actor("Contas", Permission.BILLING_ACCOUNTS_READ)
    if actor is None:
        return
    with page_frame("Contas", actor):
        await AccountGrid(actor, AccountFilter(search=q, status=status or None)).build()


class AccountGrid:
    """Filters, the page cursors visited (a way back without OFFSET) and the table."""

    def __init__(self, actor: Actor, filters: AccountFilter) -> None:
        self.actor, self.filters = actor, filters
        self.cursors: list[str | None] = [None]
        self.next_cursor: str | None = None
        self.count_text = "…"
        self.rows: list[dict[str, Any]] = []

    async def build(self) -> None:
        f = self.filters
        with ui.row().classes("w-full items-center gap-2"):
            search = ui.input(placeholder="Cliente, CPF/CNPJ ou e-mail", value=f.search).props(
                "clearable debounce=300 autofocus data-testid=account-search"
            ).classes("w-80").mark("account-search")  # fmt: skip
            status = ui.select({"": "Todas as situações"} | {s.value: STATUS_LABELS[s] for s in AccountStatus},
                               value=f.status or "").classes("w-44").mark("account-status")  # fmt: skip
            tax = ui.select({"": "Todos os perfis"} | {k.value: v for k, v in TAX_TYPE_LABELS.items()},
                            value="").classes("w-48")  # fmt: skip
            balance = ui.select({"": "Qualquer saldo", "debtor": "Devedoras", "creditor": "Com crédito"},
                                value="").classes("w-40")  # fmt: skip
            mrr = ui.checkbox("Com MRR")

        async def changed() -> None:
            self.filters = AccountFilter(search=search.value or "", status=status.value or None,
                                         tax_type=tax.value or None, balance=balance.value or None,
                                         with_mrr=bool(mrr.value))  # fmt: skip
            await self.reload()

        for element in (search, status, tax, balance, mrr):
            element.on_value_change(changed)
        self.table = ui.table(columns=COLUMNS, rows=[], row_key="id").classes("w-full").props(
            "data-testid=account-grid hide-bottom"
        ).mark("account-grid")  # fmt: skip
        self.table.props["pagination"] = {"rowsPerPage": 0}
        self.table.add_slot("body", ROW_SLOT)
        self.table.add_slot("no-data", '<div class="text-grey-7 q-pa-sm">Nenhuma conta neste filtro.</div>')
        self.table.on("open", lambda e: ui.navigate.to(f"/clientes/{e.args['customer_id']}?tab=contas"))
        with ui.row().classes("w-full items-center gap-2"):
            self.back = ui.button(icon="chevron_left", on_click=self.previous_page).props("flat dense")
            self.forward = ui.button(icon="chevron_right", on_click=self.next_page).props("flat dense")
            self.range_label = ui.label("").classes("text-sm text-slate-600").mark("account-range")
        await self.reload()

    async def reload(self) -> None:
        self.cursors = [None]
        await self._load()
        count = await run.io_bound(queries.count_accounts, self.actor, self.filters)
        self.count_text = ("≈ " if count.is_estimate else "") + number(count.value)
        self._show_range()

    async def next_page(self) -> None:
        if self.next_cursor is not None:
            self.cursors.append(self.next_cursor)
            await self._load()
            self._show_range()

    async def previous_page(self) -> None:
        if len(self.cursors) > 1:
            self.cursors.pop()
            await self._load()
            self._show_range()

    async def _load(self) -> None:
        page = await run.io_bound(queries.list_accounts, self.actor, self.filters, cursor=self.cursors[-1])
        self.next_cursor = page.next_cursor
        self.rows = [_as_row(r) for r in page.rows]
        self.table.rows = self.rows
        self.table.update()
        self.back.set_enabled(len(self.cursors) > 1)
        self.forward.set_enabled(self.next_cursor is not None)

    def _show_range(self) -> None:
        first = (len(self.cursors) - 1) * PAGE_SIZE
        shown = f"{number(first + 1)}–{number(first + len(self.rows))}" if self.rows else "0"
        self.range_label.text = f"{shown} de {self.count_text} contas"


def _as_row(r: AccountRow) -> dict[str, Any]:
    kind = "cnpj" if r.tax_id and len(r.tax_id) == 14 else "cpf"
    return {
        "id": str(r.id), "customer_id": str(r.customer_id), "name": r.name, "customer": r.customer_name,
        "email": r.email or "", "tax_id": mask_document(kind, r.tax_id) if r.tax_id else "—",
        "status": STATUS_LABELS[AccountStatus(r.status)], "status_color": STATUS_COLORS.get(r.status, "grey-7"),
        "tax_type": TAX_TYPE_LABELS.get(r.customer_tax_type, r.customer_tax_type),  # type: ignore[call-overload]
        "method": PAYMENT_METHOD_LABELS.get(r.payment_method, r.payment_method),  # type: ignore[call-overload]
        "balance": money(r.balance_cents, r.currency), "negative": r.balance_cents < 0,
        "mrr": money(r.mrr_cents, r.currency),
    }  # fmt: skip
