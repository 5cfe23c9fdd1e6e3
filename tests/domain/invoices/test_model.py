"""The invoice state machine: each state allows exactly its actions, refusals say what is possible instead."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.access.permissions import Actor, Permission
from domain.errors import Conflict
from domain.invoices.errors import ActionNotAllowed, EmptyInvoice, ReasonRequired
from domain.invoices.model import ACTIONS, ALLOWED_ACTIONS, InvoiceAction, InvoiceStatus
from tests.domain.invoices.builders import invoice, line

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
A = InvoiceAction


def finalized(net_cents: int = 100_00):  # type: ignore[no-untyped-def]
    inv = invoice(line("100.00"))
    inv.lines[0].amount_cents = inv.total_cents = inv.net_value_cents = net_cents
    inv.finalize(number="INV-000001", issued_on=date(2026, 11, 20), at=NOW, snapshot={})
    return inv


def test_each_state_lists_its_actions_in_one_table() -> None:
    assert ALLOWED_ACTIONS[InvoiceStatus.DRAFT] == (A.EDIT, A.FINALIZE, A.DELETE, A.DOWNLOAD_PDF)
    assert ALLOWED_ACTIONS[InvoiceStatus.OPEN] == (
        A.RECORD_PAYMENT,
        A.REFUND,
        A.VOID,
        A.MARK_UNCOLLECTIBLE,
        A.DOWNLOAD_PDF,
    )
    assert ALLOWED_ACTIONS[InvoiceStatus.PAID] == (A.REFUND, A.DOWNLOAD_PDF)
    assert ALLOWED_ACTIONS[InvoiceStatus.VOID] == (A.DOWNLOAD_PDF,)
    assert ALLOWED_ACTIONS[InvoiceStatus.UNCOLLECTIBLE] == (A.DOWNLOAD_PDF,)
    assert set(ALLOWED_ACTIONS) == set(InvoiceStatus)


def test_finalizing_a_draft_numbers_it_and_opens_it() -> None:
    inv = finalized()
    assert inv.status is InvoiceStatus.OPEN
    assert inv.number == "INV-000001" and inv.issued_on == date(2026, 11, 20) and inv.finalized_at == NOW


def test_finalizing_an_empty_draft_is_refused() -> None:
    inv = invoice()
    with pytest.raises(EmptyInvoice):
        inv.finalize(number="INV-000001", issued_on=date(2026, 11, 20), at=NOW, snapshot={})
    assert inv.status is InvoiceStatus.DRAFT and inv.number is None


def test_an_invoice_fully_covered_by_credit_is_paid_on_finalization() -> None:
    assert finalized(net_cents=0).status is InvoiceStatus.PAID


def test_a_finalized_invoice_cannot_be_finalized_or_edited_again_and_the_message_lists_what_is_possible() -> None:
    inv = finalized()
    with pytest.raises(ActionNotAllowed) as refusal:
        inv.ensure_allows(A.EDIT)
    assert isinstance(refusal.value, Conflict)
    assert "em aberto" in refusal.value.message and "Registrar pagamento" in refusal.value.message
    with pytest.raises(ActionNotAllowed):
        inv.finalize(number="INV-000002", issued_on=date(2026, 11, 21), at=NOW, snapshot={})
    assert inv.number == "INV-000001"


def test_payments_reaching_the_net_value_settle_the_invoice() -> None:
    inv = finalized(net_cents=100_00)
    assert inv.register_payment(40_00, at=NOW) is False and inv.status is InvoiceStatus.OPEN
    assert inv.outstanding_cents == 60_00
    assert inv.register_payment(60_00, at=NOW) is True
    assert inv.status is InvoiceStatus.PAID and inv.paid_at == NOW and inv.outstanding_cents == 0


def test_a_refund_leaves_a_paid_invoice_paid() -> None:
    inv = finalized(net_cents=100_00)
    inv.register_payment(100_00, at=NOW)
    inv.register_payment(-30_00, at=NOW)
    assert inv.status is InvoiceStatus.PAID and inv.amount_paid_cents == 70_00


@pytest.mark.parametrize("final", [InvoiceStatus.VOID, InvoiceStatus.UNCOLLECTIBLE])
def test_void_and_uncollectible_are_final(final: InvoiceStatus) -> None:
    inv = finalized()
    if final is InvoiceStatus.VOID:
        inv.void(reason="Emitida em duplicidade", at=NOW)
        assert inv.voided_at == NOW and inv.void_reason == "Emitida em duplicidade"
    else:
        inv.mark_uncollectible(reason="Cliente em recuperação judicial", at=NOW)
        assert inv.uncollectible_at == NOW
    for action in (A.RECORD_PAYMENT, A.VOID, A.MARK_UNCOLLECTIBLE, A.EDIT, A.REFUND):
        with pytest.raises(ActionNotAllowed):
            inv.ensure_allows(action)


def test_void_and_write_off_need_a_reason() -> None:
    inv = finalized()
    with pytest.raises(ReasonRequired):
        inv.void(reason="  ", at=NOW)
    with pytest.raises(ReasonRequired):
        inv.mark_uncollectible(reason="", at=NOW)
    assert inv.status is InvoiceStatus.OPEN


def test_the_actions_offered_follow_the_state_the_permissions_and_the_payments() -> None:
    operator = Actor("operator", None, "Op", None, frozenset({Permission.INVOICES_READ, Permission.PAYMENTS_RECORD}))
    manager = Actor.system()
    inv = finalized()
    assert inv.available_actions(operator) == [A.RECORD_PAYMENT, A.DOWNLOAD_PDF]  # no VOID without INVOICES_VOID
    assert inv.available_actions(manager) == [A.RECORD_PAYMENT, A.VOID, A.MARK_UNCOLLECTIBLE, A.DOWNLOAD_PDF]
    inv.register_payment(10_00, at=NOW)
    assert inv.available_actions(manager) == [A.RECORD_PAYMENT, A.REFUND, A.MARK_UNCOLLECTIBLE, A.DOWNLOAD_PDF]


def test_every_action_has_a_label_and_a_permission() -> None:
    assert set(ACTIONS) == set(InvoiceAction)
    assert all(spec.label and spec.permission for spec in ACTIONS.values())
