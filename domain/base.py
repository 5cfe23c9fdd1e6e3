"""Declarative base shared by every entity, with the conventions migrations and both databases rely on."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import uuid_utils
from sqlalchemy import JSON, DateTime, Enum, ForeignKey, MetaData, Numeric, String, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Named constraints let SQLite batch migrations alter tables and keep Alembic autogenerate stable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """UUIDv7: time-ordered, so primary-key indexes stay append-mostly."""
    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSONB on PostgreSQL: indexable (GIN) and compared by value; plain JSON text on SQLite.
JSON_DOCUMENT = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        enum.Enum: Enum(enum.Enum, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e]),
        datetime: UtcDateTime(),
        Decimal: Numeric(18, 6),
        dict[str, Any]: JSON_DOCUMENT,
        list[Any]: JSON_DOCUMENT,
        list[str]: JSON_DOCUMENT,
        str: String(255),
    }


class TenantScoped:
    """A row that belongs to one organization. Persistence filters every query by it (see persistence/tenancy.py)."""

    # A table whose own composite indexes all start with organization_id sets this False: one index fewer to keep.
    __tenant_index__ = True

    @declared_attr
    def organization_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805
        return mapped_column(ForeignKey("organization.id"), index=cls.__tenant_index__)


class Audited:
    """Changes to these rows are recorded as audit events in the same transaction (see persistence/audit.py).

    `__audit_exclude__` names columns whose values never go into the audit trail (secrets, hashes)."""

    __audit_exclude__: frozenset[str] = frozenset()


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
