"""CPF, CNPJ and foreign tax ids against the peer libraries' vectors (shared/reference/documents) and our policy."""

from __future__ import annotations

import ast
import csv
import re
import time
from collections.abc import Callable
from math import gcd
from pathlib import Path

import pytest
from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf
from validate_docbr import CPF

from domain.documents import tax_ids
from domain.documents.tax_ids import (
    CNPJ_SEED_LIMIT,
    CPF_SEED_LIMIT,
    DocumentType,
    InvalidDocument,
    cnpj_root,
    detect_document_type,
    generate_cnpj,
    generate_cpf,
    mask_document,
    normalize_document,
    search_key,
)
from domain.errors import ValidationFailed

CPF_KIND, CNPJ_KIND, FOREIGN = DocumentType.CPF, DocumentType.CNPJ, DocumentType.FOREIGN
REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "documents"  # from ../shared


def _reference_file(name: str) -> Path:
    # A missing reference folder must fail the run, never skip it: these vectors are the evidence for the validator.
    path = REFERENCE / name
    if not path.is_file():
        raise FileNotFoundError(f"Reference vectors missing: {path} (tests/fixtures/reference)")
    return path


def _lines(name: str) -> list[str]:
    return [line for line in _reference_file(name).read_text(encoding="utf-8").splitlines() if line]


