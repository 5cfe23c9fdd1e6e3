"""The built-in views every organization has: high value, due soon, delinquent, by region.

Their ids are fixed (uuid5 of a key), so a link to one keeps working across releases. "A vencer" and
"Inadimplentes" read invoices when the invoices area is installed, and the customer's consolidated columns before.
"""

from __future__ import annotations

import uuid

from domain.segments.fields import invoices_available
from domain.segments.model import ViewDefinition, Visibility
from domain.segments.tree import TREE_VERSION

_NAMESPACE = uuid.UUID("6f0f8a52-7a3e-4c58-9d55-0c1f3b9e2a10")
HIGH_VALUE_MRR_CENTS = 100_000  # R$ 1.000,00 of monthly recurring revenue
DUE_SOON_DAYS = 7


def builtin_views() -> list[ViewDefinition]:
    with_invoices = invoices_available()
    due_soon = ({"field": "due_within_days", "cmp": "lte", "value": DUE_SOON_DAYS} if with_invoices
                else {"field": "open_invoices", "cmp": "gte", "value": 1})  # fmt: skip
    delinquent = ({"field": "overdue_invoices", "cmp": "gte", "value": 1} if with_invoices
                  else {"field": "balance", "cmp": "lt", "value": 0})  # fmt: skip
    return [
        _view("alto_valor", "Alto valor", [{"field": "mrr", "cmp": "gte", "value": HIGH_VALUE_MRR_CENTS}],
              ["name", "document", "mrr_cents", "balance_cents", "accounts_count", "status"], "mrr", True),
        _view("a_vencer", "A vencer", [due_soon],
              ["name", "document", "email", "open_invoices_count", "balance_cents", "status"], "name", False),
        _view("inadimplentes", "Inadimplentes", [delinquent],
              ["name", "document", "email", "balance_cents", "open_invoices_count", "status"], "balance", False),
        _view("por_regiao", "Por região", [{"field": "uf", "cmp": "is_set", "value": None}],
              ["name", "uf", "city", "mrr_cents", "balance_cents", "status"], "uf", False),
    ]  # fmt: skip


def find_builtin(view_id: uuid.UUID) -> ViewDefinition | None:
    return next((v for v in builtin_views() if v.id == view_id), None)


def _view(
    key: str, name: str, conditions: list[dict], columns: list[str], sort: str, descending: bool
) -> ViewDefinition:
    return ViewDefinition(
        id=uuid.uuid5(_NAMESPACE, key), name=name,
        tree={"version": TREE_VERSION, "op": "and", "children": conditions}, columns=columns,
        sort={"key": sort, "descending": descending}, visibility=Visibility.SHARED, owner_name="Fatura",
        is_builtin=True,
    )  # fmt: skip
