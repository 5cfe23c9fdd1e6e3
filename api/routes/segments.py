"""/segments: the saved views an API key may open (built-in and shared ones), and running one."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.pagination import envelope, page_params
from api.schemas.others import SegmentCustomerOut, SegmentOut
from domain.access.permissions import Actor
from domain.segments.model import ViewDefinition
from persistence.queries import api_lists, saved_views
from persistence.queries.api_lists import PageRequest

router = APIRouter(prefix="/segments", tags=["segments"], responses=COMMON_RESPONSES)


@router.get("", response_model=list[SegmentOut], summary="Listar visões salvas")
def list_segments(actor: Actor = Depends(current_actor)) -> list[SegmentOut]:
    return [_out(view) for view in saved_views.list_views(actor)]


@router.get("/{view_id}", response_model=SegmentOut, summary="Obter visão salva")
def get_segment(view_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> SegmentOut:
    return _out(saved_views.open_view(actor, view_id))


@router.get("/{view_id}/customers", summary="Executar a visão: os clientes que ela seleciona")
def run_segment(
    request: Request,
    view_id: uuid.UUID,
    page: PageRequest = Depends(page_params),
    actor: Actor = Depends(current_actor),
) -> dict:
    """SEGMENTS_READ and CUSTOMERS_READ; the same selection as the Segmentos screen, paged by id."""
    view = saved_views.open_view(actor, view_id)
    result = api_lists.segment_customers(actor, view.tree, page)
    return envelope(request, page, result, [SegmentCustomerOut.model_validate(r) for r in result.rows])


def _out(view: ViewDefinition) -> SegmentOut:
    return SegmentOut(
        id=view.id,
        name=view.name,
        is_builtin=view.is_builtin,
        visibility=str(view.visibility),
        tree=view.tree,
        columns=view.columns,
        sort=view.sort,
    )