def _rows(name: str) -> list[dict[str, str]]:
    with _reference_file(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


KIND_OF = {"cpf": CPF_KIND, "cnpj": CNPJ_KIND, "cnpj_alnum": CNPJ_KIND}
VALID_FILES = {"cpf_valid.txt": CPF_KIND, "cnpj_valid.txt": CNPJ_KIND, "cnpj_alnum_valid.txt": CNPJ_KIND}
INVALID_FILES = {"cpf_invalid.txt": CPF_KIND, "cnpj_invalid.txt": CNPJ_KIND, "cnpj_alnum_invalid.txt": CNPJ_KIND}
VALID_LINES = [(kind, line) for name, kind in VALID_FILES.items() for line in _lines(name)]
INVALID_LINES = [(kind, line) for name, kind in INVALID_FILES.items() for line in _lines(name)]
VECTOR_ROWS = _rows("vectors.csv")
POLICY_ROWS = _rows("policy_dependent.csv")

# What each refusal reason must say, so that the finance user knows what to fix.
REASON_PHRASES = {
    "empty": "Informe",
    "characters": "não é permitido",
    "length": "deve ter",
    "check_digit_position": "devem ser números",
    "repeated": "todos os dígitos iguais",
    "placeholder": "número de exemplo",
    "check_digits": "dígitos verificadores não conferem",
}

# Our decision for every input of policy_dependent.csv (the policy itself is written at the top of tax_ids.py).
ACCEPTED_BY_POLICY = {
    # Separators are ignored wherever and however many: spaces, a Unicode EN DASH, duplicated mask characters.
    "12. ABC.345 /01DE\u201335": "12ABC34501DE35",  # EN DASH
    "295......379.955-93": "29537995593",
    "295.379.955--93": "29537995593",
    "295..379..955-93": "29537995593",
    "12......ABC.345/01DE-35": "12ABC34501DE35",
    "12.A-----BC.345/01DE-35": "12ABC34501DE35",
    "54.550.752/////0001-55": "54550752000155",
    "54.550.752/0001---55": "54550752000155",
    # Lower-case letters of an alphanumeric CNPJ are stored upper-case.
    "12.aBc.345/01dE-35": "12ABC34501DE35",
    "12abc34501de35": "12ABC34501DE35",
    "12.abc.345/01de-35": "12ABC34501DE35",
}
REFUSED_BY_POLICY = {
    **{f"{d * 3}.{d * 3}.{d * 3}-{d * 2}": "repeated" for d in "0123456789"},
    **{d * 11: "repeated" for d in "0123456789"},
    "00000000000000": "repeated",
    "12345678909": "placeholder",
    "9380826044": "length",  # 10 digits: we do not guess the missing leading zero
}


# The CPF 390.533.447-05 in full-width digits, as East Asian input methods type it.
FULL_WIDTH_CPF = "".join(chr(ord(digit) + 0xFEE0) for digit in "39053344705")


def _refusal(kind: DocumentType, raw: str) -> InvalidDocument:
    with pytest.raises(InvalidDocument) as caught:
        normalize_document(kind, raw)
    return caught.value


def _assert_clear_refusal(error: InvalidDocument, kind: DocumentType) -> None:
    assert error.code == "invalid_document"
    assert error.field == "document_number"
    assert error.message.startswith(kind.name) or error.message.startswith("Informe")
    assert error.message.endswith(".")
    assert REASON_PHRASES[error.reason] in error.message


def _compact(raw: str) -> str:
    """Independent of the module under test: the cleaning SOURCES.md asks a harness to do."""
    return re.sub(r"[./\- \u2013]", "", raw).upper()


# --- The shared reference vectors ------------------------------------------------------------------------------------


def test_the_reference_folder_holds_every_list_described_in_sources_md() -> None:
    counts = {name: len(_lines(name)) for name in [*VALID_FILES, *INVALID_FILES]}
    assert counts == {
        "cpf_valid.txt": 9,
        "cnpj_valid.txt": 34,
        "cnpj_alnum_valid.txt": 5,
        "cpf_invalid.txt": 18,
        "cnpj_invalid.txt": 30,
        "cnpj_alnum_invalid.txt": 8,
    }
    assert len(VECTOR_ROWS) == 142
    assert len(POLICY_ROWS) == 36


@pytest.mark.parametrize(("kind", "raw"), VALID_LINES)
def test_every_valid_reference_document_is_accepted_and_stored_without_mask(kind: DocumentType, raw: str) -> None:
    assert normalize_document(kind, raw) == _compact(raw)


@pytest.mark.parametrize(("kind", "raw"), INVALID_LINES)
def test_every_invalid_reference_document_is_refused_with_a_clear_message(kind: DocumentType, raw: str) -> None:
    _assert_clear_refusal(_refusal(kind, raw), kind)


@pytest.mark.parametrize("row", VECTOR_ROWS, ids=lambda row: f"{row['doc_type']}:{row['value']}")
def test_every_row_of_vectors_csv_gets_the_sources_verdict_or_our_policy(row: dict[str, str]) -> None:
    kind, raw = KIND_OF[row["doc_type"]], row["value"]
    if row["category"] == "policy":
        _assert_follows_policy(kind, raw)
    elif row["expected"] == "valid":
        assert normalize_document(kind, raw) == _compact(raw)
    else:
        _assert_clear_refusal(_refusal(kind, raw), kind)


@pytest.mark.parametrize("row", POLICY_ROWS, ids=lambda row: f"{row['doc_type']}:{row['value']}")
def test_every_policy_dependent_input_follows_our_written_policy(row: dict[str, str]) -> None:
    _assert_follows_policy(KIND_OF[row["doc_type"]], row["value"])


def _assert_follows_policy(kind: DocumentType, raw: str) -> None:
    assert (raw in ACCEPTED_BY_POLICY) != (raw in REFUSED_BY_POLICY), f"no policy decision for {raw!r}"
    if raw in ACCEPTED_BY_POLICY:
        assert normalize_document(kind, raw) == ACCEPTED_BY_POLICY[raw]
    else:
        error = _refusal(kind, raw)
        _assert_clear_refusal(error, kind)
        assert error.reason == REFUSED_BY_POLICY[raw]


@pytest.mark.parametrize(("kind", "raw"), VALID_LINES)
def test_python_stdnum_agrees_that_the_valid_reference_documents_are_valid(kind: DocumentType, raw: str) -> None:
    module = stdnum_cpf if kind is CPF_KIND else stdnum_cnpj
    assert module.is_valid(_compact(raw))


# --- Policy, one behaviour at a time ---------------------------------------------------------------------------------


def test_surrounding_spaces_tabs_and_non_breaking_spaces_are_tolerated() -> None:
    assert normalize_document(CPF_KIND, "  390.533.447-05\t") == "39053344705"
    assert normalize_document(CNPJ_KIND, "\u00a012.ABC.345/01DE-35 \n") == "12ABC34501DE35"


def test_repeated_digit_cpfs_are_refused_although_their_check_digits_match() -> None:
    lenient = CPF(repeated_digits=True)
    for digit in "0123456789":
        assert lenient.validate(digit * 11)  # the arithmetic alone would accept it
        error = _refusal(CPF_KIND, digit * 11)
        assert error.message == "CPF inválido: números com todos os dígitos iguais não são aceitos."


def test_the_placeholder_cpf_123_456_789_09_is_refused_as_an_example_number() -> None:
    assert stdnum_cpf.is_valid("12345678909")  # its check digits are right
    assert _refusal(CPF_KIND, "123.456.789-09").message == (
        "CPF inválido: 123.456.789-09 é um número de exemplo e não é aceito."
    )


def test_a_cpf_that_lost_its_leading_zero_is_refused_with_a_hint_instead_of_being_padded() -> None:
    error = _refusal(CPF_KIND, "9380826044")
    assert error.reason == "length"
    assert error.message.startswith("CPF deve ter 11 dígitos; foram informados 10.")
    assert "zero à esquerda" in error.message
    assert normalize_document(CPF_KIND, "09380826044") == "09380826044"  # the padded number itself is fine


def test_a_wrong_check_digit_is_reported_as_such() -> None:
    assert _refusal(CPF_KIND, "231.002.999-00").message == "CPF inválido: dígitos verificadores não conferem."
    assert _refusal(CNPJ_KIND, "12.ABC.345/01DE-34").message == "CNPJ inválido: dígitos verificadores não conferem."


def test_the_alphanumeric_cnpj_accepts_only_the_check_digits_of_the_receita_example() -> None:
    # ALGORITHMS.md works 12.ABC.345/01DE out by hand (ASCII - 48): DV1 = 3, DV2 = 5.
    accepted = [dv for dv in range(100) if _accepts(CNPJ_KIND, f"12ABC34501DE{dv:02d}")]
    assert accepted == [35]


def _accepts(kind: DocumentType, raw: str) -> bool:
    try:
        normalize_document(kind, raw)
    except InvalidDocument:
        return False
    return True


def test_the_document_type_may_be_given_as_its_plain_stored_value() -> None:
    assert normalize_document("cpf", "390.533.447-05") == "39053344705"
    assert normalize_document("foreign", " de 1 ") == "DE 1"
    assert mask_document("cnpj", "07195358000166") == "07.195.358/0001-66"


def test_a_cnpj_is_stored_as_fourteen_characters_keeping_its_leading_zero() -> None:
    assert normalize_document(CNPJ_KIND, "07.195.358/0001-66") == "07195358000166"


def test_the_wrong_kind_of_document_is_refused_saying_what_it_looks_like() -> None:
    assert (
        _refusal(CPF_KIND, "04.255.791/0001-44").message
        == "CPF deve ter 11 dígitos; foram informados 14. Parece um CNPJ."
    )
    assert _refusal(CNPJ_KIND, "390.533.447-05").message == (
        "CNPJ deve ter 14 caracteres; foram informados 11. Parece um CPF."
    )


def test_letters_in_the_check_digit_positions_of_a_cnpj_are_refused() -> None:
    error = _refusal(CNPJ_KIND, "12ABC34501DE3A")
    assert error.reason == "check_digit_position"
    assert (
        error.message == "CNPJ inválido: os dois últimos caracteres são os dígitos verificadores e devem ser números."
    )


@pytest.mark.parametrize(
    ("kind", "raw", "shown"),
    [
        (CPF_KIND, "390.533.447=05", "“=”"),
        (CPF_KIND, "390533447O5", "“O”"),  # letter O typed for a zero
        (CNPJ_KIND, "74600269000145_", "“_”"),
        (CNPJ_KIND, "12ABC34501DE\u200b35", "U+200B"),  # zero-width space, invisible on screen
        (CPF_KIND, FULL_WIDTH_CPF, f"“{FULL_WIDTH_CPF[0]}”"),  # full-width digits pass str.isdigit()
        (CNPJ_KIND, "12ABC34501Dß35", "“ß”"),  # "ß".upper() == "SS" would otherwise forge two letters
    ],
)
def test_a_character_that_is_not_a_separator_is_refused_and_named(kind: DocumentType, raw: str, shown: str) -> None:
    error = _refusal(kind, raw)
    assert error.reason == "characters"
    assert shown in error.message


@pytest.mark.parametrize(
    ("kind", "raw"),
    [(kind, raw) for kind in (CPF_KIND, CNPJ_KIND) for raw in ("", "   ", " .-/ ")]
    + [(FOREIGN, ""), (FOREIGN, " \t ")],
)
def test_an_empty_document_is_refused_asking_for_it(kind: DocumentType, raw: str) -> None:
    error = _refusal(kind, raw)
    assert error.reason == "empty"
    assert error.message.startswith("Informe o ")


def test_a_refusal_is_a_validation_failure_that_keeps_the_number_out_of_its_context() -> None:
    error = _refusal(CPF_KIND, "231.002.999-00")
    assert isinstance(error, ValidationFailed)
    assert error.http_status == 422
    assert error.context == {"document_type": "cpf", "reason": "check_digits"}
    assert "231" not in error.message  # personal data (LGPD) stays out of messages that reach logs


# --- Foreign tax ids -------------------------------------------------------------------------------------------------


def test_a_foreign_tax_id_is_trimmed_and_upper_cased_and_keeps_its_inner_spaces() -> None:
    assert normalize_document(FOREIGN, "  de 123 456 789 ") == "DE 123 456 789"
    assert normalize_document(FOREIGN, "x" * 40) == "X" * 40


def test_a_foreign_tax_id_longer_than_forty_characters_is_refused() -> None:
    error = _refusal(FOREIGN, "x" * 41)
    assert error.message == "Identificador fiscal estrangeiro deve ter no máximo 40 caracteres; foram informados 41."


def test_a_foreign_tax_id_with_a_control_character_is_refused() -> None:
    error = _refusal(FOREIGN, "US12\n3456")
    assert error.reason == "characters"
    assert "U+000A" in error.message


# --- Masking, detection, root, search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "normalized", "masked"),
    [
        (CPF_KIND, "39053344705", "390.533.447-05"),
        (CNPJ_KIND, "07195358000166", "07.195.358/0001-66"),
        (CNPJ_KIND, "12ABC34501DE35", "12.ABC.345/01DE-35"),
        (CNPJ_KIND, "AA345678000A29", "AA.345.678/000A-29"),
        (FOREIGN, "DE 123 456 789", "DE 123 456 789"),
    ],
)
def test_a_stored_document_is_shown_with_its_mask(kind: DocumentType, normalized: str, masked: str) -> None:
    assert mask_document(kind, normalized) == masked


