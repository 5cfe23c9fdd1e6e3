"""Billing account rules without a database: status transitions, who may be invoiced, the tax profile's inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.billing_accounts.errors import AccountClosed, AccountSuspended, InvalidAccountTransition
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.billing_accounts.registration import apply_account_fields
from domain.customers.errors import InvalidFields
from domain.taxes.model import CustomerTaxType

NOW = datetime(2026, 7, 1, 12, tzinfo=UTC)


def account(**fields: object) -> BillingAccount:
    return BillingAccount(name="Filial RJ", status=AccountStatus.ACTIVE, withhold_iss=False, **fields)


def test_a_suspended_account_takes_no_new_invoice_and_says_since_when_and_why() -> None:
    acc = account()
    acc.suspend(reason="Inadimplência", now=NOW)
    with pytest.raises(AccountSuspended) as refused:
        acc.ensure_can_invoice()
    assert refused.value.message == (
        "A conta “Filial RJ” está suspensa desde 01/07/2026 e não recebe novas faturas. Motivo: Inadimplência."
    )


def test_only_a_suspended_account_can_be_reactivated_and_reactivation_clears_the_suspension() -> None:
    acc = account()
    with pytest.raises(InvalidAccountTransition):
        acc.reactivate()
    acc.suspend(reason="Inadimplência", now=NOW)
    acc.reactivate()
    assert (acc.status, acc.suspended_at, acc.suspension_reason) == (AccountStatus.ACTIVE, None, None)
    acc.ensure_can_invoice()


def test_closed_is_final() -> None:
    acc = account()
    acc.close(now=NOW)
    for action in (acc.ensure_can_invoice, acc.ensure_changeable, acc.reactivate):
        with pytest.raises((AccountClosed, InvalidAccountTransition)):
            action()
    with pytest.raises(InvalidAccountTransition):
        acc.suspend(reason="x", now=NOW)


def test_an_account_that_withholds_iss_needs_its_rate_and_municipality() -> None:
    acc = account(iss_rate=None, iss_municipality_code=None)
    with pytest.raises(InvalidFields) as refused:
        apply_account_fields(acc, {"withhold_iss": True}, creating=False)
    assert set(refused.value.errors) == {"iss_rate", "iss_municipality_code"}
    with pytest.raises(InvalidFields) as refused:
        apply_account_fields(
            acc, {"withhold_iss": True, "iss_rate": "0.06", "iss_municipality_code": "3550308"}, creating=False
        )
    assert set(refused.value.errors) == {"iss_rate"}
    apply_account_fields(
        acc, {"withhold_iss": True, "iss_rate": Decimal("0.02"), "iss_municipality_code": "3304557"}, creating=False
    )
    acc.customer_tax_type = CustomerTaxType.LUCRO_REAL
    profile = acc.payer_profile()
    assert (profile.withhold_iss, profile.iss_rate, profile.iss_municipality_ibge) == (True, Decimal("0.02"), "3304557")


def test_account_fields_are_normalized_and_every_mistake_is_named() -> None:
    acc = account()
    apply_account_fields(
        acc,
        {
            "name": " Filial  SP ",
            "email": "SP@Alfa.com.br",
            "tax_id": "12.abc.345/01de-35",
            "payment_method": "pix",
            "payment_terms_days": "30",
        },
        creating=True,
    )
    assert (acc.name, acc.email, acc.tax_id, acc.tax_id_type) == (
        "Filial SP",
        "sp@alfa.com.br",
        "12ABC34501DE35",
        "cnpj",
    )
    with pytest.raises(InvalidFields) as refused:
        apply_account_fields(
            acc,
            {
                "name": "",
                "email": "x@",
                "tax_id": "111.111.111-11",
                "payment_terms_days": 400,
                "payment_method": "cheque",
            },
            creating=False,
        )
    assert set(refused.value.errors) == {"name", "email", "tax_id", "payment_terms_days", "payment_method"}
    assert acc.name == "Filial SP"  # nothing was written
