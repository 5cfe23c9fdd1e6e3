"""Use cases of API keys: an admin creates one (the secret is returned once) and revokes it; both are audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.access.errors import UnknownRole
from domain.access.permissions import Permission
from domain.api_keys.errors import ApiKeyRevoked
from domain.api_keys.model import ApiKey, generate_key, hash_secret, prefix_of
from domain.api_keys.ports import ApiKeysUnitOfWork
from domain.errors import ValidationFailed

MAX_NAME = 80


@dataclass(frozen=True)
class IssuedKey:
    """The only place the plain key exists: show it once, then forget it."""

    id: uuid.UUID
    name: str
    prefix: str
    role_name: str
    key: str


def create_api_key(uow: ApiKeysUnitOfWork, *, name: str, role_name: str) -> IssuedKey:
    """An admin issues a key for an integration, acting with the permissions of one of the organization's roles."""
    with uow:
        uow.actor.require(Permission.API_KEYS_ADMIN)
        uow.describe("api_key.created")
        name = " ".join((name or "").split())
        if not name:
            raise ValidationFailed("Dê um nome à chave (ex.: ERP, integração do site).", field="name")
        if len(name) > MAX_NAME:
            raise ValidationFailed(f"O nome tem no máximo {MAX_NAME} caracteres.", field="name")
        role = uow.roles.find_by_name(role_name)
        if role is None:
            raise UnknownRole(role_name)
        key = generate_key()
        prefix = prefix_of(key)
        assert prefix is not None
        api_key = ApiKey(
            organization_id=uow.actor.organization_id, name=name, prefix=prefix, secret_hash=hash_secret(key),
            role_id=role.id, created_by=uow.actor.name,
        )  # fmt: skip
        uow.add(api_key)
        uow.commit()
        return IssuedKey(api_key.id, name, prefix, role.name, key)


def revoke_api_key(uow: ApiKeysUnitOfWork, *, api_key_id: uuid.UUID) -> None:
    """A revoked key stops working at once, for good; the row stays for the audit trail."""
    with uow:
        uow.actor.require(Permission.API_KEYS_ADMIN)
        uow.describe("api_key.revoked")
        api_key = uow.get(ApiKey, api_key_id, label="Chave de API", for_update=True)
        if not api_key.is_active:
            raise ApiKeyRevoked(api_key.name)
        api_key.revoke(by=uow.actor.name)
        uow.commit()
