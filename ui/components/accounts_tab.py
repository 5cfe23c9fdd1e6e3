"""Cliente › Contas de faturamento: the accounts with their consolidation, and what an operator does to them —
create, edit, suspend and reactivate with a reason, close, delete (refused with the reason when money is open)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from domain.billing_accounts import services as accounts
from domain.billing_accounts.model import PAYMENT_METHOD_LABELS, STATUS_LABELS, TAX_TYPE_LABELS
from domain.customers.model import Customer
from persistence.queries import customer_page as queries
from persistence.queries.customer_page import AccountView
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.account_form import account_dialog
from ui.components.formats import day, money
from ui.components.forms import reason_dialog

_WRAP = "white-space: normal; min-width: 140px; max-width: 220px"
COLUMNS = [
    {"name": "name", "label": "Conta", "field": "name", "align": "left"},
    {"name": "email", "label": "E-mail", "field": "email", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "payment", "label": "Pagamento", "field": "payment", "align": "left", "style": _WRAP},
    {"name": "tax", "label": "Perfil tributário", "field": "tax", "align": "left", "style": _WRAP},
    {"name": "balance", "label": "Saldo", "field": "balance", "align": "right"},
    {"name": "negative", "label": "Limite negativo", "field": "negative", "align": "right"},
    {"name": "mrr", "label": "MRR", "field": "mrr", "align": "right"},
    {"name": "portal", "label": "Portal", "field": "portal", "align": "right"},
    {"name": "open", "label": "Faturas abertas", "field": "open", "align": "right"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]
STATUS_SLOT = r"""
<q-td :props="props">
  <q-badge :color="{active: 'positive', suspended: 'warning', closed: 'grey-7'}[props.row.status_key]"
           :label="props.value" />
  <div v-if="props.row.status_note" class="text-xs text-grey-8" style="white-space: normal; max-width: 260px"
       :data-testid="'account-status-note-' + props.row.name">{{ props.row.status_note }}</div>
</q-td>
"""
ACTIONS_SLOT = r"""
<q-td :props="props" class="whitespace-nowrap">
  <template v-if="props.row.status_key !== 'closed'">
    <q-btn v-if="props.row.can_edit" dense flat size="sm" icon="edit" title="Editar"
           @click="$parent.$emit('edit', props.row)" />
    <q-btn v-if="props.row.can_suspend && props.row.status_key === 'active'" dense flat size="sm" icon="pause"
           title="Suspender" :data-testid="'suspend-' + props.row.name" @click="$parent.$emit('suspend', props.row)" />
    <q-btn v-if="props.row.can_suspend && props.row.status_key === 'suspended'" dense flat size="sm" icon="play_arrow"
           title="Reativar" :data-testid="'reactivate-' + props.row.name"
           @click="$parent.$emit('reactivate', props.row)" />
    <q-btn v-if="props.row.can_edit" dense flat size="sm" icon="lock" title="Encerrar"
           @click="$parent.$emit('close', props.row)" />
    <q-btn v-if="props.row.can_write_off && props.row.status_key === 'suspended' && props.row.open > 0" dense flat
           size="sm" icon="money_off" title="Marcar faturas vencidas como incobráveis"
           :data-testid="'write-off-' + props.row.name" @click="$parent.$emit('writeoff', props.row)" />
  </template>
  <q-btn v-if="props.row.can_delete" dense flat size="sm" icon="delete" color="negative" title="Excluir"
         :data-testid="'delete-' + props.row.name" @click="$parent.$emit('delete', props.row)" />