@pytest.mark.parametrize(("kind", "raw"), VALID_LINES)
def test_masking_round_trips_through_normalization(kind: DocumentType, raw: str) -> None:
    stored = normalize_document(kind, raw)
    assert normalize_document(kind, mask_document(kind, stored)) == stored


def test_a_value_not_in_stored_form_is_shown_as_it_is_rather_than_breaking_the_page() -> None:
    assert mask_document(CPF_KIND, "123") == "123"
    assert mask_document(CNPJ_KIND, "12abc34501de35") == "12abc34501de35"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("390.533.447-05", CPF_KIND),
        ("39053344705", CPF_KIND),
        ("07.195.358/0001-66", CNPJ_KIND),
        ("12.abc.345/01de-35", CNPJ_KIND),
        ("2953799559", None),
        ("12ABC34501DE3A", None),  # letters where the check digits go
        ("ABC12345678", None),  # 11 characters with letters is no CPF
        ("Maria Silva", None),
        ("", None),
    ],
)
def test_the_document_type_is_detected_from_its_shape(raw: str, expected: DocumentType | None) -> None:
    assert detect_document_type(raw) is expected


def test_branches_of_one_company_share_the_cnpj_root_but_are_different_documents() -> None:
    head_office, branch = generate_cnpj(42), generate_cnpj(42, branch=2)
    assert head_office != branch
    assert cnpj_root(head_office) == cnpj_root(branch) == head_office[:8]
    assert cnpj_root("AA345678000114") == cnpj_root("AA345678000A29") == "AA345678"


