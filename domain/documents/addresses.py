"""Brazilian address codes: CEP, UF and IBGE municipality code. Stored bare (digits / upper-case), shown masked.

What is checked is the format and what the code itself tells (the UF prefix of an IBGE code), never existence:
CEPs change, and the full municipality table belongs to reference data, not to this module.
"""

from __future__ import annotations

import re

from domain.errors import ValidationFailed


class InvalidCep(ValidationFailed):
    code = "invalid_cep"

    def __init__(self, message: str) -> None:
        super().__init__(message, field="cep")


class InvalidUf(ValidationFailed):
    code = "invalid_uf"

    def __init__(self, message: str) -> None:
        super().__init__(message, field="uf")


class InvalidIbgeCode(ValidationFailed):
    code = "invalid_ibge_code"

    def __init__(self, message: str) -> None:
        super().__init__(message, field="ibge_code")


class IbgeUfMismatch(ValidationFailed):
    code = "ibge_uf_mismatch"

    def __init__(self, ibge_code: str, code_uf: str, given_uf: str) -> None:
        super().__init__(
            f"O código IBGE {ibge_code} é de um município de {code_uf}, mas a UF informada é {given_uf}.",
            field="ibge_code",
            ibge_code=ibge_code,
            code_uf=code_uf,
            given_uf=given_uf,
        )


# IBGE code, abbreviation and name of the 26 states and the Federal District (IBGE DTB; reference/ibge_ufs.csv).
# There is no UF 30, 34, 36-40 or 44-49.
UF_TABLE: tuple[tuple[str, str, str], ...] = (
    ("11", "RO", "Rondônia"),
    ("12", "AC", "Acre"),
    ("13", "AM", "Amazonas"),
    ("14", "RR", "Roraima"),
    ("15", "PA", "Pará"),
    ("16", "AP", "Amapá"),
    ("17", "TO", "Tocantins"),
    ("21", "MA", "Maranhão"),
    ("22", "PI", "Piauí"),
    ("23", "CE", "Ceará"),
    ("24", "RN", "Rio Grande do Norte"),
    ("25", "PB", "Paraíba"),
    ("26", "PE", "Pernambuco"),
    ("27", "AL", "Alagoas"),
    ("28", "SE", "Sergipe"),
    ("29", "BA", "Bahia"),
    ("31", "MG", "Minas Gerais"),
    ("32", "ES", "Espírito Santo"),
    ("33", "RJ", "Rio de Janeiro"),
    ("35", "SP", "São Paulo"),
    ("41", "PR", "Paraná"),
    ("42", "SC", "Santa Catarina"),
    ("43", "RS", "Rio Grande do Sul"),
    ("50", "MS", "Mato Grosso do Sul"),
    ("51", "MT", "Mato Grosso"),
    ("52", "GO", "Goiás"),
    ("53", "DF", "Distrito Federal"),
)
UF_BY_IBGE_PREFIX: dict[str, str] = {code: uf for code, uf, _ in UF_TABLE}
UF_NAMES: dict[str, str] = {uf: name for _, uf, name in UF_TABLE}

# IBGE codes of areas that are not municipalities (Lagoa Mirim, Lagoa dos Patos); see reference/ibge_sample.md.
_NOT_MUNICIPALITIES = {"4300001": "Lagoa Mirim", "4300002": "Lagoa dos Patos"}

_CEP_SEPARATORS = re.compile(r"[\s.\-]+")  # "01310-100", "01.310-100", " 01310100 "
_SEVEN_DIGITS = re.compile(r"[0-9]{7}")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")


def normalize_cep(raw: str) -> str:
    """Return the 8 bare digits of a CEP typed with or without mask, or raise InvalidCep."""
    cep = _CEP_SEPARATORS.sub("", raw)
    if not cep:
        raise InvalidCep("Informe o CEP.")
    if not cep.isascii() or not cep.isdigit():
        raise InvalidCep("CEP inválido: use só dígitos, no formato 00000-000.")
    if len(cep) != 8:
        raise InvalidCep(f"CEP deve ter 8 dígitos, no formato 00000-000; foram informados {len(cep)}.")
    if cep == "00000000":  # what people type to get past a form; the lowest real CEPs start at 01000-000
        raise InvalidCep("CEP inválido: 00000-000 não existe.")
    return cep


def mask_cep(normalized: str) -> str:
    """01310100 -> 01310-100. Anything not in stored form is shown as it is, so a bad old row never breaks a page."""
    if not _EIGHT_DIGITS.fullmatch(normalized):
        return normalized
    return f"{normalized[:5]}-{normalized[5:]}"


def normalize_uf(raw: str) -> str:
    """Return the upper-case abbreviation of one of the 27 UFs ("sp", " Sp " -> "SP"), or raise InvalidUf."""
    uf = raw.strip().upper()
    if not uf:
        raise InvalidUf("Informe a UF.")
    if uf not in UF_NAMES:
        shown = uf if len(uf) <= 20 else uf[:20] + "…"
        raise InvalidUf(f"UF inválida: “{shown}”. Use a sigla de um dos 26 estados ou do DF, por exemplo SP.")
    return uf


def normalize_ibge_code(raw: str) -> str:
    """Return a 7-digit IBGE municipality code whose first two digits are a UF code, or raise InvalidIbgeCode.

    The 7th digit is NOT checked as a check digit: real municipalities (2201919 Bom Princípio do Piauí and eight
    others) do not follow the mod-10 rule.
    """
    code = raw.strip()
    if not code:
        raise InvalidIbgeCode("Informe o código IBGE do município.")
    if not _SEVEN_DIGITS.fullmatch(code):
        raise InvalidIbgeCode("Código IBGE do município deve ter 7 dígitos, por exemplo 3550308 (São Paulo).")
    if code[:2] not in UF_BY_IBGE_PREFIX:
        raise InvalidIbgeCode(f"Código IBGE {code} inválido: começa com {code[:2]}, que não é o código de nenhuma UF.")
    if area := _NOT_MUNICIPALITIES.get(code):
        raise InvalidIbgeCode(f"Código IBGE {code} é de uma área ({area}), não de um município.")
    return code


def uf_of_ibge_code(normalized: str) -> str:
    """The UF a normalized IBGE municipality code belongs to (3550308 -> SP)."""
    return UF_BY_IBGE_PREFIX[normalized[:2]]


def check_ibge_code_matches_uf(ibge_code: str, uf: str) -> None:
    """Raise IbgeUfMismatch when a normalized IBGE code belongs to another UF than the normalized UF of the address."""
    code_uf = uf_of_ibge_code(ibge_code)
    if code_uf != uf:
        raise IbgeUfMismatch(ibge_code, code_uf, uf)
