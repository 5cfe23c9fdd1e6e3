"""POST /customers/merge (Kontorion's contract): PREVIEW returns the plan, MOVE_ALL executes it.

200 with the plan or the result; 409 MERGE_CONFLICT; 422 MERGE_SELF / MERGE_SOURCE_DELETED.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.schemas.others import MergeIn, MergeOut
from domain.access.permissions import Actor
from domain.merges import services
from domain.merges.plan import MergePlan
from persistence.unit_of_work import SqlUnitOfWork

router = APIRouter(tags=["merges"], responses=COMMON_RESPONSES)


@router.post("/customers/merge", response_model=MergeOut, summary="Mesclar clientes duplicados")
def merge(body: MergeIn, actor: Actor = Depends(current_actor)) -> MergeOut:
    """MERGES_RUN. Run PREVIEW first; MOVE_ALL with the preview's `fingerprint` refuses if anything changed since."""
    source, target = body.source_customer_id, body.target_customer_id

    def preview() -> MergePlan:
        return services.preview_merge(SqlUnitOfWork(actor), source_id=source, target_id=target)

    if body.strategy == "PREVIEW":
        return _out(preview(), "PREVIEW", executed=False)
    # MOVE_ALL without a fingerprint executes the current plan; with one, no preview is built before the merge.
    plan = services.merge_customers(
        SqlUnitOfWork(actor),
        source_id=source,
        target_id=target,
        fingerprint=body.fingerprint or preview().fingerprint,
        reason=body.reason,
    )
    return _out(plan, "MOVE_ALL", executed=True)


def _out(plan: MergePlan, strategy: str, *, executed: bool) -> MergeOut:
    return MergeOut(
        strategy=strategy,
        executed=executed,
        source_customer_id=plan.source_id,
        target_customer_id=plan.target_id,
        moves={m.kind: m.count for m in plan.moves},
        fields=[_jsonable(asdict(f)) for f in plan.fields],
        conflicts=plan.conflicts,
        warnings=plan.warnings,
        fingerprint=plan.fingerprint,
    )


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(getattr(value, "value", value))