def test_cnpj_root_refuses_a_masked_value() -> None:
    with pytest.raises(ValueError, match="normalized CNPJ"):
        cnpj_root("12.ABC.345/01DE-35")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("390.533.447-05", "39053344705"),
        (" 39053344705 ", "39053344705"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
        ("07.195", "07195"),  # the beginning of a document
        ("Maria", ""),  # no digit: not a document
        ("maria@example.com", ""),
    ],
)
def test_a_quick_search_compares_masked_and_unmasked_documents_in_stored_form(raw: str, key: str) -> None:
    assert search_key(raw) == key


def test_the_search_key_of_a_whole_document_is_its_stored_form() -> None:
    for kind, raw in VALID_LINES:
        assert search_key(raw) == normalize_document(kind, raw)


# --- Demo generators -------------------------------------------------------------------------------------------------


def test_generated_cpfs_are_valid_distinct_and_deterministic() -> None:
    seeds = [*range(3000), *range(CPF_SEED_LIMIT - 1000, CPF_SEED_LIMIT)]
    cpfs = [generate_cpf(seed) for seed in seeds]
    assert all(normalize_document(CPF_KIND, cpf) == cpf for cpf in cpfs)
    assert all(stdnum_cpf.is_valid(cpf) for cpf in cpfs)  # a second, independent implementation
    assert len(set(cpfs)) == len(cpfs)
    assert generate_cpf(123) == generate_cpf(123)


