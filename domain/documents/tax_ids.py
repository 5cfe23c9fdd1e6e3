"""CPF, CNPJ (numeric and alphanumeric) and foreign tax ids: normalize for storage, mask for display, generate demos.

Stored form: CPF = 11 digits, CNPJ = 14 characters (A-Z or 0-9 in the first 12, digits in the last 2), no mask.
Check digits follow validate-docbr's arithmetic (it handles the alphanumeric CNPJ, ASCII value - 48), computed here on
the already-cleaned number; the structure checks before it are ours, so that each refusal says exactly what is wrong.

Policy for inputs the peer libraries disagree on (reference/documents/policy_dependent.csv):
- Separators carry no information. ".", "/", "-", any whitespace and the Unicode dashes (U+2010 to U+2015, U+2212)
  are dropped wherever they are and however many there are: "295..379..955-93" and "12. ABC.345 /01DE-35" (with an
  EN DASH) are accepted, because text pasted from PDFs and spreadsheets looks like that and the check digits still
  catch typos. Any other character ("=", "_", "+", letters in a CPF) is refused: a typo or another field pasted in.
- Lower-case letters in an alphanumeric CNPJ are accepted and stored upper-case: the Receita issues upper case only,
  so the case carries no information either.
- Missing leading zeros are NOT restored: "9380826044" (10 digits) is refused with a hint. Padding would guess where
  the missing digit was; an import that knows a column lost its zeros pads it there, explicitly.
- CPFs whose 11 digits are all equal (000.000.000-00 ... 999.999.999-99) and the placeholder 123.456.789-09 are refused
  although their check digits match: they are what people type to get past a form (3 of the 4 peers refuse them).
- CNPJ 00.000.000/0000-00 is refused for the same reason; it is the only all-equal CNPJ whose check digits match.
- Foreign tax ids are free text: trimmed, upper-cased, 1 to 40 characters, no control characters, no check digits.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from validate_docbr import CNPJ, CPF

from domain.errors import ValidationFailed


class DocumentType(StrEnum):
    CPF = "cpf"
    CNPJ = "cnpj"
    FOREIGN = "foreign"


class InvalidDocument(ValidationFailed):
    """`reason` (empty, characters, length, check_digit_position, repeated, placeholder, check_digits) is stable."""

    code = "invalid_document"

    def __init__(self, message: str, *, document_type: DocumentType, reason: str) -> None:
        # NOTE: the number itself stays out of the context: it is personal data (LGPD) and contexts reach the logs.
        super().__init__(message, field="document_number", document_type=document_type.value, reason=reason)
        self.reason = reason


FOREIGN_MAX_LENGTH = 40
_LABELS = {DocumentType.CPF: "CPF", DocumentType.CNPJ: "CNPJ"}
_LENGTHS = {DocumentType.CPF: 11, DocumentType.CNPJ: 14}
_PLACEHOLDER_CPFS = frozenset({"12345678909"})

_SEPARATORS = re.compile(r"[\s./\-\u2010-\u2015\u2212]+")
_NOT_ASCII_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NOT_ASCII_DIGIT = re.compile(r"[^0-9]")
_CPF_SHAPE = re.compile(r"[0-9]{11}")
_CNPJ_SHAPE = re.compile(r"[0-9A-Z]{12}[0-9]{2}")

_cpf_checker = CPF()  # repeated_digits=False, but we refuse those ourselves first to say so
_cnpj_checker = CNPJ()


def normalize_document(kind: DocumentType | str, raw: str) -> str:
    """Return the stored form of a document typed by a person or read from a file, or raise InvalidDocument."""
    kind = DocumentType(kind)  # a plain "cpf" from a form or a row must not fall through to the CNPJ branch
    if kind is DocumentType.FOREIGN:
        return _normalize_foreign(raw)
    cleaned = _SEPARATORS.sub("", raw)
    if not cleaned:
        raise InvalidDocument(f"Informe o {_LABELS[kind]}.", document_type=kind, reason="empty")
    if kind is DocumentType.CPF:
        return _normalize_cpf(cleaned)
    return _normalize_cnpj(cleaned)


def mask_document(kind: DocumentType | str, normalized: str) -> str:
    """000.000.000-00 / 00.000.000/0000-00 (letters too). Anything not in stored form is shown as it is."""
    # Display must never break a page over one bad legacy row; validation happens when the value is written.
    kind = DocumentType(kind)
    if kind is DocumentType.CPF and _CPF_SHAPE.fullmatch(normalized):
        return _cpf_checker.mask(normalized)
    if kind is DocumentType.CNPJ and _CNPJ_SHAPE.fullmatch(normalized):
        return _cnpj_checker.mask(normalized)
    return normalized


def detect_document_type(raw: str) -> DocumentType | None:
    """Guess CPF (11 digits) or CNPJ (14 characters, last two digits) from the shape alone; None otherwise."""
    cleaned = _SEPARATORS.sub("", raw)
    if _NOT_ASCII_ALNUM.search(cleaned):
        return None
    cleaned = cleaned.upper()
    if _CPF_SHAPE.fullmatch(cleaned):
        return DocumentType.CPF
    if _CNPJ_SHAPE.fullmatch(cleaned):
        return DocumentType.CNPJ
    return None


def cnpj_root(normalized: str) -> str:
    """The company part (first 8 characters). Branches of one root are different documents with the same root."""
    if not _CNPJ_SHAPE.fullmatch(normalized):
        raise ValueError("cnpj_root expects a normalized CNPJ (14 characters, no mask)")
    return normalized[:8]


def search_key(raw: str) -> str:
    """What a quick search compares with stored CPF/CNPJ: the typed text without mask, upper-cased.

    Works for a whole document or its beginning ("123.456" -> "123456"). Returns "" when the text cannot be (part of) a
    CPF or CNPJ (no digit, or characters other than letters, digits and separators), so the caller skips that column.
    """
    cleaned = _SEPARATORS.sub("", raw)
    if not cleaned or _NOT_ASCII_ALNUM.search(cleaned) or not any(ch.isdigit() for ch in cleaned):
        return ""
    return cleaned.upper()


def _normalize_cpf(cleaned: str) -> str:
    kind = DocumentType.CPF
    if bad := _NOT_ASCII_DIGIT.search(cleaned):
        raise InvalidDocument(
            f"CPF inválido: o caractere {_show(bad.group())} não é permitido; o CPF tem só dígitos "
            "(a máscara é opcional).",
            document_type=kind,
            reason="characters",
        )
    _check_length(kind, cleaned)
    if len(set(cleaned)) == 1:
        raise InvalidDocument(
            "CPF inválido: números com todos os dígitos iguais não são aceitos.", document_type=kind, reason="repeated"
        )
    if cleaned in _PLACEHOLDER_CPFS:
        raise InvalidDocument(
            "CPF inválido: 123.456.789-09 é um número de exemplo e não é aceito.",
            document_type=kind,
            reason="placeholder",
        )
    if not _cpf_digits_match(cleaned):
        raise InvalidDocument(
            "CPF inválido: dígitos verificadores não conferem.", document_type=kind, reason="check_digits"
        )
    return cleaned


def _normalize_cnpj(cleaned: str) -> str:
    kind = DocumentType.CNPJ
    # Check before upper-casing: "ß".upper() is "SS", which would slip through as two valid letters.
    if bad := _NOT_ASCII_ALNUM.search(cleaned):
        raise InvalidDocument(
            f"CNPJ inválido: o caractere {_show(bad.group())} não é permitido; o CNPJ tem só letras e dígitos "
            "(a máscara é opcional).",
            document_type=kind,
            reason="characters",
        )
    cleaned = cleaned.upper()
    _check_length(kind, cleaned)
    if not cleaned[12:].isdigit():
        raise InvalidDocument(
            "CNPJ inválido: os dois últimos caracteres são os dígitos verificadores e devem ser números.",
            document_type=kind,
            reason="check_digit_position",
        )
    if len(set(cleaned)) == 1:
        raise InvalidDocument(
            "CNPJ inválido: números com todos os dígitos iguais não são aceitos.", document_type=kind, reason="repeated"
        )
    if not _cnpj_digits_match(cleaned):
        raise InvalidDocument(
            "CNPJ inválido: dígitos verificadores não conferem.", document_type=kind, reason="check_digits"
        )
    return cleaned


def _check_length(kind: DocumentType, cleaned: str) -> None:
    expected, got = _LENGTHS[kind], len(cleaned)
    if got == expected:
        return
    unit = "dígitos" if kind is DocumentType.CPF else "caracteres"
    message = f"{_LABELS[kind]} deve ter {expected} {unit}; foram informados {got}."
    if kind is DocumentType.CPF and got == _LENGTHS[DocumentType.CNPJ]:
        message += " Parece um CNPJ."
    elif kind is DocumentType.CNPJ and got == _LENGTHS[DocumentType.CPF]:
        message += " Parece um CPF."
    elif got < expected and cleaned.isdigit():
        message += (
            " Se o número começa com zero, confira se o zero à esquerda não se perdeu (numa planilha, por exemplo)."
        )
    raise InvalidDocument(message, document_type=kind, reason="length")


def _normalize_foreign(raw: str) -> str:
    kind = DocumentType.FOREIGN
    value = raw.strip().upper()
    if not value:
        raise InvalidDocument("Informe o identificador fiscal estrangeiro.", document_type=kind, reason="empty")
    if len(value) > FOREIGN_MAX_LENGTH:
        raise InvalidDocument(
            f"Identificador fiscal estrangeiro deve ter no máximo {FOREIGN_MAX_LENGTH} caracteres; "
            f"foram informados {len(value)}.",
            document_type=kind,
            reason="length",
        )
    # Control and invisible format characters (tab, newline, zero-width space) come from bad pastes, never from ids.
    if bad := next((ch for ch in value if unicodedata.category(ch).startswith("C")), None):
        raise InvalidDocument(
            f"Identificador fiscal estrangeiro inválido: o caractere {_show(bad)} não é permitido.",
            document_type=kind,
            reason="characters",
        )
    return value


# validate-docbr's validate() re-checks the characters, strips and re-joins the text and tests repetition, all done
# above already, then sums through generators: ~4x the cost of the sums alone, on every document of a 100,000-row
# import. The same weights and remainders, on the cleaned number (tests cross-check them against validate-docbr).
_CNPJ_WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS_2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def _cpf_digits_match(cleaned: str) -> bool:
    """`cleaned`: 11 ASCII digits."""
    digits = [ord(c) - 48 for c in cleaned]
    first = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) * 10 % 11 % 10
    second = sum(d * w for d, w in zip(digits[:10], range(11, 1, -1), strict=True)) * 10 % 11 % 10
    return first == digits[9] and second == digits[10]


def _cnpj_digits_match(cleaned: str) -> bool:
    """`cleaned`: 12 upper-case ASCII letters or digits, then 2 digits."""
    values = [ord(c) - 48 for c in cleaned]
    first = sum(v * w for v, w in zip(values, _CNPJ_WEIGHTS_1, strict=False)) % 11
    second = sum(v * w for v, w in zip(values, _CNPJ_WEIGHTS_2, strict=False)) % 11
    return (0 if first < 2 else 11 - first) == values[12] and (0 if second < 2 else 11 - second) == values[13]


def _show(char: str) -> str:
    """A refused character as a person can read it, even when it is invisible."""
    return f"“{char}”" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


# --- Fast deterministic generators for demo data ---------------------------------------------------------------------
# Seeding a million customers must not take minutes, so the check digits come from precomputed tables of weighted
# sums per block of digits (two sums packed into one int: low 10 bits for DV1, the rest for DV2), not from a library
# call per document. The tests cross-check every generated number against validate-docbr.

_CPF_BASES = 10**9
# Bases our policy refuses: all-equal digits give all-equal CPFs; 123456789 gives the placeholder 123.456.789-09.
_CPF_REFUSED_BASES = sorted({int(str(d) * 9) for d in range(10)} | {123456789})
CPF_SEED_LIMIT = _CPF_BASES - len(_CPF_REFUSED_BASES)  # seeds 0 <= seed < CPF_SEED_LIMIT give distinct CPFs
# An affine map seed -> base is a permutation of range(CPF_SEED_LIMIT) when the multiplier is coprime with the limit;
# it scatters the demo numbers instead of counting 000.000.001-91, 000.000.002-72, ...
_CPF_MULTIPLIER, _CPF_OFFSET = 387_420_489, 104_729  # 3**18 and a prime; gcd(3**18, CPF_SEED_LIMIT) == 1 (tested)
# Refused bases inside the seed range are swapped for the allowed bases above it, keeping the map one-to-one.
_CPF_SPARE_BASES = [b for b in range(CPF_SEED_LIMIT, _CPF_BASES) if b not in _CPF_REFUSED_BASES]
_CPF_SWAPS = dict(zip([b for b in _CPF_REFUSED_BASES if b < CPF_SEED_LIMIT], _CPF_SPARE_BASES, strict=True))

CNPJ_SEED_LIMIT = 10**8  # one seed per 8-digit root
_CNPJ_MULTIPLIER, _CNPJ_OFFSET = 48_271, 7_919  # multiplier coprime with 10**8 (odd, not a multiple of 5)


def _block_table(first_weights: tuple[int, ...], second_weights: tuple[int, ...]) -> list[int]:
    """Packed (DV1 sum, DV2 sum) contribution of every value of a block of digits, indexed by the block's value."""
    table = [0]
    for first, second in zip(first_weights, second_weights, strict=True):
        packed_weight = first | second << 10  # each sum stays below 1024, so packed sums add without carrying over
        table = [partial + digit * packed_weight for partial in table for digit in range(10)]
    return table


