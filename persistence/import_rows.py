"""Accepted import rows → what the bulk insert writes: COPY text lines on PostgreSQL, tuples on SQLite.

Runs where the rows are checked (possibly a worker process), so only strings cross the process boundary. Every column
of the table is written: the drafts' values, the model's own defaults for the rest (the same defaults the ORM would
apply), a new UUIDv7 and the batch's timestamps. NOTE: persistence/seed_rows.py writes the same tables this way.
"""

from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import orjson
import uuid_utils
from sqlalchemy import JSON, Boolean, Uuid, inspect

from domain.base import UtcDateTime
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.imports.rows import AcceptedRow

_NULL = "\\N"


@dataclass(frozen=True)
class RowTarget:
    """Which database the rows are for, and whose they are (plain data: it travels to worker processes)."""

    postgres: bool
    organization_id: uuid.UUID


class TableCodec:
    """One table's columns in order, each with its attribute, its encoded default and how a value is written.

    Most columns of an imported row keep their default, so a row starts from the defaults encoded once per table
    and only the values the drafts set are converted."""

    def __init__(self, model: type) -> None:
        table = model.__table__  # type: ignore[attr-defined]
        attribute_of = {attr.columns[0].name: attr.key for attr in inspect(model).column_attrs}
        self.table_name = table.name
        self.columns = [c.name for c in table.columns]
        self.kinds = [_kind_of(c) for c in table.columns]
        self.index = {attribute_of[c.name]: i for i, c in enumerate(table.columns)}
        self.defaults: list[Any] = []
        for column in table.columns:
            default = column.default
            if default is None:
                self.defaults.append(None)
            else:  # factories (new_id, utcnow, list, dict) are replaced per row or are empty containers
                self.defaults.append(default.arg(None) if default.is_callable else default.arg)
        self._encoded: dict[bool, list[Any]] = {}

    def encode(self, values: dict[str, Any], target: RowTarget) -> Any:
        postgres = target.postgres
        if postgres not in self._encoded:
            convert = _postgres if postgres else _sqlite
            self._encoded[postgres] = [convert(v, k) for v, k in zip(self.defaults, self.kinds, strict=True)]
        out = self._encoded[postgres].copy()
        index, kinds = self.index, self.kinds
        if not postgres:
            for attribute, value in values.items():
                i = index[attribute]
                out[i] = _sqlite(value, kinds[i])
            return tuple(out)
        for attribute, value in values.items():
            i = index[attribute]
            cls = type(value)
            # Most values are plain text: _postgres's first branches inlined (the encoder runs ~40 times per row).
            if cls is _Encoded:
                out[i] = value
            elif cls is str:
                out[i] = value if value.isprintable() and "\\" not in value else _escape(value)
            else:
                out[i] = _postgres(value, kinds[i])
        return "\t".join(out) + "\n"

    def column_list(self) -> str:
        return ", ".join(f'"{name}"' for name in self.columns)


@cache
def customers() -> TableCodec:
    return TableCodec(Customer)


@cache
def accounts() -> TableCodec:
    return TableCodec(BillingAccount)


def encode_rows(rows: list[AcceptedRow], target: RowTarget) -> list[AcceptedRow]:
    """The same rows with their customer (and account) values replaced by insert-ready lines or tuples."""
    now = datetime.now(UTC)
    customer_codec, account_codec = customers(), accounts()
    fixed = {"organization_id": target.organization_id, "created_at": now, "updated_at": now}
    fixed = {key: _Encoded(_postgres(v, _KINDS[key]) if target.postgres else _sqlite(v, _KINDS[key]))
             for key, v in fixed.items()}  # converted once per chunk, not per row  # fmt: skip
    encoded = []
    for row in rows:
        customer_id = _Encoded(uuid_utils.uuid7().hex)  # a UUIDv7, like new_id(), already as text
        customer = {**row.customer, **fixed, "id": customer_id, "accounts_count": 1 if row.account else 0}
        account = None
        if row.account is not None:
            values = {**row.account, **fixed, "id": _Encoded(uuid_utils.uuid7().hex), "customer_id": customer_id}
            account = account_codec.encode(values, target)
        encoded.append(row._replace(customer=customer_codec.encode(customer, target), account=account))
    return encoded


class _Encoded(str):
    """A value already in its stored text form (ids, the chunk's timestamps): written as it is."""


_KINDS = {"organization_id": "uuid", "created_at": "datetime", "updated_at": "datetime"}


def _kind_of(column: Any) -> str:
    if isinstance(column.type, JSON):
        return "json"
    if isinstance(column.type, Boolean):
        return "bool"
    if isinstance(column.type, Uuid):
        return "uuid"
    if isinstance(column.type, UtcDateTime):
        return "datetime"
    return "plain"


def _postgres(value: Any, kind: str) -> str:
    """COPY text of one value. Defaults never need escaping; a value does only with a backslash or a control
    character (isprintable() is False for tab, CR and LF, so it is the one cheap check that catches them)."""
    if value is None:
        return _NULL
    if isinstance(value, str):
        if type(value) is _Encoded:
            return value
        return value if value.isprintable() and "\\" not in value else _escape(value)
    if kind == "json":
        text = _jsonb(value)
        return text if text.isprintable() and "\\" not in text else _escape(text)
    if kind == "bool":
        return "t" if value else "f"
    if kind == "uuid":
        return value.hex if isinstance(value, uuid.UUID) else str(value)
    if kind == "datetime":
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def _sqlite(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if type(value) is _Encoded:
        return str(value)
    if kind == "json":
        return _json(value)
    if kind == "bool":
        return 1 if value else 0
    if kind == "uuid":
        return value.hex if isinstance(value, uuid.UUID) else str(value)
    if kind == "datetime":
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _json(value: Any) -> str:
    """As the ORM writes JSON (json.dumps defaults), so imported and typed rows store the same text."""
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value)


def _jsonb(value: Any) -> str:
    """JSON text for a JSONB column: PostgreSQL parses it, so only the value counts, not the spacing or the escaping
    of accents, and orjson writes it several times faster than json.dumps. What orjson would write differently from
    json.dumps (non-string keys, dates, subclasses) goes through _json, so it is accepted or refused as before."""
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    try:
        return orjson.dumps(value, option=_ORJSON_STRICT).decode()
    except TypeError:
        return _json(value)


_ORJSON_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS


def _escape(text: str) -> str:
    """COPY text format: backslash first, then the characters that would end a field or a line."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
