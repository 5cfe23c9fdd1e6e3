"""Row-by-row validation of an import: cells → the values the registry would store, or the problems found.

Every rule is the registry's (apply_registration, apply_account_fields, the document, CEP, UF and IBGE
normalizers), so an imported customer is checked exactly like one typed in the customer form. What is specific to
files is here: Brazilian formats in cells, the kind guessed from the document, lists in one cell, and turning the
registry's field paths back into the file's column names for the error report.

A row that states its kind (PF/PJ) and whose document is all digits but short had its leading zeros eaten by a
spreadsheet: it is padded there, explicitly, as the document policy asks (domain/documents/tax_ids.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, cast

from domain.billing_accounts.registration import apply_account_fields
from domain.customers.custom_fields import CustomFieldDefinition, CustomFieldType
from domain.customers.errors import InvalidFields
from domain.customers.model import Customer, CustomerKind
from domain.customers.registration import apply_registration
from domain.documents.tax_ids import DocumentType, detect_document_type
from domain.errors import ValidationFailed
from domain.imports import values as parse
from domain.imports.columns import ACCOUNT_FIELDS, CUSTOM_PREFIX, field_label
from domain.imports.drafts import AccountDraft, CustomerDraft
from domain.imports.emails import normalize_email_cached
from domain.imports.table import is_blank

ADDRESS_KEYS = ("cep", "street", "number", "complement", "district", "city", "uf", "ibge_code")
DEFAULT_ACCOUNT_NAME = "Principal"
_KIND_BY_DOCUMENT = {DocumentType.CPF: CustomerKind.NATURAL, DocumentType.CNPJ: CustomerKind.JURIDICAL}
_LENGTH_BY_KIND = {CustomerKind.NATURAL: 11, CustomerKind.JURIDICAL: 14}
# Registry field paths (customer form, then account form) -> import fields, for the report's "column".
_CUSTOMER_PATHS = {"name": "name", "legal_name": "legal_name", "document_number": "document", "kind": "kind",
                   "country": "country", "external_id": "external_id", "tags": "tags", "metadata": "customer_since",
                   "payment_terms_days": "payment_terms_days", "preferred_currency": "preferred_currency",
                   "emails": "email", "phones": "phone"}  # fmt: skip
_ACCOUNT_PATHS = {"name": "account_name", "email": "account_email", "billing_email": "account_email",
                  "payment_method": "payment_method", "customer_tax_type": "customer_tax_type",
                  "allowed_negative_balance_cents": "credit_limit", "payment_terms_days": "payment_terms_days",
                  "currency": "preferred_currency", "tax_id": "document"}  # fmt: skip


class Problem(NamedTuple):
    """One line of the error report (a NamedTuple: chunks travel between processes, and tuples pickle cheaply)."""

    line: int
    column: str  # the file's header ("" when the whole row is at fault)
    code: str  # stable snake_case
    message: str  # pt-BR, safe to show
    values: tuple[str, ...]  # the row's original cells


class AcceptedRow(NamedTuple):
    """A valid row: what would be inserted, and the keys that make a second import of it a no-op.

    `customer` and `account` are the drafts' attributes; persistence re-encodes them for its bulk insert (opaque to
    the rest of the domain)."""

    line: int
    document_type: str
    document_number: str
    external_id: str | None
    account_email: str | None
    name: str
    customer: Any  # Customer attribute -> value
    account: Any  # BillingAccount attribute -> value, when the file has account columns; else None
    values: tuple[str, ...]


@dataclass
class ChunkResult:
    accepted: list[AcceptedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: int = 0  # rows with at least one problem
    skipped: int = 0  # blank and separator-only lines
    last_line: int = 0


@dataclass(frozen=True)
class ValidationSpec:
    """Everything a (possibly separate) process needs to check rows: plain, picklable data."""

    headers: tuple[str, ...]
    mapping: tuple[tuple[int, str], ...]  # (column index, field key)
    custom_fields: tuple[tuple[tuple[str, Any], ...], ...] = ()  # active definitions, as (attribute, value) pairs

    @property
    def has_account(self) -> bool:
        return _has_account(self.mapping)

    def column_of(self, key: str) -> str:
        for index, mapped in self.mapping:
            if mapped == key:
                return self.headers[index]
        return field_label(key, {dict(pairs)["key"]: dict(pairs)["label"] for pairs in self.custom_fields})


@lru_cache(maxsize=64)
def _has_account(mapping: tuple[tuple[int, str], ...]) -> bool:
    return any(key in ACCOUNT_FIELDS for _, key in mapping)


def spec_for(headers: list[str], mapping: dict[int, str], definitions: list[CustomFieldDefinition]) -> ValidationSpec:
    keys = ("key", "label", "field_type", "choices", "required", "is_active", "position")
    custom = tuple(tuple((k, _frozen(getattr(d, k))) for k in keys) for d in definitions if d.is_active)
    return ValidationSpec(headers=tuple(headers), mapping=tuple(sorted(mapping.items())), custom_fields=custom)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def validate_rows(spec: ValidationSpec, rows: list[tuple[int, list[str]]]) -> ChunkResult:
    """Check a chunk of rows; the same chunk always gives the same result (resumed runs rely on it)."""
    definitions = _definitions(spec)
    result = ChunkResult()
    for line, cells in rows:
        result.last_line = line
        if is_blank(cells):
            result.skipped += 1
            continue
        outcome = validate_row(spec, definitions, line, cells)
        if isinstance(outcome, AcceptedRow):
            result.accepted.append(outcome)
        else:
            result.rejected += 1
            result.problems.extend(outcome)
    return result


def validate_row(
    spec: ValidationSpec, definitions: list[CustomFieldDefinition], line: int, cells: list[str]
) -> AcceptedRow | list[Problem]:
    width = len(spec.headers)
    original = tuple(cells) if len(cells) >= width else (*cells, *([""] * (width - len(cells))))
    row = _Row(spec, line, original)
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        separator_hint = "; confira se algum valor contém o separador sem estar entre aspas"
        row.problem("", "column_count", f"A linha tem {len(cells)} colunas e o cabeçalho {width}{separator_hint}.")
        return row.problems
    get = {key: original[index].strip() for index, key in spec.mapping}
    customer = _customer(row, get, definitions)
    account = _account(row, get, customer) if spec.has_account else None
    if row.problems:
        order = {header: index for index, header in enumerate(spec.headers)}
        return sorted(row.problems, key=lambda p: order.get(p.column, -1 if not p.column else len(order)))
    values = customer.values()
    return AcceptedRow(
        line=line, document_type=values["document_type"], document_number=values["document_number"],
        external_id=values.get("external_id"), account_email=account.email if account else None,
        name=values["name"], customer=values, account=account.values() if account else None, values=original,
    )  # fmt: skip


class _Row:
    def __init__(self, spec: ValidationSpec, line: int, values: tuple[str, ...]) -> None:
        self.spec, self.line, self.values = spec, line, values
        self.problems: list[Problem] = []

    def problem(self, key: str, code: str, message: str) -> None:
        column = self.spec.column_of(key) if key else ""
        self.problems.append(Problem(self.line, column, code, message, self.values))

    def registry_errors(self, errors: dict[str, str], paths: dict[str, str]) -> None:
        for path, message in errors.items():
            key = _import_field(path, paths)
            prefix = "missing" if message.startswith("Informe") else "invalid"
            self.problem(key, f"{prefix}_{key.replace(CUSTOM_PREFIX, 'custom_')}", message)


def _customer(row: _Row, get: dict[str, str], definitions: list[CustomFieldDefinition]) -> CustomerDraft:
    draft = CustomerDraft()
    values: dict[str, Any] = {"name": get.get("name", "")}
    kind = _kind(row, get)
    document = get.get("document", "")
    if kind in _LENGTH_BY_KIND and document.isdigit() and len(document) < _LENGTH_BY_KIND[kind]:
        document = document.zfill(_LENGTH_BY_KIND[kind])  # leading zeros a spreadsheet ate (see module doc)
    values["kind"], values["document_number"] = kind, document
    for key in ("legal_name", "external_id"):
        if get.get(key):
            values[key] = get[key]
    _optional(row, get, values, "country", parse.parse_country)
    _optional(row, get, values, "preferred_currency", parse.parse_currency)
    _optional(row, get, values, "payment_terms_days", parse.parse_days)
    if get.get("tags"):
        values["tags"] = parse.split_list(get["tags"])
    if get.get("customer_since"):
        try:
            values["metadata"] = {"cliente_desde": parse.parse_date(get["customer_since"]).isoformat()}
        except ValueError as error:
            row.problem("customer_since", "invalid_date", str(error))
    if get.get("phone"):
        values["phones"] = [{"kind": "work", "number": n} for n in parse.split_phones(get["phone"])]
    if any(get.get(key) for key in ADDRESS_KEYS):
        address = {key: get.get(key, "") for key in ADDRESS_KEYS}
        values["addresses"] = [{"kind": "billing", "country": values.get("country") or "BR", **address}]
    custom = {key[len(CUSTOM_PREFIX) :]: text for key, text in get.items() if key.startswith(CUSTOM_PREFIX)}
    if custom:
        values["custom_fields"] = custom
    if get.get("email"):
        draft.emails = _emails(row, get["email"])
    if kind is None:
        # The refusal about the document is recorded; check the rest with a stand-in identity, so the report shows
        # every problem of the row at once, and drop what the stand-in itself causes.
        values |= {"kind": CustomerKind.FOREIGN, "document_number": "-", "country": values.get("country") or "ZZ"}
    try:
        apply_registration(cast(Customer, draft), values, definitions=definitions, creating=True)
    except InvalidFields as error:
        errors = error.errors
        if kind is None:
            errors = {k: v for k, v in errors.items() if k not in ("kind", "document_number", "country")}
        row.registry_errors(errors, _CUSTOMER_PATHS)
    except ValidationFailed as error:
        row.registry_errors({error.field or "": error.message}, _CUSTOMER_PATHS)
    return draft


def _kind(row: _Row, get: dict[str, str]) -> CustomerKind | None:
    if get.get("kind"):
        try:
            return CustomerKind(parse.parse_choice("kind", get["kind"]))
        except ValueError as error:
            row.problem("kind", "invalid_kind", str(error))
            return None
    document = get.get("document", "")
    detected = detect_document_type(document)
    if detected is not None:
        return _KIND_BY_DOCUMENT[detected]
    country = parse.parse_country(get.get("country", "")) if get.get("country") else "BR"
    if document and country != "BR":
        return CustomerKind.FOREIGN
    if not document:
        row.problem("document", "missing_document", "Informe o CPF ou o CNPJ.")
    else:
        row.problem("document", "invalid_document",
                    f"Documento não reconhecido: “{document[:40]}”. Um CPF tem 11 dígitos e um CNPJ 14 caracteres; "
                    "para estrangeiros, preencha Tipo de pessoa ou País.")  # fmt: skip
    return None


def _emails(row: _Row, text: str) -> list[dict[str, str]]:
    result = []
    for raw in parse.split_list(text):
        try:
            result.append({"kind": "billing", "address": normalize_email_cached(raw)})
        except ValidationFailed as error:
            row.problem("email", "invalid_email", error.message)
    return result


def _account(row: _Row, get: dict[str, str], customer: CustomerDraft) -> AccountDraft:
    draft = AccountDraft(customer)
    values: dict[str, Any] = {"name": get.get("account_name") or DEFAULT_ACCOUNT_NAME}
    for key, table in (("payment_method", "payment_method"), ("customer_tax_type", "tax")):
        if get.get(key):
            try:
                values[key] = parse.parse_choice(table, get[key])
            except ValueError as error:
                row.problem(key, f"invalid_{key}", str(error))
    if get.get("credit_limit"):
        try:
            values["allowed_negative_balance_cents"] = parse.parse_money_cents(get["credit_limit"])
        except ValueError as error:
            row.problem("credit_limit", "invalid_number", str(error))
    if get.get("account_email"):
        try:
            draft.email = draft.billing_email = normalize_email_cached(get["account_email"], field="email")
        except ValidationFailed as error:
            row.problem("account_email", "invalid_account_email", error.message)
    else:
        draft.email = draft.billing_email = None
    try:
        apply_account_fields(cast(Any, draft), values, creating=True)
    except InvalidFields as error:
        row.registry_errors(error.errors, _ACCOUNT_PATHS)
    except ValidationFailed as error:
        row.registry_errors({error.field or "": error.message}, _ACCOUNT_PATHS)
    return draft


def _optional(row: _Row, get: dict[str, str], values: dict[str, Any], key: str, parser: Any) -> None:
    if get.get(key):
        try:
            values[key] = parser(get[key])
        except ValueError as error:
            row.problem(key, f"invalid_{key}", str(error))


def _import_field(path: str, paths: dict[str, str]) -> str:
    head, _, rest = path.partition(".")
    if head == "addresses":
        return rest.partition(".")[2] or "cep"
    if head == "custom_fields":
        return f"{CUSTOM_PREFIX}{rest}"
    return paths.get(head, paths.get(path, "name"))


_definition_cache: dict[tuple, list[CustomFieldDefinition]] = {}


def _definitions(spec: ValidationSpec) -> list[CustomFieldDefinition]:
    """Transient definitions rebuilt once per process and spec (a worker process receives them as plain data)."""
    if spec.custom_fields not in _definition_cache:
        built = []
        for pairs in spec.custom_fields:
            attributes = dict(pairs)
            attributes["field_type"] = CustomFieldType(attributes["field_type"])
            attributes["choices"] = list(attributes["choices"] or ())
            built.append(CustomFieldDefinition(**attributes))
        _definition_cache.clear()
        _definition_cache[spec.custom_fields] = built
    return _definition_cache[spec.custom_fields]
