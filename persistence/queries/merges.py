"""Duplicate suggestions: pairs of live customers that look like one real-world party, for an operator to review.

The newest customers (a window, newest first: duplicates usually appear when someone registers again) are compared
with every live customer, each comparison an index lookup:
- same company: another branch of the same CNPJ root (documents are unique among live customers, so an identical
  document cannot happen; a range scan on (organization, document_number));
- same primary e-mail ((organization, primary_email));
- similar names in the same city: pg_trgm similarity on PostgreSQL (trigram index of migration 0004); on SQLite,
  one folded name beginning with the other (the same name, or it plus "ltda", "me", ...).
The newer customer of a pair is suggested as the source, the older as the target.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal, or_, select, text
from sqlalchemy.orm import Session, aliased

from domain.access.permissions import Actor, Permission
from domain.customers.model import Customer
from persistence.queries.common import read_session
from persistence.queries.customers import ROW_COLUMNS, CustomerRow, as_row

WINDOW = 200
SIMILARITY = 0.6  # pg_trgm similarity for "similar names"
REASON_LABELS = {"document": "Mesmo CNPJ (filiais)", "email": "Mesmo e-mail", "name": "Nome parecido na mesma cidade"}


@dataclass(frozen=True)
class DuplicateSuggestion:
    source: CustomerRow  # the newer one: suggested to be merged into the target
    target: CustomerRow
    reasons: list[str]

    @property
    def reason_labels(self) -> list[str]:
        return [REASON_LABELS[r] for r in self.reasons]


def suggest_duplicates(actor: Actor, *, limit: int = 50, window: int = WINDOW) -> list[DuplicateSuggestion]:
    with read_session(actor, Permission.MERGES_RUN) as session:
        actor.require(Permission.CUSTOMERS_READ)
        newest = Customer.created_at.desc(), Customer.id.desc()
        recent = select(Customer).where(Customer.deleted_at.is_(None)).order_by(*newest).limit(window).subquery()
        new, old = aliased(Customer, recent), aliased(Customer)
        pairs: dict[tuple[uuid.UUID, uuid.UUID], list[str]] = {}
        for reason, condition in _reasons(session, new, old):
            joined = and_(
                old.organization_id == new.organization_id, old.id != new.id, old.deleted_at.is_(None), condition
            )
            statement = select(new.id, new.created_at, old.id, old.created_at).join(old, joined)
            for new_id, new_at, old_id, old_at in session.execute(statement.limit(limit * 4)):
                source, target = (new_id, old_id) if (new_at, new_id) > (old_at, old_id) else (old_id, new_id)
                reasons = pairs.setdefault((source, target), [])
                if reason not in reasons:
                    reasons.append(reason)
        chosen = list(pairs.items())[:limit]
        rows = customer_rows(session, {i for pair, _ in chosen for i in pair})
        return [DuplicateSuggestion(rows[s], rows[t], reasons) for (s, t), reasons in chosen]


def customer_cards(actor: Actor, ids: list[uuid.UUID]) -> dict[uuid.UUID, CustomerRow]:
    """The Clientes row of each customer, deleted (merged) ones included: the merge screen shows both sides."""
    with read_session(actor, Permission.CUSTOMERS_READ) as session:
        return customer_rows(session, set(ids))


def customer_rows(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, CustomerRow]:
    if not ids:
        return {}
    return {r.id: as_row(r) for r in session.execute(select(*ROW_COLUMNS).where(Customer.id.in_(ids)))}


def _reasons(session: Session, new: Any, old: Any) -> list[tuple[str, Any]]:
    root = func.substr(new.document_number, 1, 8)
    # Documents are [0-9A-Z]: every document of a root sorts between the root and root + "~" (byte order).
    same_root = and_(new.document_type == "cnpj", old.document_type == "cnpj", old.document_number >= root,
                     old.document_number < root.concat(literal("~")))  # fmt: skip
    same_email = and_(new.primary_email.is_not(None), old.primary_email == new.primary_email)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL pg_trgm.similarity_threshold = {SIMILARITY}"))
        similar = old.search_name.op("%")(new.search_name)
    else:  # one folded name is the other plus something ("padaria pao quente" / "padaria pao quente ltda")
        similar = or_(
            old.search_name.like(new.search_name.concat("%")), new.search_name.like(old.search_name.concat("%"))
        )
    same_city = and_(new.city.is_not(None), old.city == new.city, similar)
    return [("document", same_root), ("email", same_email), ("name", same_city)]
