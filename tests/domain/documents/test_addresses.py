"""CEP, UF and IBGE municipality codes against /work/shared/reference (ibge_ufs.csv, ibge_sample.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from domain.documents.addresses import (
    UF_NAMES,
    UF_TABLE,
    IbgeUfMismatch,
    InvalidCep,
    InvalidIbgeCode,
    InvalidUf,
    check_ibge_code_matches_uf,
    mask_cep,
    normalize_cep,
    normalize_ibge_code,
    normalize_uf,
    uf_of_ibge_code,
)
from domain.errors import ValidationFailed

REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "reference"  # copied from ../shared/reference


def _rows(name: str) -> list[dict[str, str]]:
    # A missing reference folder must fail the run, never skip it.
    path = REFERENCE / name
    if not path.is_file():
        raise FileNotFoundError(f"Reference data missing: {path} (tests/fixtures/reference)")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


UF_ROWS = _rows("ibge_ufs.csv")
MUNICIPALITIES = _rows("ibge_sample.csv")


def _mod10_check_digit_ok(code: str) -> bool:
    """The usual IBGE 7th-digit rule (weights 1,2,1,2,1,2, sum of the products' digits), which real codes break."""
    total = sum(
        sum(divmod(int(digit) * weight, 10)) for digit, weight in zip(code[:6], (1, 2, 1, 2, 1, 2), strict=True)
    )
    return (10 - total % 10) % 10 == int(code[6])


# --- CEP -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["01310-100", "01310100", " 01310100 ", "01.310-100", "\u00a001310-100\t"])
def test_a_cep_is_accepted_with_or_without_mask_and_stored_as_eight_digits(raw: str) -> None:
    assert normalize_cep(raw) == "01310100"


def test_a_cep_is_shown_as_five_digits_dash_three() -> None:
    assert mask_cep("01310100") == "01310-100"
    assert normalize_cep(mask_cep("70040010")) == "70040010"


def test_a_value_not_in_stored_form_is_shown_as_it_is() -> None:
    assert mask_cep("1310-10") == "1310-10"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Informe o CEP."),
        ("   ", "Informe o CEP."),
        ("1310-100", "CEP deve ter 8 dígitos, no formato 00000-000; foram informados 7."),
        ("013101000", "CEP deve ter 8 dígitos, no formato 00000-000; foram informados 9."),
        ("01310-10A", "CEP inválido: use só dígitos, no formato 00000-000."),
        ("01310/100", "CEP inválido: use só dígitos, no formato 00000-000."),
        ("".join(chr(ord(d) + 0xFEE0) for d in "01310100"), "CEP inválido: use só dígitos, no formato 00000-000."),
        ("00000-000", "CEP inválido: 00000-000 não existe."),
    ],
)
def test_a_malformed_cep_is_refused_saying_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(InvalidCep) as caught:
        normalize_cep(raw)
    assert (caught.value.code, caught.value.field, caught.value.message) == ("invalid_cep", "cep", message)
    assert isinstance(caught.value, ValidationFailed)


# --- UF --------------------------------------------------------------------------------------------------------------


def test_the_uf_table_is_exactly_the_27_units_of_the_ibge_reference() -> None:
    assert len(UF_ROWS) == 27
    assert list(UF_TABLE) == [(row["codigo_uf"], row["uf"], row["nome"]) for row in UF_ROWS]


@pytest.mark.parametrize("uf", [row["uf"] for row in UF_ROWS])
def test_every_uf_is_accepted_in_any_case_and_stored_upper_case(uf: str) -> None:
    assert normalize_uf(uf.lower()) == uf
    assert normalize_uf(f" {uf[0]}{uf[1].lower()} ") == uf


@pytest.mark.parametrize("raw", ["XX", "BR", "S", "SPP", "São Paulo", "S P"])
def test_an_unknown_uf_is_refused_naming_what_was_typed(raw: str) -> None:
    with pytest.raises(InvalidUf) as caught:
        normalize_uf(raw)
    assert (caught.value.code, caught.value.field) == ("invalid_uf", "uf")
    assert caught.value.message.startswith(f"UF inválida: “{raw.strip().upper()}”.")


def test_an_empty_uf_is_refused_asking_for_it() -> None:
    with pytest.raises(InvalidUf, match=r"^Informe a UF\.$"):
        normalize_uf("  ")


