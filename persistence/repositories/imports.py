"""Import runs, their problems and remembered column choices; the set-based insert of accepted rows.

Inserts bypass the ORM (COPY on PostgreSQL, executemany on SQLite): 100,000 rows must land in seconds. Tenancy still
holds: the lookups are ORM selects (scoped by persistence/tenancy.py) and every encoded row carries the session's
organization (persistence/import_rows.py).
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, any_, bindparam, insert, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from domain.base import new_id
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.errors import NotFound
from domain.imports.model import ImportColumnChoice, ImportProblem, ImportRun, ImportStatus
from domain.imports.ports import Existing
from domain.imports.rows import AcceptedRow, Problem
from persistence import import_rows


@dataclass
class ImportRepository:
    session: Session

    def get(self, run_id: uuid.UUID, *, for_update: bool = False) -> ImportRun:
        statement = select(ImportRun).where(ImportRun.id == _uuid(run_id))
        if for_update:
            statement = statement.with_for_update()
        run = self.session.scalars(statement).one_or_none()
        if run is None:
            raise NotFound("Importação", run_id)
        return run

    def find_active_for_file(self, sha256: str, *, except_id: uuid.UUID) -> ImportRun | None:
        statement = select(ImportRun).where(
            ImportRun.file_sha256 == sha256, ImportRun.id != except_id,
            ImportRun.status.in_((ImportStatus.QUEUED, ImportStatus.RUNNING)),
        )  # fmt: skip
        return self.session.scalars(statement.limit(1)).first()

    def saved_choices(self) -> dict[str, str]:
        rows = self.session.execute(select(ImportColumnChoice.header_key, ImportColumnChoice.field))
        return {key: field for key, field in rows}

    def save_choices(self, choices: dict[str, str]) -> None:
        existing = {c.header_key: c for c in self.session.scalars(select(ImportColumnChoice))}
        for key, field in choices.items():
            if not key:
                continue
            if key in existing:
                existing[key].field = field
            else:
                self.session.add(ImportColumnChoice(header_key=key[:255], field=field))

    def lock_for_writing(self) -> None:
        """PostgreSQL: an advisory lock per organization for the batch's transaction. SQLite's writers already
        queue (the unit of work begins IMMEDIATE)."""
        if self.session.get_bind().dialect.name == "postgresql":
            key = zlib.crc32(f"import:{self.session.info['organization_id']}".encode())
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def refresh_statistics(self) -> None:
        """PostgreSQL plans the lookups above from table statistics; a bulk load outdates them within one import
        (an empty table's plan scans everything: quadratic over a 100,000-row file). ANALYZE samples, it is cheap."""
        if self.session.get_bind().dialect.name == "postgresql":
            # Only the columns the lookups filter on: sampling JSON and text columns would cost seconds.
            self.session.execute(text("ANALYZE customer (organization_id, document_type, document_number, "
                                      "external_id, deleted_at)"))  # fmt: skip
            self.session.execute(text("ANALYZE billing_account (organization_id, email, deleted_at, customer_id)"))

    def existing(self, rows: list[AcceptedRow]) -> Existing:
        """Index seeks on the live-unique indexes (type + number, external id, account e-mail), one query each."""
        found = Existing()
        by_type: dict[str, set[str]] = {}
        for row in rows:
            by_type.setdefault(row.document_type, set()).add(row.document_number)
        for document_type, numbers in by_type.items():
            statement = select(Customer.document_number).where(
                Customer.document_type == document_type, self._among(Customer.document_number, numbers),
                Customer.deleted_at.is_(None),
            )  # fmt: skip
            found.documents |= {(document_type, n) for n in self.session.scalars(statement)}
        # A registered document makes its row "already present" whatever its other keys (domain/imports/runner.py
        # resolve): only the other rows' external ids and e-mails can conflict, and a file imported again skips
        # thousands of lookups (the e-mail one joins the customer).
        rows = [r for r in rows if (r.document_type, r.document_number) not in found.documents]
        external_ids = {r.external_id for r in rows if r.external_id}
        if external_ids:
            statement = select(Customer.external_id, Customer.name).where(
                self._among(Customer.external_id, external_ids), Customer.deleted_at.is_(None)
            )
            found.external_ids = {e: name for e, name in self.session.execute(statement)}
        emails = {r.account_email for r in rows if r.account_email}
        if emails:
            statement = (
                select(BillingAccount.email, BillingAccount.name, Customer.name)
                .join(Customer, Customer.id == BillingAccount.customer_id)
                .where(self._among(BillingAccount.email, emails), BillingAccount.deleted_at.is_(None))
            )
            found.account_emails = {e: (account, owner) for e, account, owner in self.session.execute(statement)}
        return found

    def _among(self, column: Any, values: set[str]) -> Any:
        """`column IN (...)`; on PostgreSQL one array parameter (`= ANY`) instead of thousands of placeholders."""
        if self.session.get_bind().dialect.name == "postgresql":
            return column == any_(bindparam(None, list(values), type_=ARRAY(String)))
        return column.in_(values)

    def insert_accepted(self, rows: list[AcceptedRow]) -> tuple[int, int]:
        accounts = [r.account for r in rows if r.account is not None]
        if not rows:
            return 0, 0
        connection = self.session.connection()
        tables = ((import_rows.customers(), [r.customer for r in rows]), (import_rows.accounts(), accounts))
        if connection.dialect.name == "postgresql":
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            for codec, lines in tables:
                if lines:
                    with cursor.copy(f"COPY {codec.table_name} ({codec.column_list()}) FROM STDIN") as copy:
                        copy.write("".join(lines))
        else:
            for codec, tuples in tables:
                if tuples:
                    marks = ", ".join("?" * len(codec.columns))
                    sql = f"INSERT INTO {codec.table_name} ({codec.column_list()}) VALUES ({marks})"
                    connection.exec_driver_sql(sql, tuples)  # type: ignore[arg-type]
        return len(rows), len(accounts)

    def add_problems(self, run: ImportRun, problems: list[Problem]) -> None:
        if not problems:
            return
        rows: list[dict[str, Any]] = [
            {"id": new_id(), "organization_id": run.organization_id, "import_run_id": run.id, "line": p.line,
             "column": p.column[:255], "code": p.code, "message": p.message, "values": list(p.values)}
            for p in problems
        ]  # fmt: skip
        self.session.execute(insert(ImportProblem.__table__), rows)


def _uuid(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)
