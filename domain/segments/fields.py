"""The segment field catalogue: every field a condition may test, its type, its comparators and its pt-BR label.

Fields come from the customer row, from its billing accounts ("has at least one live account where ..."), and from
its invoices. Invoice fields exist only when the invoice table is registered (Base.metadata): the invoices area is
built in parallel, and a catalogue without them keeps old saved views readable (they are reported, not crashed on).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.base import Base
from domain.billing_accounts.model import PAYMENT_METHOD_LABELS, TAX_TYPE_LABELS
from domain.billing_accounts.model import STATUS_LABELS as ACCOUNT_STATUS_LABELS
from domain.customers.model import KIND_LABELS, STATUS_LABELS, CustomerType
from domain.documents.addresses import UF_NAMES


class FieldType(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    NUMBER = "number"
    MONEY = "money"  # integer cents in the tree; reais on the screen
    DATE = "date"  # ISO yyyy-mm-dd in the tree; dd/mm/aaaa on the screen
    TAGS = "tags"
    KEY_VALUE = "key_value"  # {"key": ..., "value": ...} over a JSON object
    BOOLEAN = "boolean"


class Cmp(StrEnum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    CONTAINS = "contains"
    STARTS_WITH = "starts_with"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    BETWEEN = "between"
    LAST_DAYS = "last_days"
    IS_SET = "is_set"
    IS_NOT_SET = "is_not_set"
    ANY = "any"
    ALL = "all"
    NONE = "none"
    HAS_KEY = "has_key"
    KEY_EQ = "key_eq"


CMP_LABELS: dict[Cmp, str] = {
    Cmp.EQ: "é igual a", Cmp.NE: "é diferente de", Cmp.IN: "é um de", Cmp.NOT_IN: "não é nenhum de",
    Cmp.CONTAINS: "contém", Cmp.STARTS_WITH: "começa com", Cmp.GT: "maior que", Cmp.GTE: "maior ou igual a",
    Cmp.LT: "menor que", Cmp.LTE: "menor ou igual a", Cmp.BETWEEN: "entre", Cmp.LAST_DAYS: "nos últimos (dias)",
    Cmp.IS_SET: "está preenchido", Cmp.IS_NOT_SET: "está vazio", Cmp.ANY: "contém alguma de",
    Cmp.ALL: "contém todas", Cmp.NONE: "não contém nenhuma de", Cmp.HAS_KEY: "tem a chave",
    Cmp.KEY_EQ: "chave igual a",
}  # fmt: skip
DATE_CMP_LABELS = {Cmp.EQ: "no dia", Cmp.LT: "antes de", Cmp.GT: "depois de", Cmp.BETWEEN: "entre"}
TAG_EMPTY_LABELS = {Cmp.IS_SET: "tem alguma etiqueta", Cmp.IS_NOT_SET: "não tem etiquetas"}

_ORDERED = (Cmp.EQ, Cmp.NE, Cmp.GT, Cmp.GTE, Cmp.LT, Cmp.LTE, Cmp.BETWEEN)
TYPE_CMPS: dict[FieldType, tuple[Cmp, ...]] = {
    FieldType.TEXT: (Cmp.EQ, Cmp.NE, Cmp.CONTAINS, Cmp.STARTS_WITH, Cmp.IS_SET, Cmp.IS_NOT_SET),
    FieldType.CHOICE: (Cmp.EQ, Cmp.NE, Cmp.IN, Cmp.NOT_IN),
    FieldType.NUMBER: _ORDERED,
    FieldType.MONEY: _ORDERED,
    FieldType.DATE: (Cmp.EQ, Cmp.LT, Cmp.GT, Cmp.BETWEEN, Cmp.LAST_DAYS),
    FieldType.TAGS: (Cmp.ANY, Cmp.ALL, Cmp.NONE, Cmp.IS_SET, Cmp.IS_NOT_SET),
    FieldType.KEY_VALUE: (Cmp.KEY_EQ, Cmp.HAS_KEY),
    FieldType.BOOLEAN: (Cmp.EQ,),
}


class Source(StrEnum):
    CUSTOMER = "customer"
    ACCOUNT = "account"  # true when at least one live billing account matches (negations: when none does)
    INVOICE = "invoice"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: FieldType
    source: Source = Source.CUSTOMER
    choices: dict[str, str] | None = None  # stored value -> pt-BR label
    cmps: tuple[Cmp, ...] = ()  # empty: every comparator of the type
    hint: str | None = None

    @property
    def comparators(self) -> tuple[Cmp, ...]:
        return self.cmps or TYPE_CMPS[self.type]

    def cmp_label(self, cmp: Cmp) -> str:
        if self.type is FieldType.DATE and cmp in DATE_CMP_LABELS:
            return DATE_CMP_LABELS[cmp]
        if self.type is FieldType.TAGS and cmp in TAG_EMPTY_LABELS:
            return TAG_EMPTY_LABELS[cmp]
        return CMP_LABELS[cmp]


def _labels(mapping: dict) -> dict[str, str]:
    return {str(k.value if hasattr(k, "value") else k): v for k, v in mapping.items()}


_COUNT_CMPS = (Cmp.EQ, Cmp.GT, Cmp.GTE, Cmp.LT, Cmp.LTE, Cmp.BETWEEN)
_CUSTOMER_FIELDS = (
    FieldSpec("status", "Situação do cliente", FieldType.CHOICE, choices=_labels(STATUS_LABELS)),
    FieldSpec("kind", "Tipo de pessoa", FieldType.CHOICE, choices=_labels(KIND_LABELS)),
    FieldSpec("customer_type", "Tipo de cliente", FieldType.CHOICE,
              choices={CustomerType.BUSINESS.value: "Empresa", CustomerType.CONSUMER.value: "Consumidor"}),
    FieldSpec("document_type", "Tipo de documento", FieldType.CHOICE,
              choices={"cpf": "CPF", "cnpj": "CNPJ", "foreign": "Estrangeiro"}),
    FieldSpec("name", "Nome", FieldType.TEXT, cmps=(Cmp.CONTAINS, Cmp.STARTS_WITH, Cmp.EQ)),
    FieldSpec("document", "Documento (CPF/CNPJ)", FieldType.TEXT, cmps=(Cmp.EQ, Cmp.STARTS_WITH)),
    FieldSpec("email", "E-mail principal", FieldType.TEXT),
    FieldSpec("city", "Cidade", FieldType.TEXT),
    FieldSpec("uf", "UF", FieldType.CHOICE, choices={uf: f"{uf} — {name}" for uf, name in sorted(UF_NAMES.items())},
              cmps=(Cmp.EQ, Cmp.NE, Cmp.IN, Cmp.NOT_IN, Cmp.IS_SET, Cmp.IS_NOT_SET)),
    FieldSpec("ibge_code", "Código IBGE do município", FieldType.TEXT,
              cmps=(Cmp.EQ, Cmp.STARTS_WITH, Cmp.IS_SET, Cmp.IS_NOT_SET), hint="7 dígitos; 2 primeiros = UF"),
    FieldSpec("tags", "Etiquetas", FieldType.TAGS),
    FieldSpec("custom_data", "Dados personalizados (custom data)", FieldType.KEY_VALUE),
    FieldSpec("created", "Data de cadastro", FieldType.DATE),
    FieldSpec("balance", "Saldo consolidado", FieldType.MONEY, hint="negativo = em débito"),
    FieldSpec("mrr", "MRR", FieldType.MONEY),
    FieldSpec("accounts_count", "Quantidade de contas", FieldType.NUMBER, cmps=_COUNT_CMPS),
    FieldSpec("open_invoices", "Faturas em aberto", FieldType.NUMBER, cmps=_COUNT_CMPS),
)  # fmt: skip
_ACCOUNT_FIELDS = (
    FieldSpec("account_status", "Conta: situação", FieldType.CHOICE, Source.ACCOUNT,
              choices=_labels(ACCOUNT_STATUS_LABELS)),
    FieldSpec("account_payment_method", "Conta: forma de pagamento", FieldType.CHOICE, Source.ACCOUNT,
              choices=_labels(PAYMENT_METHOD_LABELS)),
    FieldSpec("account_tax_type", "Conta: regime tributário", FieldType.CHOICE, Source.ACCOUNT,
              choices=_labels(TAX_TYPE_LABELS)),
    FieldSpec("account_auto_collection", "Conta: cobrança automática", FieldType.BOOLEAN, Source.ACCOUNT),
    FieldSpec("account_currency", "Conta: moeda", FieldType.TEXT, Source.ACCOUNT, cmps=(Cmp.EQ, Cmp.NE)),
    FieldSpec("account_email", "Conta: e-mail", FieldType.TEXT, Source.ACCOUNT,
              cmps=(Cmp.EQ, Cmp.CONTAINS, Cmp.STARTS_WITH)),
    FieldSpec("account_balance", "Conta: saldo", FieldType.MONEY, Source.ACCOUNT),
    FieldSpec("account_payment_terms", "Conta: prazo de pagamento (dias)", FieldType.NUMBER, Source.ACCOUNT),
)  # fmt: skip
_INVOICE_FIELDS = (
    FieldSpec("overdue_invoices", "Faturas vencidas", FieldType.NUMBER, Source.INVOICE, cmps=_COUNT_CMPS,
              hint="em aberto com vencimento antes de hoje"),
    FieldSpec("days_overdue", "Dias em atraso (fatura mais antiga)", FieldType.NUMBER, Source.INVOICE,
              cmps=(Cmp.GT, Cmp.GTE, Cmp.LT, Cmp.LTE, Cmp.BETWEEN), hint="0 quando nada está vencido"),
    FieldSpec("due_within_days", "Fatura em aberto vence em até (dias)", FieldType.NUMBER, Source.INVOICE,
              cmps=(Cmp.LTE,)),
)  # fmt: skip


def invoices_available() -> bool:
    """NOTE: the invoices area registers `invoice` in persistence/models.py; until then its fields are hidden."""
    return "invoice" in Base.metadata.tables


def field_catalogue() -> dict[str, FieldSpec]:
    fields = _CUSTOMER_FIELDS + _ACCOUNT_FIELDS + (_INVOICE_FIELDS if invoices_available() else ())
    return {spec.key: spec for spec in fields}


SOURCE_GROUP_LABELS = {Source.CUSTOMER: "Cliente", Source.ACCOUNT: "Conta de faturamento", Source.INVOICE: "Faturas"}