def test_uf_names_are_available_for_pick_lists() -> None:
    assert UF_NAMES["SP"] == "São Paulo"
    assert UF_NAMES["DF"] == "Distrito Federal"


# --- IBGE municipality code ------------------------------------------------------------------------------------------


def test_the_municipality_sample_holds_the_capitals_and_the_check_digit_exceptions() -> None:
    assert len(MUNICIPALITIES) == 46
    assert sum(row["capital"] == "1" for row in MUNICIPALITIES) == 27
    assert [row["codigo_ibge"] for row in MUNICIPALITIES if row["ibge_dv_mod10_ok"] == "no"] == [
        "2201919",
        "3117836",
        "4305871",
    ]


@pytest.mark.parametrize("row", MUNICIPALITIES, ids=lambda row: f"{row['codigo_ibge']}-{row['municipio']}")
def test_every_sample_municipality_code_is_accepted_and_belongs_to_its_uf(row: dict[str, str]) -> None:
    code, uf = row["codigo_ibge"], row["uf"]
    assert normalize_ibge_code(f" {code} ") == code
    assert uf_of_ibge_code(code) == uf
    check_ibge_code_matches_uf(code, uf)  # does not raise


@pytest.mark.parametrize("code", ["2201919", "3117836", "4305871", "2201988", "5203939", "5203962", "2202251"])
def test_a_real_code_that_fails_the_mod10_check_digit_is_still_accepted(code: str) -> None:
    assert not _mod10_check_digit_ok(code)  # proves the sample really breaks the rule
    assert normalize_ibge_code(code) == code


def test_the_mod10_helper_agrees_with_the_sample_flags() -> None:
    # Guards the previous test: the helper must reproduce the reference's own "ibge_dv_mod10_ok" column.
    assert all(
        _mod10_check_digit_ok(row["codigo_ibge"]) == (row["ibge_dv_mod10_ok"] == "yes") for row in MUNICIPALITIES
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Informe o código IBGE do município."),
        ("355030", "Código IBGE do município deve ter 7 dígitos, por exemplo 3550308 (São Paulo)."),
        ("35503080", "Código IBGE do município deve ter 7 dígitos, por exemplo 3550308 (São Paulo)."),
        ("35503O8", "Código IBGE do município deve ter 7 dígitos, por exemplo 3550308 (São Paulo)."),
        ("3050308", "Código IBGE 3050308 inválido: começa com 30, que não é o código de nenhuma UF."),
        ("0050308", "Código IBGE 0050308 inválido: começa com 00, que não é o código de nenhuma UF."),
        ("4300001", "Código IBGE 4300001 é de uma área (Lagoa Mirim), não de um município."),
        ("4300002", "Código IBGE 4300002 é de uma área (Lagoa dos Patos), não de um município."),
    ],
)
def test_a_malformed_ibge_code_is_refused_saying_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(InvalidIbgeCode) as caught:
        normalize_ibge_code(raw)
    assert (caught.value.code, caught.value.field, caught.value.message) == ("invalid_ibge_code", "ibge_code", message)


def test_only_the_27_uf_codes_can_start_an_ibge_code() -> None:
    uf_codes = {row["codigo_uf"] for row in UF_ROWS}
    accepted = {f"{prefix:02d}" for prefix in range(100) if _accepts_ibge(f"{prefix:02d}00000")}
    assert accepted == uf_codes


def _accepts_ibge(code: str) -> bool:
    try:
        normalize_ibge_code(code)
    except InvalidIbgeCode:
        return False
    return True


def test_an_ibge_code_from_another_uf_than_the_address_is_refused() -> None:
    with pytest.raises(IbgeUfMismatch) as caught:
        check_ibge_code_matches_uf("3550308", "RJ")
    error = caught.value
    assert (error.code, error.field) == ("ibge_uf_mismatch", "ibge_code")
    assert error.message == "O código IBGE 3550308 é de um município de SP, mas a UF informada é RJ."
    assert isinstance(error, ValidationFailed)


def test_the_same_municipality_name_in_two_ufs_is_told_apart_by_the_code() -> None:
    bom_jesus = {row["uf"]: row["codigo_ibge"] for row in MUNICIPALITIES if row["municipio"] == "Bom Jesus"}
    assert {uf_of_ibge_code(code) for code in bom_jesus.values()} == {"PI", "RS"}
    with pytest.raises(IbgeUfMismatch):
        check_ibge_code_matches_uf(bom_jesus["PI"], "RS")
