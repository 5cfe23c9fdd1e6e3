"""Operators and roles as the Configurações screen lists them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from domain.access.model import Operator, Role
from domain.access.permissions import Actor, Permission
from domain.organizations.model import Organization
from persistence.queries.common import read_session


@dataclass(frozen=True)
class OperatorRow:
    id: uuid.UUID
    name: str
    email: str
    role_name: str
    role_label: str
    is_active: bool
    totp_enabled: bool
    failed_login_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None


@dataclass(frozen=True)
class RoleRow:
    id: uuid.UUID
    name: str
    label: str
    permissions: list[str]
    is_builtin: bool


def list_operators(actor: Actor) -> list[OperatorRow]:
    with read_session(actor, Permission.OPERATORS_ADMIN) as session:
        operators = session.scalars(select(Operator).order_by(Operator.name)).unique()
        return [_operator_row(o) for o in operators]


def list_roles(actor: Actor) -> list[RoleRow]:
    with read_session(actor) as session:
        roles = session.scalars(select(Role).order_by(Role.is_builtin.desc(), Role.label))
        return [RoleRow(r.id, r.name, r.label, list(r.permissions), r.is_builtin) for r in roles]


def my_operator(actor: Actor) -> OperatorRow | None:
    """Every operator may see their own sign-in data (Minha conta)."""
    with read_session(actor) as session:
        operator = session.scalars(select(Operator).where(Operator.id == actor.id)).unique().one_or_none()
        return None if operator is None else _operator_row(operator)


def _operator_row(o: Operator) -> OperatorRow:
    return OperatorRow(o.id, o.name, o.email, o.role.name, o.role.label, o.is_active, o.totp_enabled,
                       o.failed_login_attempts, o.locked_until, o.last_login_at)  # fmt: skip


def current_organization(actor: Actor) -> Organization:
    with read_session(actor) as session:
        org = session.get(Organization, actor.organization_id)
        if org is None:
            raise LookupError("organization")
        return org
