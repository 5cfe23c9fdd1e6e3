"""The merge plan: what moves from the source customer to the target, which of the target's fields are kept or
filled from the source, and what forbids the merge. PREVIEW returns it; MOVE_ALL executes exactly it.

Rules (Kontorion's merge, with a Brazilian finance operator's common sense):
- The target's identity stays: name, document, status, currency, terms. Empty fields of the target are filled from
  the source (legal name, external id, e-invoice data); lists (e-mails, phones, addresses, tags) and free data
  (custom data, metadata, custom fields, tax ids) are united, the target winning on a key present in both.
- Billing accounts, invoices, subscriptions, payment methods and portal users move to the target. Statement items and
  payments are the append-only ledger: their rows are never rewritten; they stay on their billing account, which
  moves, so every balance moves whole. Issued invoices keep their fiscal content (number, amounts, the customer
  snapshot printed on them); only the link to the customer changes.
- Conflicts: two different taxpayers (CPF and CNPJ), anonymized data (LGPD), a target that no longer exists,
  overlapping active subscriptions on the same plan.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.customers.model import Customer
from domain.documents.tax_ids import DocumentType

MOVE_LABELS = {
    "billing_account": "Contas de faturamento", "invoice": "Faturas", "subscription": "Assinaturas",
    "payment_method": "Formas de pagamento", "portal_user": "Usuários do portal",
    "statement_item": "Lançamentos de extrato", "payment": "Pagamentos",
}  # fmt: skip
FOLLOWS_ACCOUNT = ("statement_item", "payment")  # append-only ledger: rows unchanged, they move with the account


@dataclass(frozen=True)
class AccountLine:
    id: uuid.UUID
    name: str
    status: str
    currency: str
    balance_cents: int
    mrr_cents: int
    payment_method: str
    is_live: bool


@dataclass(frozen=True)
class MergeInventory:
    """What storage found for the pair (persistence/repositories/merges.py), with a digest of every row involved."""

    source_accounts: list[AccountLine]
    target_accounts: list[AccountLine]
    counts: dict[str, int]  # rows of the source per table that exists (billing_account, invoice, ...)
    invoice_statuses: dict[str, int]  # the source's invoices by status
    portal_users: list[str]  # the source's portal users (e-mails)
    subscription_overlaps: list[str]  # plan names with overlapping active subscriptions on both sides
    digest: str


@dataclass(frozen=True)
class FieldDecision:
    field: str
    label: str
    target: Any
    source: Any
    decision: str  # kept | filled | merged | same
    result: Any


@dataclass(frozen=True)
class MoveGroup:
    kind: str
    label: str
    count: int
    rewritten: bool  # False: ledger rows that follow their account unchanged


@dataclass(frozen=True)
class MergePlan:
    source_id: uuid.UUID
    target_id: uuid.UUID
    source_name: str
    target_name: str
    moves: list[MoveGroup]
    source_accounts: list[AccountLine]
    target_accounts: list[AccountLine]
    invoice_statuses: dict[str, int]
    portal_users: list[str]
    fields: list[FieldDecision]
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def can_execute(self) -> bool:
        return not self.conflicts

    def changed_fields(self) -> dict[str, Any]:
        return {d.field: d.result for d in self.fields if d.decision in ("filled", "merged")}

    def moved_counts(self) -> dict[str, list[Any]]:
        """Audit-ready {"invoice": [None, 10000], ...} (the audit trail's before/after shape)."""
        return {m.kind: [None, m.count] for m in self.moves if m.count}


def build_plan(source: Customer, target: Customer, inventory: MergeInventory) -> MergePlan:
    moves = [MoveGroup(kind, MOVE_LABELS[kind], count, kind not in FOLLOWS_ACCOUNT)
             for kind, count in inventory.counts.items() if kind in MOVE_LABELS]  # fmt: skip
    return MergePlan(
        source_id=source.id, target_id=target.id, source_name=source.name, target_name=target.name, moves=moves,
        source_accounts=inventory.source_accounts, target_accounts=inventory.target_accounts,
        invoice_statuses=inventory.invoice_statuses, portal_users=inventory.portal_users,
        fields=decide_fields(source, target), conflicts=conflicts(source, target, inventory),
        warnings=warnings(source, target), fingerprint=inventory.digest,
    )  # fmt: skip


def decide_fields(source: Customer, target: Customer) -> list[FieldDecision]:
    decisions: list[FieldDecision] = []
    for name, label in _KEPT:
        s, t = getattr(source, name), getattr(target, name)
        if s != t:
            decisions.append(FieldDecision(name, label, _plain(t), _plain(s), "kept", _plain(t)))
    for name, label in _FILLED:
        s, t = getattr(source, name), getattr(target, name)
        if s in (None, "") or s == t:
            continue
        filled = t in (None, "")
        decisions.append(FieldDecision(name, label, t, s, "filled" if filled else "kept", s if filled else t))
    for name, label, key in _LISTS:
        s, t = list(getattr(source, name) or []), list(getattr(target, name) or [])
        united = t + [item for item in s if key(item) not in {key(x) for x in t}]
        if s:
            decisions.append(FieldDecision(name, label, t, s, "merged" if united != t else "same", united))
    for name, label in _DICTS:
        s, t = dict(getattr(source, name) or {}), dict(getattr(target, name) or {})
        united = {**s, **t}  # the target wins on a key both have
        if s:
            decisions.append(FieldDecision(name, label, t, s, "merged" if united != t else "same", united))
    return decisions


def conflicts(source: Customer, target: Customer, inventory: MergeInventory) -> list[str]:
    found = []
    if not target.is_live:
        found.append(f"o cliente de destino “{target.name}” já foi excluído ou mesclado")
    taxpayers = {source.document_type, target.document_type}
    if taxpayers == {DocumentType.CPF.value, DocumentType.CNPJ.value}:
        found.append("origem e destino são contribuintes diferentes (um CPF e um CNPJ)")
    if source.anonymized_at is not None or target.anonymized_at is not None:
        found.append("um dos clientes teve os dados anonimizados (LGPD)")
    for plan in inventory.subscription_overlaps:
        found.append(f"assinaturas ativas sobrepostas no mesmo plano ({plan})")
    return found


def warnings(source: Customer, target: Customer) -> list[str]:
    found = []
    if source.document_type == target.document_type and source.document_number != target.document_number:
        same_root = (source.document_type == DocumentType.CNPJ.value
                     and source.document_number[:8] == target.document_number[:8])  # fmt: skip
        lead = "A origem é outra filial do mesmo CNPJ" if same_root else "Os documentos são diferentes"
        found.append(f"{lead} ({source.document_masked}); o documento do destino ({target.document_masked}) é mantido.")
    if source.external_id and target.external_id and source.external_id != target.external_id:
        found.append(f"O ID externo da origem ({source.external_id}) deixará de apontar para um cliente ativo.")
    return found


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


def _email_key(entry: dict[str, Any]) -> str:
    return str(entry.get("address", "")).lower()


def _phone_key(entry: dict[str, Any]) -> str:
    return "".join(ch for ch in str(entry.get("number", "")) if ch.isdigit())


def _address_key(entry: dict[str, Any]) -> tuple:
    return (entry.get("cep"), str(entry.get("number", "")).strip().lower(), entry.get("complement") or "")


def _same(value: Any) -> Any:
    return value


_KEPT = (("name", "Nome"), ("document_masked", "Documento"), ("status", "Situação"),
         ("customer_type", "Tipo de cliente"), ("preferred_currency", "Moeda"),
         ("payment_terms_days", "Prazo de pagamento"), ("billing_model", "Modelo de cobrança"))  # fmt: skip
_FILLED = (("legal_name", "Razão social"), ("external_id", "ID externo"), ("peppol_id", "Peppol ID"),
           ("einvoice_email", "E-mail para nota eletrônica"), ("wallet_mode", "Modo da carteira"))  # fmt: skip
_LISTS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("emails", "E-mails", _email_key), ("phones", "Telefones", _phone_key),
    ("addresses", "Endereços", _address_key), ("tags", "Etiquetas", _same),
)  # fmt: skip
_DICTS = (("custom_data", "Dados personalizados"), ("extra_metadata", "Metadados"),
          ("custom_fields", "Campos personalizados"), ("tax_identifiers", "Identificadores fiscais"))  # fmt: skip
