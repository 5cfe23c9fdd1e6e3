"""What a column of an import can mean, how headers are recognised (pt-BR and English), and mapping checks.

A mapping is {column index: field key}; columns left out are ignored. Field keys prefixed "custom:" are the
organization's typed custom fields. The organization's saved choices (a header it mapped before) win over the
built-in names, so a legacy system's odd headers are mapped once and remembered.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.imports.errors import MappingIncomplete
from domain.text import fold

CUSTOM_PREFIX = "custom:"
IGNORE = ""  # a saved choice to ignore a header


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # pt-BR, what the mapping select and the template show
    aliases: tuple[str, ...]  # headers recognised for it, pt-BR and English (compared folded)
    group: str  # customer | address | account
    example_pf: str = ""
    example_pj: str = ""


FIELDS: tuple[Field, ...] = (
    Field("name", "Nome", ("nome", "nome do cliente", "cliente", "nome fantasia", "name", "customer",
                           "customer name", "full name", "trade name"), "customer",
          "Maria da Silva Souza", "Horizonte Tecnologia"),
    Field("legal_name", "Razão Social", ("razao social", "nome empresarial", "legal name", "company name",
                                          "registered name"), "customer", "", "Horizonte Tecnologia Ltda"),
    Field("document", "CPF/CNPJ", ("cpf/cnpj", "cnpj/cpf", "cpf", "cnpj", "cpf ou cnpj", "documento", "doc",
                                    "documento fiscal", "document", "tax id", "taxid", "document number",
                                    "cpf_cnpj"), "customer", "529.982.247-25", "11.222.333/0001-81"),
    Field("kind", "Tipo de pessoa", ("tipo", "tipo de pessoa", "pessoa", "tipo pessoa", "pf/pj", "kind",
                                      "type", "person type", "entity type"), "customer", "PF", "PJ"),
    Field("external_id", "ID externo", ("id externo", "codigo", "cod. cliente", "codigo do cliente",
                                         "cod cliente", "external id", "customer id", "id", "code"),
          "customer", "CLI-0001", "CLI-0002"),
    Field("email", "E-mail", ("e-mail", "email", "e-mails", "emails", "e-mail do cliente", "correio eletronico",
                               "customer email", "email address", "e-mail address"), "customer",
          "maria.souza@exemplo.com.br", "financeiro@horizonte.com.br"),
    Field("phone", "Telefone", ("telefone", "telefones", "fone", "celular", "tel", "tel.", "whatsapp", "phone",
                                 "phone number", "mobile", "telephone"), "customer",
          "(11) 98765-4321", "(21) 3333-4444"),
    Field("cep", "CEP", ("cep", "codigo postal", "zip", "zip code", "zipcode", "postal code", "postcode"),
          "address", "01310-100", "20040-002"),
    Field("street", "Logradouro", ("logradouro", "endereco", "rua", "street", "address", "address line 1",
                                    "street address"), "address", "Av. Paulista", "Rua da Assembleia"),
    Field("number", "Número", ("numero", "nº", "n°", "no", "num", "nro", "number", "street number"),
          "address", "1000", "10"),
    Field("complement", "Complemento", ("complemento", "compl", "compl.", "complement", "address line 2",
                                         "suite", "apt"), "address", "ap. 12", "sala 301"),
    Field("district", "Bairro", ("bairro", "district", "neighborhood", "neighbourhood"), "address",
          "Bela Vista", "Centro"),
    Field("city", "Cidade", ("cidade", "municipio", "city", "town"), "address", "São Paulo", "Rio de Janeiro"),
    Field("uf", "UF", ("uf", "estado", "state", "sigla uf"), "address", "SP", "RJ"),
    Field("ibge_code", "Cód. IBGE", ("cod. ibge", "cod ibge", "codigo ibge", "ibge", "codigo do municipio",
                                      "cod. municipio", "ibge code", "municipality code", "city code"),
          "address", "3550308", "3304557"),
    Field("country", "País", ("pais", "country", "country code"), "customer", "BR", "BR"),
    Field("tags", "Etiquetas", ("etiquetas", "etiqueta", "tags", "tag", "marcadores", "labels"), "customer",
          "varejo", "vip, tecnologia"),
    Field("payment_terms_days", "Prazo de pagamento (dias)", ("prazo", "prazo de pagamento", "prazo (dias)",
                                                              "prazo de pagamento (dias)", "payment terms",
                                                              "net days", "terms"), "customer", "10", "30"),
    Field("preferred_currency", "Moeda", ("moeda", "currency"), "customer", "BRL", "BRL"),
    Field("customer_since", "Cliente desde", ("cliente desde", "data de cadastro", "desde", "data cadastro",
                                               "customer since", "created", "signup date", "since"), "customer",
          "15/03/2021", "02/01/2019"),
    Field("account_name", "Nome da conta", ("conta", "nome da conta", "conta de faturamento", "account",
                                             "account name", "billing account"), "account", "Principal", "Matriz"),
    Field("account_email", "E-mail de cobrança", ("e-mail de cobranca", "email de cobranca", "e-mail da conta",
                                                   "email da conta", "billing email", "account email",
                                                   "invoice email"), "account",
          "maria.cobranca@exemplo.com.br", "contas.pagar@horizonte.com.br"),
    Field("payment_method", "Forma de pagamento", ("forma de pagamento", "meio de pagamento", "pagamento",
                                                    "payment method", "payment"), "account", "Pix", "Boleto"),
    Field("credit_limit", "Limite de crédito (R$)", ("limite de credito", "limite de credito (r$)", "limite",
                                                      "limite de saldo negativo", "credit limit",
                                                      "credit limit (brl)"), "account", "0,00", "R$ 1.500,00"),
    Field("customer_tax_type", "Enquadramento tributário", ("enquadramento tributario", "enquadramento",
                                                            "regime tributario", "regime", "tax type",
                                                            "tax regime"), "account",
          "Pessoa física", "Lucro presumido"),
)  # fmt: skip
BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = ("name", "document")
ACCOUNT_FIELDS = frozenset(f.key for f in FIELDS if f.group == "account")
_ALIASES = {fold(alias): f.key for f in FIELDS for alias in (*f.aliases, f.label)}


def header_key(header: str) -> str:
    """How headers are compared and remembered: folded, without a trailing colon or asterisk."""
    return fold(header).rstrip(":* ").strip()


def field_label(key: str, custom_labels: dict[str, str] | None = None) -> str:
    if key.startswith(CUSTOM_PREFIX):
        name = key[len(CUSTOM_PREFIX) :]
        return (custom_labels or {}).get(name, name)
    return BY_KEY[key].label if key in BY_KEY else key


def auto_mapping(
    headers: list[str], *, saved: dict[str, str] | None = None, custom_fields: dict[str, str] | None = None
) -> dict[int, str]:
    """{column index: field} guessed from the headers: the organization's saved choices first, then the built-in
    names, then custom field labels and keys. A field is taken by the first column that claims it."""
    saved = saved or {}
    custom = {header_key(label): f"{CUSTOM_PREFIX}{key}" for key, label in (custom_fields or {}).items()}
    custom |= {header_key(key): f"{CUSTOM_PREFIX}{key}" for key in (custom_fields or {})}
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if key in saved:
            choice = saved[key]
            valid = choice in BY_KEY or (choice.startswith(CUSTOM_PREFIX) and choice in custom.values())
            field = choice if valid else None
        else:
            field = _ALIASES.get(key) or custom.get(key)
        if field and field not in mapping.values():
            mapping[index] = field
    return mapping


def check_mapping(mapping: dict[int, str], headers: list[str], custom_keys: set[str]) -> dict[int, str]:
    """A usable mapping: known fields, each taken once, name and document present. Returns it cleaned."""
    clean: dict[int, str] = {}
    taken: dict[str, int] = {}
    for raw_index, field in mapping.items():
        index = int(raw_index)
        if not field:
            continue
        known = field in BY_KEY or (field.startswith(CUSTOM_PREFIX) and field[len(CUSTOM_PREFIX) :] in custom_keys)
        if not known or not 0 <= index < len(headers):
            raise MappingIncomplete(f"Coluna “{headers[index] if 0 <= index < len(headers) else index}”: "
                                    f"campo desconhecido “{field}”.")  # fmt: skip
        if field in taken:
            raise MappingIncomplete(
                f"“{field_label(field)}” foi escolhido para duas colunas: “{headers[taken[field]]}” e "
                f"“{headers[index]}”. Escolha uma só."
            )
        taken[field], clean[index] = index, field
    missing = [BY_KEY[key].label for key in REQUIRED if key not in taken]
    if missing:
        raise MappingIncomplete(f"Associe as colunas obrigatórias: {', '.join(missing)}.")
    return clean


def mapping_to_json(mapping: dict[int, str]) -> dict[str, str]:
    return {str(index): field for index, field in sorted(mapping.items())}


def mapping_from_json(stored: dict[str, str] | None) -> dict[int, str]:
    return {int(index): field for index, field in (stored or {}).items() if field}
