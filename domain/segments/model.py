"""SavedView: a named segment with its visible columns and sort, private to its owner or shared with the team.

Built-in views (domain/segments/builtins.py) are defined in code, not stored: every organization has them, nobody
edits them, and a newer release improves them for everyone. Stored views keep the versioned filter tree as JSON and
are validated again on every read (domain/segments/tree.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.customers.model import Customer


class Visibility(StrEnum):
    PRIVATE = "private"
    SHARED = "shared"


VISIBILITY_LABELS = {Visibility.PRIVATE: "Privada", Visibility.SHARED: "Compartilhada"}

# Columns of the results grid (keys of persistence.queries.customers.CustomerRow) and their pt-BR headers.
COLUMNS: dict[str, str] = {
    "name": "Nome", "document": "Documento", "email": "E-mail", "kind": "Tipo", "status": "Situação",
    "city": "Cidade", "uf": "UF", "accounts_count": "Contas", "balance_cents": "Saldo", "mrr_cents": "MRR",
    "open_invoices_count": "Faturas em aberto", "tags": "Etiquetas",
}  # fmt: skip
DEFAULT_COLUMNS = ["name", "document", "city", "uf", "status", "balance_cents", "mrr_cents", "tags"]
SORTS: dict[str, str] = {
    "name": "Nome", "document": "Documento", "created": "Data de cadastro", "balance": "Saldo", "mrr": "MRR",
    "uf": "UF", "city": "Cidade",
}  # fmt: skip
DEFAULT_SORT = {"key": "name", "descending": False}


# NOTE: indexes on the registry's customer table that only segment filters and duplicate suggestions use. GIN and
# pg_trgm exist on PostgreSQL only: `info["postgresql_only"]` keeps them out of SQLite (persistence/alembic/env.py).
_PG_ONLY = {"postgresql_only": True}
CUSTOMER_SEGMENT_INDEXES = (
    Index("ix_customer_tags_gin", Customer.tags, postgresql_using="gin", info=_PG_ONLY),  # ?| ?& @> on tags
    Index("ix_customer_custom_data_gin", Customer.custom_data, postgresql_using="gin",
          postgresql_ops={"custom_data": "jsonb_path_ops"}, info=_PG_ONLY),  # @> {"key": value}
    Index("ix_customer_search_name_trgm", Customer.search_name, postgresql_using="gin",
          postgresql_ops={"search_name": "gin_trgm_ops"}, info=_PG_ONLY),  # LIKE '%...%' and similarity (%)
)  # fmt: skip


class SavedView(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "saved_view"
    __tenant_index__ = False  # the index below leads with organization_id
    __table_args__ = (Index("ix_saved_view_org_visibility_owner", "organization_id", "visibility", "owner_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(32), default="customer")  # what the view lists
    tree: Mapped[dict[str, Any]] = mapped_column(default=dict)  # versioned filter tree (domain/segments/tree.py)
    columns: Mapped[list[str]] = mapped_column(default=list)
    sort: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"key": "name", "descending": false}
    visibility: Mapped[Visibility] = mapped_column(default=Visibility.PRIVATE)
    owner_id: Mapped[uuid.UUID | None]  # the operator who created it (None: created by the system)
    owner_name: Mapped[str] = mapped_column(String(120), default="")

    def view(self) -> ViewDefinition:
        return ViewDefinition(id=self.id, name=self.name, tree=self.tree, columns=list(self.columns or []),
                              sort=dict(self.sort or DEFAULT_SORT), visibility=self.visibility,
                              owner_id=self.owner_id, owner_name=self.owner_name, is_builtin=False)  # fmt: skip


@dataclass(frozen=True)
class ViewDefinition:
    """What opening a view needs, stored or built-in alike."""

    id: uuid.UUID
    name: str
    tree: dict[str, Any]
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    sort: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_SORT))
    visibility: Visibility = Visibility.SHARED
    owner_id: uuid.UUID | None = None
    owner_name: str = ""
    is_builtin: bool = False