# CPF: DV1 weights 10..2 on the 9 base digits; DV2 weights 11..3 on them, plus 2 on DV1. Three blocks of 3 digits.
_CPF_HIGH = _block_table((10, 9, 8), (11, 10, 9))
_CPF_MID = _block_table((7, 6, 5), (8, 7, 6))
_CPF_LOW = _block_table((4, 3, 2), (5, 4, 3))
# CNPJ: DV1 weights 5,4,3,2,9,8,7,6,5,4,3,2; DV2 weights 6,5,4,3,2,9,8,7,6,5,4,3, plus 2 on DV1. Root in two blocks.
_CNPJ_ROOT_HIGH = _block_table((5, 4, 3, 2), (6, 5, 4, 3))
_CNPJ_ROOT_LOW = _block_table((9, 8, 7, 6), (2, 9, 8, 7))
_CNPJ_BRANCH = _block_table((5, 4, 3, 2), (6, 5, 4, 3))
# Check digit straight from a weighted sum (mod 11; 0 when the remainder is below 2): a list index beats a call.
_DV_OF_SUM = [0 if total % 11 < 2 else 11 - total % 11 for total in range(1200)]


def generate_cpf(seed_int: int) -> str:
    """A valid normalized CPF for 0 <= seed_int < CPF_SEED_LIMIT; distinct seeds give distinct CPFs."""
    if not 0 <= seed_int < CPF_SEED_LIMIT:
        raise ValueError(f"seed_int must be in [0, {CPF_SEED_LIMIT})")
    base = (seed_int * _CPF_MULTIPLIER + _CPF_OFFSET) % CPF_SEED_LIMIT
    base = _CPF_SWAPS.get(base, base)
    high, rest = divmod(base, 1_000_000)
    mid, low = divmod(rest, 1000)
    packed = _CPF_HIGH[high] + _CPF_MID[mid] + _CPF_LOW[low]
    dv1 = _DV_OF_SUM[packed & 1023]
    dv2 = _DV_OF_SUM[(packed >> 10) + 2 * dv1]
    return f"{base:09d}{dv1}{dv2}"


def generate_cnpj(seed_int: int, *, branch: int = 1) -> str:
    """A valid normalized numeric CNPJ for 0 <= seed_int < CNPJ_SEED_LIMIT: a root per seed, branch 0001 by default."""
    if not 0 <= seed_int < CNPJ_SEED_LIMIT:
        raise ValueError(f"seed_int must be in [0, {CNPJ_SEED_LIMIT})")
    if not 1 <= branch <= 9999:
        raise ValueError("branch must be in [1, 9999]")  # 0000 is no establishment; it also avoids the all-zero CNPJ
    root = (seed_int * _CNPJ_MULTIPLIER + _CNPJ_OFFSET) % CNPJ_SEED_LIMIT
    high, low = divmod(root, 10_000)
    packed = _CNPJ_ROOT_HIGH[high] + _CNPJ_ROOT_LOW[low] + _CNPJ_BRANCH[branch]
    dv1 = _DV_OF_SUM[packed & 1023]
    dv2 = _DV_OF_SUM[(packed >> 10) + 2 * dv1]
    return f"{root:08d}{branch:04d}{dv1}{dv2}"
