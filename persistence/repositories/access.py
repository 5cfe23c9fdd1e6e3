"""Organizations, operators and roles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access.model import Operator, Role
from domain.errors import NotFound
from domain.organizations.model import NumberSeries, Organization


@dataclass
class OrganizationRepository:
    session: Session

    def current(self) -> Organization:
        org_id = self.session.info.get("organization_id")
        org = self.session.get(Organization, org_id) if org_id else None
        if org is None:
            raise NotFound("Organização", org_id)
        return org

    def find_by_slug(self, slug: str) -> Organization | None:
        return self.session.scalars(select(Organization).where(Organization.slug == slug)).one_or_none()

    def get_by_slug(self, slug: str) -> Organization:
        org = self.find_by_slug(slug)
        if org is None:
            raise NotFound("Organização", slug)
        return org

    def series(self, key: str, *, for_update: bool = False) -> NumberSeries | None:
        statement = select(NumberSeries).where(NumberSeries.key == key)
        if for_update:
            statement = statement.with_for_update()
        return self.session.scalars(statement).one_or_none()


@dataclass
class OperatorRepository:
    session: Session

    def find_by_email(self, email: str) -> Operator | None:
        statement = select(Operator).where(func.lower(Operator.email) == email.strip().lower())
        return self.session.scalars(statement).unique().one_or_none()

    def email_taken(self, email: str, *, except_id: uuid.UUID | None = None) -> bool:
        # Operator e-mails are global (they are logins), so this check deliberately looks across organizations.
        statement = select(Operator.id).where(func.lower(Operator.email) == email.strip().lower())
        found = self.session.execute(statement.execution_options(skip_tenant_scope=True)).scalar_one_or_none()
        return found is not None and found != except_id

    def list(self) -> list[Operator]:
        return list(self.session.scalars(select(Operator).order_by(Operator.name)).unique())


@dataclass
class RoleRepository:
    session: Session

    def find_by_name(self, name: str) -> Role | None:
        return self.session.scalars(select(Role).where(Role.name == name)).one_or_none()

    def list(self) -> list[Role]:
        return list(self.session.scalars(select(Role).order_by(Role.is_builtin.desc(), Role.label)))
