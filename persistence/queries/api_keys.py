"""Configurações › Chaves de API: the organization's keys (never their secrets), newest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from domain.access.permissions import Actor, Permission
from domain.api_keys.model import ApiKey
from persistence.queries.common import read_session


@dataclass(frozen=True)
class ApiKeyRow:
    id: uuid.UUID
    name: str
    prefix: str
    role_name: str
    role_label: str
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def list_api_keys(actor: Actor) -> list[ApiKeyRow]:
    with read_session(actor, Permission.API_KEYS_ADMIN) as session:
        keys = session.scalars(select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id)).unique()
        return [
            ApiKeyRow(
                k.id,
                k.name,
                k.prefix,
                k.role.name,
                k.role.label,
                k.created_by,
                k.created_at,
                k.last_used_at,
                k.revoked_at,
            )
            for k in keys
        ]
