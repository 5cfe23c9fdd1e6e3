"""Repositories: the select() code use cases need, one module per area, reached through the unit of work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.repositories.access import OperatorRepository, OrganizationRepository, RoleRepository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class Repositories:
    """Mixed into SqlUnitOfWork: `uow.operators`, `uow.roles`, ... each bound to the unit's session."""

    session: Session

    @property
    def organizations(self) -> OrganizationRepository:
        return OrganizationRepository(self.session)

    @property
    def operators(self) -> OperatorRepository:
        return OperatorRepository(self.session)

    @property
    def roles(self) -> RoleRepository:
        return RoleRepository(self.session)
