"""What API-key use cases need from storage."""

from __future__ import annotations

from typing import Protocol

from domain.access.model import Role
from domain.ports import UnitOfWork


class RoleLookup(Protocol):
    def find_by_name(self, name: str) -> Role | None: ...


class ApiKeysUnitOfWork(UnitOfWork, Protocol):
    roles: RoleLookup