def test_generated_cnpjs_are_valid_distinct_and_deterministic() -> None:
    seeds = [*range(3000), *range(CNPJ_SEED_LIMIT - 1000, CNPJ_SEED_LIMIT)]
    cnpjs = [generate_cnpj(seed) for seed in seeds]
    assert all(normalize_document(CNPJ_KIND, cnpj) == cnpj for cnpj in cnpjs)
    assert all(stdnum_cnpj.is_valid(cnpj) for cnpj in cnpjs)
    assert all(cnpj[8:12] == "0001" for cnpj in cnpjs)  # head offices
    assert len(set(cnpjs)) == len(cnpjs)
    assert generate_cnpj(123) == generate_cnpj(123)


@pytest.mark.parametrize("branch", [1, 2, 37, 500, 9999])
def test_generated_branch_cnpjs_are_valid(branch: int) -> None:
    for seed in range(0, CNPJ_SEED_LIMIT, 99_991):
        cnpj = generate_cnpj(seed, branch=branch)
        assert normalize_document(CNPJ_KIND, cnpj) == cnpj
        assert cnpj[8:12] == f"{branch:04d}"


def test_the_cpf_generator_never_produces_a_number_our_policy_refuses() -> None:
    # The seeds whose scrambled base would be a refused base (all digits equal, 123456789) are found by inverting the
    # affine map; each must be swapped for a valid CPF that no other seed produces.
    multiplier, offset = tax_ids._CPF_MULTIPLIER, tax_ids._CPF_OFFSET
    assert gcd(multiplier, CPF_SEED_LIMIT) == 1  # so the map is a permutation
    inverse = pow(multiplier, -1, CPF_SEED_LIMIT)
    refused = [int(d * 9) for d in "0123456789"] + [123456789]
    seeds = [(base - offset) * inverse % CPF_SEED_LIMIT for base in refused if base < CPF_SEED_LIMIT]
    assert len(seeds) == 10
    cpfs = {generate_cpf(seed) for seed in seeds}
    assert all(normalize_document(CPF_KIND, cpf) == cpf for cpf in cpfs)
    assert len(cpfs) == len(seeds)
    assert all(int(cpf[:9]) >= CPF_SEED_LIMIT for cpf in cpfs)  # spares: bases no other seed reaches


@pytest.mark.parametrize(
    ("call", "seed"),
    [(generate_cpf, -1), (generate_cpf, CPF_SEED_LIMIT), (generate_cnpj, -1), (generate_cnpj, CNPJ_SEED_LIMIT)],
)
def test_a_seed_outside_the_generator_range_is_refused(call: Callable[[int], str], seed: int) -> None:
    with pytest.raises(ValueError, match="seed_int"):
        call(seed)


@pytest.mark.parametrize("branch", [0, 10_000])
def test_a_branch_outside_0001_to_9999_is_refused(branch: int) -> None:
    with pytest.raises(ValueError, match="branch"):
        generate_cnpj(1, branch=branch)


def test_the_generators_are_fast_enough_to_seed_a_million_customers() -> None:
    # ~700k/s on an idle 2-core machine; a library call per document gives ~20k/s. Best of 3 and a low bar absorb a
    # machine busy with the parallel test run.
    count = 50_000
    for generate in (generate_cpf, generate_cnpj):
        best = min(_seconds(generate, count) for _ in range(3))
        assert count / best > 60_000, f"{generate.__name__}: {count / best:,.0f} documents/s"


def _seconds(generate: Callable[[int], str], count: int) -> float:
    start = time.perf_counter()
    for seed in range(count):
        generate(seed)
    return time.perf_counter() - start


# --- Boundaries ------------------------------------------------------------------------------------------------------


def test_the_documents_module_imports_only_the_standard_library_validate_docbr_and_domain_errors() -> None:
    forbidden = ("sqlalchemy", "nicegui", "huey", "pandas", "persistence", "ui", "jobs", "reports")
    for module in ("tax_ids.py", "addresses.py"):
        tree = ast.parse((Path(tax_ids.__file__).parent / module).read_text(encoding="utf-8"))
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [name for name in names if name.split(".")[0] in forbidden], module
