"""Bulk actions over the whole selection of a segment (not only the page on screen): tag, untag, suspend accounts,
export, LGPD export. The operator sees a preview ("this will change 12,430 customers"), confirms it, and a background
job applies the action in batches, each batch one transaction with one audit event per changed row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.access.permissions import Permission
from domain.background_jobs.model import BackgroundJob
from domain.background_jobs.services import new_job
from domain.customers.errors import clean_reason, require_reason
from domain.errors import ValidationFailed
from domain.segments.errors import EmptySelection, SelectionChanged
from domain.segments.ports import SegmentsUnitOfWork
from domain.segments.services import check_columns, check_sort
from domain.segments.tree import validate_tree

BULK_JOB_KIND = "segment_bulk"
BATCH_SIZE = 1000
P = Permission


class BulkAction(StrEnum):
    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"
    SUSPEND_ACCOUNTS = "suspend_accounts"
    EXPORT_CSV = "export_csv"
    EXPORT_XLSX = "export_xlsx"
    LGPD_EXPORT = "lgpd_export"


@dataclass(frozen=True)
class BulkSpec:
    label: str
    permissions: tuple[Permission, ...]
    unit: str  # what the preview counts, pt-BR plural
    verb: str  # "this will <verb> N <unit>"
    audit_action: str | None = None  # None: reads only (exports)


BULK_SPECS: dict[BulkAction, BulkSpec] = {
    BulkAction.ADD_TAG: BulkSpec("Adicionar etiqueta", (P.BULK_ACTIONS_RUN, P.CUSTOMERS_WRITE), "clientes",
                                 "alterar", "customer.tag_added"),
    BulkAction.REMOVE_TAG: BulkSpec("Remover etiqueta", (P.BULK_ACTIONS_RUN, P.CUSTOMERS_WRITE), "clientes",
                                    "alterar", "customer.tag_removed"),
    BulkAction.SUSPEND_ACCOUNTS: BulkSpec("Suspender contas", (P.BULK_ACTIONS_RUN, P.BILLING_ACCOUNTS_SUSPEND),
                                          "contas de faturamento", "suspender", "billing_account.suspended"),
    BulkAction.EXPORT_CSV: BulkSpec("Exportar CSV", (P.EXPORTS_RUN,), "clientes", "exportar"),
    BulkAction.EXPORT_XLSX: BulkSpec("Exportar Excel", (P.EXPORTS_RUN,), "clientes", "exportar"),
    BulkAction.LGPD_EXPORT: BulkSpec("Exportação LGPD", (P.BULK_ACTIONS_RUN, P.LGPD_EXPORT), "clientes",
                                     "exportar (LGPD)"),
}  # fmt: skip
EXPORTS = (BulkAction.EXPORT_CSV, BulkAction.EXPORT_XLSX)


@dataclass(frozen=True)
class BulkPreview:
    action: BulkAction
    rows: int

    @property
    def spec(self) -> BulkSpec:
        return BULK_SPECS[self.action]


def check_bulk_params(action: BulkAction | str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The action's parameters, normalized as the registry keeps the same data (tags, reasons)."""
    action, params = BulkAction(action), dict(params or {})
    if action in (BulkAction.ADD_TAG, BulkAction.REMOVE_TAG):
        tag = " ".join(str(params.get("tag") or "").split()).lower()
        if not tag:
            raise ValidationFailed("Informe a etiqueta.", field="tag")
        if len(tag) > 40:
            raise ValidationFailed("A etiqueta tem no máximo 40 caracteres.", field="tag")
        return {"tag": tag}
    if action is BulkAction.SUSPEND_ACCOUNTS:
        return {"reason": require_reason(params.get("reason"), "suspender as contas")}
    if action in EXPORTS:
        return {"columns": check_columns(params.get("columns")), "sort": check_sort(params.get("sort"))}
    return {}


def preview_bulk_action(
    uow: SegmentsUnitOfWork, *, action: BulkAction | str, tree: dict[str, Any], params: dict[str, Any] | None
) -> BulkPreview:
    """How many rows the action would change now; nothing changes."""
    with uow:
        action = BulkAction(action)
        _require(uow, action)
        tree, params = validate_tree(tree), check_bulk_params(action, params)
        return BulkPreview(action, uow.segment_selection.count_for(tree, action.value, params))


def request_bulk_action(
    uow: SegmentsUnitOfWork, *, action: BulkAction | str, tree: dict[str, Any], params: dict[str, Any] | None,
    expected: int,
) -> BackgroundJob:  # fmt: skip
    """Start a bulk action after the operator confirmed its preview of `expected` rows; refused when the selection
    changed meanwhile (the operator must see what they confirm)."""
    with uow:
        action = BulkAction(action)
        _require(uow, action)
        tree, params = validate_tree(tree), check_bulk_params(action, params)
        rows = uow.segment_selection.count_for(tree, action.value, params)
        if rows == 0:
            raise EmptySelection()
        if rows != expected:
            raise SelectionChanged(expected, rows)
        job = new_job(uow, kind=BULK_JOB_KIND, total=rows,
                      params={"action": action.value, "tree": tree, "params": params})  # fmt: skip
        uow.flush()
        uow.record_event(action="segment.bulk_requested", entity_type="background_job", entity_id=job.id,
                         changes={"action": [None, action.value], "rows": [None, rows], "tree": [None, tree]},
                         reason=clean_reason(params.get("reason")))  # fmt: skip
        uow.commit()
        return job


def run_bulk_batch(
    uow: SegmentsUnitOfWork, *, job_id: uuid.UUID, after_id: uuid.UUID | None
) -> tuple[int, uuid.UUID | None]:
    """Apply one batch of a requested bulk change in its own transaction. Returns (rows changed, where to go on
    from, or None when the selection is exhausted). Re-running a batch changes nothing twice."""
    with uow:
        job = uow.background_jobs.get(job_id)
        action = BulkAction(job.params["action"])
        _require(uow, action)  # permissions are the requester's, checked again at run time
        spec = BULK_SPECS[action]
        uow.describe(spec.audit_action or f"segment.{action.value}", reason=job.params["params"].get("reason"))
        changed, last = uow.segment_selection.apply_batch(
            job.params["tree"], action.value, job.params["params"], after_id=after_id, size=BATCH_SIZE
        )
        uow.commit()
        return changed, last


def _require(uow: SegmentsUnitOfWork, action: BulkAction) -> None:
    for permission in BULK_SPECS[action].permissions:
        uow.actor.require(permission)