</q-td>
"""


async def build(actor: Actor, customer: Customer) -> None:
    views = await run.io_bound(queries.accounts, actor, customer.id)
    by_id = {str(v.id): v for v in views}
    if actor.can(Permission.BILLING_ACCOUNTS_CREATE):
        ui.button("Nova conta", icon="add", on_click=lambda: account_dialog(actor, customer, None)).props(
            "color=primary dense data-testid=new-account"
        )
    table = ui.table(columns=COLUMNS, rows=[_row(actor, v) for v in views], row_key="id").classes("w-full")
    table.props("data-testid=accounts-table")
    table.add_slot("body-cell-status", STATUS_SLOT)
    table.add_slot("body-cell-actions", ACTIONS_SLOT)
    table.on("edit", lambda e: account_dialog(actor, customer, by_id[e.args["id"]]))
    table.on("suspend", lambda e: _suspend(actor, customer, by_id[e.args["id"]]))
    table.on("reactivate", lambda e: _reactivate(actor, customer, by_id[e.args["id"]]))
    table.on("close", lambda e: _close(actor, customer, by_id[e.args["id"]]))
    table.on("delete", lambda e: _delete(actor, customer, by_id[e.args["id"]]))
    table.on("writeoff", lambda e: _write_off(actor, customer, by_id[e.args["id"]]))
    if not views:
        ui.label("Nenhuma conta de faturamento. Crie a primeira em “Nova conta”.").classes("text-sm text-slate-500")


def _row(actor: Actor, v: AccountView) -> dict[str, Any]:
    terms = f"{PAYMENT_METHOD_LABELS.get(v.payment_method, v.payment_method)} · {v.payment_terms_days} dias"
    note = ""
    if v.status == "suspended":
        note = f"desde {day(v.suspended_at)}: {v.suspension_reason or ''}"
    elif v.status == "closed":
        note = f"em {day(v.closed_at)}"
    withheld = [
        t
        for t, on in (
            ("ISS", v.withhold_iss),
            ("IR", v.withhold_ir),
            ("CSRF", v.withhold_csrf),
            ("INSS", v.withhold_inss),
        )
        if on
    ]
    return {
        "id": str(v.id),
        "name": v.name,
        "email": v.email or "—",
        "status": STATUS_LABELS.get(v.status, v.status),
        "status_key": v.status,
        "status_note": note,
        "payment": terms + (" · débito automático" if v.auto_collection else ""),
        "tax": TAX_TYPE_LABELS.get(v.customer_tax_type, v.customer_tax_type)
        + (f" · retém {', '.join(withheld)}" if withheld else ""),
        "balance": money(v.balance_cents, v.currency),
        "negative": money(v.allowed_negative_balance_cents, v.currency),
        "mrr": money(v.mrr_amount_cents, v.currency),
        "portal": v.portal_users,
        "open": v.open_invoices,
        "can_edit": actor.can(Permission.BILLING_ACCOUNTS_UPDATE),
        "can_suspend": actor.can(Permission.BILLING_ACCOUNTS_SUSPEND),
        "can_delete": actor.can(Permission.BILLING_ACCOUNTS_DELETE),
        "can_write_off": actor.can(Permission.INVOICES_WRITE_OFF),
    }


def _suspend(actor: Actor, customer: Customer, v: AccountView) -> None:
    _ask(actor, customer, accounts.suspend_billing_account, v, "Suspender", "Conta suspensa.",
         detail="Uma conta suspensa não recebe novas faturas até ser reativada.")  # fmt: skip


def _reactivate(actor: Actor, customer: Customer, v: AccountView) -> None:
    _ask(actor, customer, accounts.reactivate_billing_account, v, "Reativar", "Conta reativada.",
         detail=f"Suspensa desde {day(v.suspended_at)}: {v.suspension_reason or ''}")  # fmt: skip


def _close(actor: Actor, customer: Customer, v: AccountView) -> None:
    _ask(actor, customer, accounts.close_billing_account, v, "Encerrar", "Conta encerrada.", danger=True,
         detail="O encerramento é definitivo.")  # fmt: skip


def _delete(actor: Actor, customer: Customer, v: AccountView) -> None:
    _ask(actor, customer, accounts.delete_billing_account, v, "Excluir", "Conta excluída.", danger=True,
         detail="Contas com faturas em aberto ou assinaturas ativas não podem ser excluídas.")  # fmt: skip


def _write_off(actor: Actor, customer: Customer, v: AccountView) -> None:
    from domain.dunning.services import write_off_overdue_invoices

    reason_dialog(
        f"Marcar as faturas vencidas de “{v.name}” como incobráveis", "Marcar incobráveis",
        lambda reason: write_off_overdue_invoices(SqlUnitOfWork(actor), account_id=v.id, reason=reason),
        success="Faturas vencidas marcadas como incobráveis.", then=f"/clientes/{customer.id}?tab=contas",
        detail="Todas as faturas em aberto já vencidas desta conta serão baixadas como incobráveis.", danger=True,
    )  # fmt: skip


def _ask(
    actor: Actor, customer: Customer, use_case: Callable[..., Any], v: AccountView, verb: str, success: str, *,
    detail: str, danger: bool = False,
) -> None:  # fmt: skip
    """The reason dialog of an account action; on success the tab reloads, a refusal stays in the dialog."""
    reason_dialog(
        f"{verb} a conta “{v.name}”", verb,
        lambda reason: use_case(SqlUnitOfWork(actor), account_id=v.id, reason=reason),
        success=success, then=f"/clientes/{customer.id}?tab=contas", detail=detail, danger=danger,
    )  # fmt: skip
