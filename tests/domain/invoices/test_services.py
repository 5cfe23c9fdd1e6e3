"""Invoice use cases on SQLite and PostgreSQL: drafts, finalization, payments, void and write-off, with the statement
and the customer's consolidated figures moving in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.billing_accounts.model import BillingAccount
from domain.catalog import services as catalog
from domain.coupons import services as coupons
from domain.coupons.errors import CouponExhausted
from domain.customers.model import Customer
from domain.errors import BillingError, PermissionDenied, ValidationFailed
from domain.invoices import services as invoices
from domain.invoices.closing import mark_invoice_uncollectible, void_invoice
from domain.invoices.errors import ActionNotAllowed, CustomerNotBillable, PaymentsExist
from domain.invoices.finalize import finalize_invoice
from domain.invoices.model import Invoice, InvoiceStatus, LineType
from domain.payments.services import record_payment, refund_payment
from domain.statements.errors import NegativeBalanceLimitExceeded
from domain.statements.model import StatementItem
from persistence.queries import audit as audit_queries
from persistence.queries import invoices as invoice_queries
from persistence.queries.audit import AuditFilter
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import ISSUED, consulting, draft, make_account, open_invoice
from tests.support.factories import make_operator

TODAY = date.today()


def uow(actor):  # type: ignore[no-untyped-def]
    return SqlUnitOfWork(actor)


def reload(actor, invoice_id: uuid.UUID) -> Invoice:  # type: ignore[no-untyped-def]
    return invoice_queries.invoice_detail(actor, invoice_id).invoice


@dataclass(frozen=True)
class CustomerFigures:
    balance_cents: int
    open_invoices_count: int


def ledger(actor, account_id: uuid.UUID) -> tuple[int, list[tuple[str, int, int]], CustomerFigures]:  # type: ignore[no-untyped-def]
    """The account's balance, its statement (kind, amount, balance after) and its customer's consolidated figures."""
    with uow(actor) as u:
        account = u.session.get_one(BillingAccount, account_id)
        items = u.session.scalars(
            select(StatementItem).where(StatementItem.billing_account_id == account_id).order_by(StatementItem.sequence)
        ).all()
        customer = u.session.get_one(Customer, account.customer_id)
        return (
            account.balance_cents,
            [(str(i.kind), i.amount_cents, i.balance_after_cents) for i in items],
            CustomerFigures(customer.balance_cents, customer.open_invoices_count),
        )


def test_a_one_off_draft_has_values_but_no_number_and_is_audited(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, withhold_ir=True, withhold_csrf=True)
    invoice = draft(admin, account, memo="Projeto de reestruturação")
    assert invoice.status is InvoiceStatus.DRAFT and invoice.number is None
    assert (invoice.total_cents, invoice.withheld_cents, invoice.net_value_cents) == (10_000_00, 615_00, 9_385_00)
    event = audit_queries.list_events(admin, AuditFilter(action="invoice.created")).rows[0]
    assert event.entity_id == str(invoice.id) and event.changes["total_cents"] == [None, 10_000_00]
    assert audit_queries.list_events(admin, AuditFilter(root_id=str(account.customer_id))).rows


def test_the_due_date_defaults_to_the_accounts_payment_terms(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    invoice = invoices.create_invoice(uow(admin), billing_account_id=account.id, lines=[consulting(admin)])
    assert (invoice.due_on - TODAY).days == account.payment_terms_days


@pytest.mark.parametrize(
    ("account_status", "customer_status", "code"),
    [
        ("suspended", "active", "billing_account_suspended"),
        ("closed", "active", "billing_account_closed"),
        ("active", "suspended", CustomerNotBillable.code),
    ],
)
def test_invoices_for_suspended_or_closed_accounts_are_refused(
    org, admin, account_status, customer_status, code
) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, account_status=account_status, customer_status=customer_status)
    with pytest.raises(BillingError) as refusal:
        draft(admin, account)
    assert refusal.value.code == code


def test_editing_a_draft_recomposes_it_and_audits_the_lines(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    invoice = draft(admin, account)
    lines = [consulting(admin, "500.00", "2"), consulting(admin, "250.00", "1", type=LineType.ADDON)]
    updated = invoices.update_invoice_draft(
        uow(admin), invoice_id=invoice.id, lines=lines, due_on=date(2026, 12, 20), manual_discount_cents=50_00
    )
    assert (updated.subtotal_cents, updated.discount_cents, updated.total_cents) == (1250_00, 50_00, 1200_00)
    event = audit_queries.list_events(admin, AuditFilter(action="invoice.lines_changed")).rows[0]
    assert len(event.changes["lines"][1]) == 2


def test_a_draft_can_be_deleted_but_a_finalized_invoice_cannot(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    invoices.delete_invoice_draft(uow(admin), invoice_id=draft(admin, account).id)
    finalized = open_invoice(admin, account)
    with pytest.raises(ActionNotAllowed, match="Excluir rascunho"):
        invoices.delete_invoice_draft(uow(admin), invoice_id=finalized.id)


def test_finalizing_numbers_from_the_gapless_series_and_debits_the_statement(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, withhold_ir=True, withhold_csrf=True)
    first, second = open_invoice(admin, account), open_invoice(admin, account)
    assert (first.number, second.number) == ("INV-000001", "INV-000002")
    assert first.status is InvoiceStatus.OPEN and first.issued_on == ISSUED
    assert (
        first.snapshot["customer"]["document_number"] == reload(admin, first.id).snapshot["customer"]["document_number"]
    )
    balance, items, customer = ledger(admin, account.id)
    assert items == [("debit", -9_385_00, -9_385_00), ("debit", -9_385_00, -18_770_00)]
    assert balance == customer.balance_cents == -18_770_00 and customer.open_invoices_count == 2


def test_a_failed_finalization_gives_its_number_back(org, admin) -> None:  # type: ignore[no-untyped-def]
    prepaid = make_account(org, billing_model="prepaid", allowed_negative_balance_cents=100_00)
    with pytest.raises(NegativeBalanceLimitExceeded):
        open_invoice(admin, prepaid)  # refused after the number was taken: the transaction rolls back
    assert reload(admin, draft(admin, prepaid).id).number is None
    assert open_invoice(admin, make_account(org)).number == "INV-000001"


def test_finalizing_needs_its_permission_and_voiding_needs_invoices_void(org, admin) -> None:  # type: ignore[no-untyped-def]
    auditor, operator = make_operator(org, "auditor"), make_operator(org, "finance_operator")
    account = make_account(org)
    invoice = draft(admin, account)
    with pytest.raises(PermissionDenied, match="INVOICES_FINALIZE"):
        finalize_invoice(uow(auditor), invoice_id=invoice.id)
    finalize_invoice(uow(operator), invoice_id=invoice.id)
    with pytest.raises(PermissionDenied, match="INVOICES_VOID"):
        void_invoice(uow(operator), invoice_id=invoice.id, reason="Emitida por engano")


def test_a_partial_then_a_full_payment_settle_the_net_value(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, withhold_ir=True, withhold_csrf=True)
    invoice = open_invoice(admin, account)
    record_payment(uow(admin), invoice_id=invoice.id, amount_cents=5_000_00, paid_on=TODAY, method="pix")
    assert reload(admin, invoice.id).status is InvoiceStatus.OPEN
    assert reload(admin, invoice.id).outstanding_cents == 4_385_00
    record_payment(uow(admin), invoice_id=invoice.id, amount_cents=4_385_00, paid_on=TODAY, method="boleto")
    paid = reload(admin, invoice.id)
    assert paid.status is InvoiceStatus.PAID and paid.paid_at is not None and paid.amount_paid_cents == 9_385_00
    balance, items, customer = ledger(admin, account.id)
    assert [kind for kind, _, _ in items] == ["debit", "credit", "credit"]
    assert balance == customer.balance_cents == 0 and customer.open_invoices_count == 0
    with pytest.raises(ActionNotAllowed):
        record_payment(uow(admin), invoice_id=invoice.id, amount_cents=1, paid_on=TODAY)


def test_an_overpayment_becomes_credit_that_the_next_invoice_uses_automatically(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    first = open_invoice(admin, account, consulting(admin, "100.00", "1"))
    record_payment(uow(admin), invoice_id=first.id, amount_cents=150_00, paid_on=TODAY)
    assert ledger(admin, account.id)[0] == 50_00
    second = open_invoice(admin, account, consulting(admin, "80.00", "1"))
    assert second.credit_applied_cents == 50_00 and second.total_cents == 30_00 and second.net_value_cents == 30_00
    balance, items, _ = ledger(admin, account.id)
    assert balance == -30_00 and items[-1] == ("debit", -80_00, -30_00)


def test_a_refund_is_a_negative_payment_and_the_invoice_stays_paid(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    invoice = open_invoice(admin, account, consulting(admin, "100.00", "1"))
    record_payment(uow(admin), invoice_id=invoice.id, amount_cents=100_00, paid_on=TODAY)
    refund = refund_payment(
        uow(admin),
        invoice_id=invoice.id,
        amount_cents=40_00,
        refunded_on=TODAY,
        reason="Desconto comercial concedido após o pagamento",
    )
    assert refund.amount_cents == -40_00
    after = reload(admin, invoice.id)
    assert after.status is InvoiceStatus.PAID and after.amount_paid_cents == 60_00
    assert ledger(admin, account.id)[1][-1] == ("reversal", -40_00, -40_00)
    with pytest.raises(ValidationFailed, match="maior que o valor já pago"):
        refund_payment(uow(admin), invoice_id=invoice.id, amount_cents=60_01, refunded_on=TODAY, reason="Teste")


def test_voiding_needs_a_reason_and_no_payments_and_reverses_the_debit(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, withhold_ir=True, withhold_csrf=True)
    invoice = open_invoice(admin, account)
    with pytest.raises(ValidationFailed, match="motivo"):
        void_invoice(uow(admin), invoice_id=invoice.id, reason=" ")
    voided = void_invoice(uow(admin), invoice_id=invoice.id, reason="Emitida em duplicidade")
    assert voided.status is InvoiceStatus.VOID and voided.voided_at and voided.void_reason == "Emitida em duplicidade"
    balance, items, customer = ledger(admin, account.id)
    assert items[-1] == ("reversal", 9_385_00, 0) and balance == customer.balance_cents == 0
    assert customer.open_invoices_count == 0
    event = audit_queries.list_events(admin, AuditFilter(action="invoice.voided")).rows[0]
    assert event.reason == "Emitida em duplicidade"
    paid_in_part = open_invoice(admin, account)
    record_payment(uow(admin), invoice_id=paid_in_part.id, amount_cents=1_00, paid_on=TODAY)
    with pytest.raises(PaymentsExist):
        void_invoice(uow(admin), invoice_id=paid_in_part.id, reason="Emitida em duplicidade")


def test_writing_off_clears_what_was_left_to_collect(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    invoice = open_invoice(admin, account, consulting(admin, "1000.00", "1"))
    record_payment(uow(admin), invoice_id=invoice.id, amount_cents=300_00, paid_on=TODAY)
    written_off = mark_invoice_uncollectible(uow(admin), invoice_id=invoice.id, reason="Falência decretada")
    assert (
        written_off.status is InvoiceStatus.UNCOLLECTIBLE and written_off.uncollectible_reason == "Falência decretada"
    )
    balance, items, customer = ledger(admin, account.id)
    assert items[-1] == ("reversal", 700_00, 0) and balance == 0 and customer.open_invoices_count == 0


def test_the_balance_is_always_the_sum_of_the_statement(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, balance_cents=-1_234_00)  # a legacy balance without items gets an opening item
    invoice = open_invoice(admin, account, consulting(admin, "100.00", "1"))
    record_payment(uow(admin), invoice_id=invoice.id, amount_cents=100_00, paid_on=TODAY)
    balance, items, _ = ledger(admin, account.id)
    assert items[0] == ("debit", -1_234_00, -1_234_00)
    assert balance == sum(amount for _, amount, _ in items) == items[-1][2] == -1_234_00
    running = 0
    for _, amount, after in items:
        running += amount
        assert after == running


def test_a_coupon_is_redeemed_at_finalization_and_its_cap_holds(org, admin) -> None:  # type: ignore[no-untyped-def]
    coupons.create_coupon(uow(admin), code="parceiro10", percent_off=Decimal("0.10"), max_redemptions=1)
    account = make_account(org)
    first = draft(admin, account, consulting(admin, "100.00", "1"), coupon_code="PARCEIRO10")
    second = draft(admin, account, consulting(admin, "100.00", "1"), coupon_code="parceiro10")
    finalized = finalize_invoice(uow(admin), invoice_id=first.id, issued_on=ISSUED)
    assert finalized.discount_cents == 10_00 and finalized.total_cents == 90_00
    with pytest.raises(CouponExhausted):
        finalize_invoice(uow(admin), invoice_id=second.id, issued_on=ISSUED)
    with pytest.raises(CouponExhausted):  # and a new draft cannot use it any more
        draft(admin, account, consulting(admin, "100.00", "1"), coupon_code="PARCEIRO10")


def test_a_prepaid_account_cannot_go_below_its_allowed_negative_balance(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, billing_model="prepaid", balance_cents=50_00, allowed_negative_balance_cents=100_00)
    invoice = open_invoice(admin, account, consulting(admin, "150.00", "1"))  # 50 credit + 100 overdraft: allowed
    assert invoice.credit_applied_cents == 50_00 and ledger(admin, account.id)[0] == -100_00
    with pytest.raises(NegativeBalanceLimitExceeded, match="saldo negativo permitido"):
        open_invoice(admin, account, consulting(admin, "0.01", "1"))


def test_a_postpaid_account_is_invoiced_beyond_its_allowed_negative_balance(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, allowed_negative_balance_cents=0)
    open_invoice(admin, account)
    assert ledger(admin, account.id)[0] == -10_000_00


def test_the_first_payments_date_decides_the_withholding_rules(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, withhold_ir=True, withhold_csrf=True)
    invoice = open_invoice(admin, account, due_on=date(2027, 1, 15))  # due under the 2027 row: only CSLL withheld
    assert invoice.pis_cents == 0 and invoice.net_value_cents == 10_000_00 - 150_00 - 100_00
    record_payment(uow(admin), invoice_id=invoice.id, amount_cents=1_000_00, paid_on=TODAY)  # paid in 2026
    after = reload(admin, invoice.id)
    assert after.pis_cents == 65_00 and after.cofins_cents == 300_00 and after.withholding_on == TODAY
    assert after.net_value_cents == 9_385_00
    _, items, _ = ledger(admin, account.id)
    assert items[1] == ("credit", 365_00, -9_385_00)  # the adjustment: the customer now pays 365,00 less in cash
    assert "csrf-lei-13137-2015" in (after.withholding_rule_version or "")


def test_a_subscription_period_is_invoiced_once(org, admin) -> None:  # type: ignore[no-untyped-def]
    account, subscription = make_account(org), uuid.uuid4()
    kwargs = {
        "billing_account_id": account.id,
        "lines": [consulting(admin)],
        "reason": "subscription_cycle",
        "subscription_id": subscription,
        "period_start": date(2026, 11, 1),
    }
    first = invoices.create_invoice(uow(admin), **kwargs)
    again = invoices.create_invoice(uow(admin), **kwargs)
    assert first.id == again.id
    with uow(admin) as u:
        assert u.session.scalar(select(func.count()).select_from(Invoice)) == 1


def test_tax_rules_per_service_add_tax_to_the_total(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    line = consulting(admin, "1000.00", "1")
    catalog.create_tax_rule(
        uow(admin), name="ISS", rate=Decimal("0.02"), service_item_id=line.service_item_id, municipality_code="3550308"
    )
    invoice = draft(admin, account, line)
    assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents) == (1000_00, 20_00, 1020_00)
