"""/portal-users: the people of a billing account's portal: invite, list, read, suspend, reactivate, disable."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.pagination import envelope, page_params
from api.schemas.others import PortalReasonIn, PortalUserInvite, PortalUserOut
from domain.access.permissions import Actor, Permission
from domain.base import utcnow
from domain.portal_users import services
from domain.portal_users.model import PortalUser
from persistence.queries import api_lists
from persistence.queries.api_lists import PageRequest
from persistence.unit_of_work import SqlUnitOfWork

router = APIRouter(prefix="/portal-users", tags=["portal-users"], responses=COMMON_RESPONSES)
Status = Literal["active", "pending_verification", "pending_invitation", "suspended", "disabled"]


@router.post("", status_code=201, response_model=PortalUserOut, summary="Convidar usuário do portal")
def invite(body: PortalUserInvite, actor: Actor = Depends(current_actor)) -> PortalUserOut:
    """PORTAL_USERS_MANAGE. The invitation link (single-use, 7 days) goes to the person by e-mail, never here."""
    link = services.invite_portal_user(
        SqlUnitOfWork(actor), billing_account_id=body.billing_account_id, email=body.email, name=body.name,
        now=utcnow(), magic_link=body.magic_link, password=body.password, sso=body.sso,
    )  # fmt: skip
    return _get(actor, link.portal_user_id)


@router.get("", summary="Listar usuários do portal")
def list_portal_users(
    request: Request,
    page: PageRequest = Depends(page_params),
    status: Status | None = Query(None, alias="filter[status]"),
    customer_id: uuid.UUID | None = Query(None, alias="filter[customer_id]"),
    billing_account_id: uuid.UUID | None = Query(None, alias="filter[billing_account_id]"),
    email: str | None = Query(None, alias="filter[email]", max_length=254),
    actor: Actor = Depends(current_actor),
) -> dict:
    conditions = api_lists.portal_user_conditions(
        status=status, customer_id=customer_id, billing_account_id=billing_account_id, email=email
    )
    result = api_lists.list_entities(actor, Permission.BILLING_ACCOUNTS_READ, PortalUser, conditions, page)
    return envelope(request, page, result, [PortalUserOut.model_validate(u) for u in result.rows])


@router.get("/{portal_user_id}", response_model=PortalUserOut, summary="Obter usuário do portal")
def get_portal_user(portal_user_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> PortalUserOut:
    return _get(actor, portal_user_id)


@router.post("/{portal_user_id}/suspend", response_model=PortalUserOut, summary="Suspender acesso")
def suspend(portal_user_id: uuid.UUID, body: PortalReasonIn, actor: Actor = Depends(current_actor)) -> PortalUserOut:
    services.suspend_portal_user(
        SqlUnitOfWork(actor), portal_user_id=portal_user_id, reason=body.reason or "", now=utcnow()
    )
    return _get(actor, portal_user_id)


@router.post("/{portal_user_id}/reactivate", response_model=PortalUserOut, summary="Reativar acesso")
def reactivate(portal_user_id: uuid.UUID, body: PortalReasonIn, actor: Actor = Depends(current_actor)) -> PortalUserOut:
    services.reactivate_portal_user(SqlUnitOfWork(actor), portal_user_id=portal_user_id, reason=body.reason)
    return _get(actor, portal_user_id)


@router.post("/{portal_user_id}/disable", response_model=PortalUserOut, summary="Desativar (definitivo)")
def disable(portal_user_id: uuid.UUID, body: PortalReasonIn, actor: Actor = Depends(current_actor)) -> PortalUserOut:
    services.disable_portal_user(
        SqlUnitOfWork(actor), portal_user_id=portal_user_id, reason=body.reason or "", now=utcnow()
    )
    return _get(actor, portal_user_id)


def _get(actor: Actor, portal_user_id: uuid.UUID) -> PortalUserOut:
    user = api_lists.get_entity(
        actor, Permission.BILLING_ACCOUNTS_READ, PortalUser, portal_user_id, "Usuário do portal"
    )
    return PortalUserOut.model_validate(user)
