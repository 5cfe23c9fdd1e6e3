"""The merge plan side by side: the source (to be merged and removed) and the target (kept), what moves from one to
the other, each field's decision, and what forbids or deserves attention."""

from __future__ import annotations

import uuid
from typing import Any

from nicegui import ui

from domain.billing_accounts.model import PAYMENT_METHOD_LABELS, PaymentMethod
from domain.invoices.model import STATUSES, InvoiceStatus
from domain.merges.plan import AccountLine, MergePlan
from persistence.queries.customers import CustomerRow
from ui.components.formats import money, number

DECISIONS = {"kept": ("mantido do destino", "blue-grey-6"), "filled": ("preenchido da origem", "positive"),
             "merged": ("unido", "primary"), "same": ("igual", "grey-7")}  # fmt: skip
DECISION_SLOT = r"""
<q-td :props="props"><q-badge :color="props.row.color" :label="props.value" /></q-td>
"""


def render_plan(plan: MergePlan, cards: dict[uuid.UUID, CustomerRow]) -> None:
    with ui.row().classes("w-full no-wrap gap-4 items-start").props("data-testid=merge-preview"):
        _side("Origem — será mesclada e excluída", cards.get(plan.source_id), plan.source_accounts, "orange-1",
              "merge-source")  # fmt: skip
        ui.icon("arrow_forward", size="lg").classes("self-center text-slate-400")
        _side("Destino — permanece", cards.get(plan.target_id), plan.target_accounts, "green-1", "merge-target")
    if plan.conflicts:
        with ui.card().classes("w-full bg-red-1").props("flat bordered data-testid=merge-conflicts"):
            ui.label("Conflitos — a mesclagem não pode ser executada").classes("font-semibold text-negative")
            for conflict in plan.conflicts:
                ui.label(f"• {conflict}").classes("text-sm")
    if plan.warnings:
        with ui.card().classes("w-full bg-amber-1").props("flat bordered data-testid=merge-warnings"):
            for warning in plan.warnings:
                ui.label(warning).classes("text-sm")
    with ui.column().classes("w-full gap-1"):
        ui.label("O que passa para o destino").classes("font-semibold")
        with ui.row().classes("gap-x-6 gap-y-0"):
            for move in plan.moves:
                ui.label(f"{move.label}: {number(move.count)}").classes("text-sm").props(
                    f"data-testid=move-{move.kind}"
                ).tooltip("Movidos para o destino" if move.rewritten else
                          "Seguem a conta, que passa ao destino; os lançamentos não são reescritos")  # fmt: skip
        with ui.column().classes("gap-0"):
            if any(not m.rewritten and m.count for m in plan.moves):
                ui.label(
                    "Lançamentos de extrato e pagamentos seguem suas contas: o livro-razão não é reescrito."
                ).classes("text-xs text-slate-500")
            if plan.invoice_statuses:
                statuses = ", ".join(f"{STATUSES[InvoiceStatus(s)].label.lower()}: {number(n)}"
                                     for s, n in sorted(plan.invoice_statuses.items()))  # fmt: skip
                ui.label(f"Faturas por situação — {statuses}. Número, valores e dados impressos não mudam.").classes(
                    "text-xs text-slate-500 max-w-md"
                )
            if plan.portal_users:
                ui.label("Usuários do portal: " + ", ".join(plan.portal_users)).classes("text-xs text-slate-500")
    ui.label("Campos do cliente de destino").classes("font-semibold")
    rows = [_field_row(f) for f in plan.fields]
    table = ui.table(columns=FIELD_COLUMNS, rows=rows, row_key="field").classes("w-full")
    table.props("hide-bottom wrap-cells data-testid=merge-fields")
    table.add_slot("body-cell-decision", DECISION_SLOT)


FIELD_COLUMNS = [
    {"name": "label", "label": "Campo", "field": "label", "align": "left"},
    {"name": "target", "label": "Destino", "field": "target", "align": "left"},
    {"name": "source", "label": "Origem", "field": "source", "align": "left"},
    {"name": "result", "label": "Fica", "field": "result", "align": "left"},
    {"name": "decision", "label": "Decisão", "field": "decision", "align": "left"},
]


def _side(title: str, card: CustomerRow | None, accounts: list[AccountLine], color: str, testid: str) -> None:
    with ui.card().classes(f"w-1/2 bg-{color}").props(f"flat bordered data-testid={testid}"):
        ui.label(title).classes("text-xs uppercase text-slate-500")
        if card is None:
            ui.label("—")
            return
        ui.label(card.name).classes("text-lg font-semibold")
        ui.label(f"{card.document} · {card.email or 'sem e-mail'} · {card.city or '—'}/{card.uf or '—'}").classes(
            "text-sm text-slate-600"
        )
        ui.label(f"Saldo {money(card.balance_cents, card.currency)} · MRR {money(card.mrr_cents, card.currency)}"
                 ).classes("text-sm")  # fmt: skip
        for account in accounts:
            state = "" if account.is_live else " (excluída)"
            method = PAYMENT_METHOD_LABELS.get(PaymentMethod(account.payment_method), account.payment_method)
            ui.label(f"Conta “{account.name}”{state}: saldo {money(account.balance_cents, account.currency)} · "
                     f"{method}").classes("text-xs text-slate-600")  # fmt: skip


def _field_row(decision: Any) -> dict[str, str]:
    label, color = DECISIONS[decision.decision]
    return {"field": decision.field, "label": decision.label, "target": _show(decision.target),
            "source": _show(decision.source), "result": _show(decision.result), "decision": label,
            "color": color}  # fmt: skip


def _show(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list):
        return ", ".join(_entry(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _entry(value: Any) -> str:
    if isinstance(value, dict):  # a typed contact: its address, number or city
        return str(value.get("address") or value.get("number") or value.get("city") or value.get("cep") or value)
    return str(value)
