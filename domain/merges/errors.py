"""Refusals of a customer merge, with the stable codes of the Kontorion merge endpoint (MERGE_SELF, ...)."""

from __future__ import annotations

from domain.errors import BillingError, Conflict


class MergeSelf(BillingError):
    code = "MERGE_SELF"
    http_status = 422

    def __init__(self) -> None:
        super().__init__("Origem e destino são o mesmo cliente: escolha dois clientes diferentes.", field="target")


class MergeSourceDeleted(BillingError):
    code = "MERGE_SOURCE_DELETED"
    http_status = 422

    def __init__(self, name: str, merged: bool) -> None:
        how = "mesclado em outro cliente" if merged else "excluído"
        super().__init__(f"O cliente de origem “{name}” já foi {how}: não há o que mesclar.", field="source")


class MergeConflict(Conflict):
    """Business rules that forbid this merge (overlapping subscriptions on one plan, two different taxpayers, ...).
    `conflicts` lists each one in pt-BR; the preview shows them before anyone tries MOVE_ALL."""

    code = "MERGE_CONFLICT"
    http_status = 409

    def __init__(self, conflicts: list[str]) -> None:
        super().__init__("A mesclagem tem conflitos: " + "; ".join(conflicts) + ".", conflicts=conflicts)
        self.conflicts = conflicts


class MergePreviewOutdated(Conflict):
    """MOVE_ALL executes exactly the previewed plan: when the data changed since, the operator previews again."""

    code = "MERGE_PREVIEW_OUTDATED"
    http_status = 409

    def __init__(self) -> None:
        super().__init__(
            "Os dados dos clientes mudaram desde a prévia. Gere a prévia de novo e confira antes de mesclar."
        )
