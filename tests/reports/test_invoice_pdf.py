"""The invoice PDF reads like a Brazilian service invoice: parties, items, withholdings, net value, page numbers."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from domain.access.permissions import Actor
from domain.invoices.closing import void_invoice
from domain.payments.services import record_payment
from persistence import files
from persistence.queries import invoices as invoice_queries
from persistence.unit_of_work import SqlUnitOfWork
from reports import invoice_pdf
from tests.support.billing_factories import consulting, draft, make_account, open_invoice
from tests.support.factories import make_operator, make_organization


@pytest.fixture
def acme(sqlite_only: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    files.configure(tmp_path / "files")
    org = make_organization("acme")
    with SqlUnitOfWork(Actor.system("teste", org.id)) as uow:
        current = uow.organizations.current()
        current.cnpj, current.trade_name = "11222333000181", "Acme Consultoria"
        current.branding = {"primary_color": "#0b6e4f", "extra_fields": [{"label": "PIX", "value": "pix@acme.com.br"}]}
        uow.commit()
    yield org, make_operator(org, "admin")
    files.configure(None)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fatura.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_shows_parties_items_withholdings_and_the_net_value(acme, tmp_path) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    account = make_account(org, name="Metalúrgica Horizonte Ltda", withhold_ir=True, withhold_csrf=True)
    invoice = open_invoice(
        admin,
        account,
        consulting(admin, "1000.00", "10", period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)),
        memo="Pague via PIX.",
    )
    text = text_of(invoice_pdf.render_invoice_pdf(invoice_queries.invoice_detail(admin, invoice.id)), tmp_path)
    for expected in (
        "Acme Consultoria",
        "CNPJ 11.222.333/0001-81",
        "PIX: pix@acme.com.br",
        "INV-000001",
        "Metalúrgica Horizonte Ltda",
        "Consultoria em gestão financeira",
        "Serviço 17.01",
        "01/11/2026 a 30/11/2026",
        "R$ 10.000,00",
        "IRRF (1,5%)",
        "R$ 150,00",
        "PIS (0,65%)",
        "COFINS (3%)",
        "CSLL (1%)",
        "R$ 615,00",
        "Valor líquido a pagar",
        "R$ 9.385,00",
        "Vencimento",
        "10/12/2026",
        "Página 1 de 1",
        "Pague via PIX.",
    ):
        assert expected in text, expected


def test_a_draft_is_a_preview_and_a_void_invoice_says_so(acme, tmp_path) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    account = make_account(org)
    preview = text_of(
        invoice_pdf.render_invoice_pdf(invoice_queries.invoice_detail(admin, draft(admin, account).id)), tmp_path
    )
    assert "RASCUNHO" in preview and "sem valor fiscal" in preview
    invoice = open_invoice(admin, account)
    void_invoice(SqlUnitOfWork(admin), invoice_id=invoice.id, reason="Emitida em duplicidade")
    voided = text_of(invoice_pdf.render_invoice_pdf(invoice_queries.invoice_detail(admin, invoice.id)), tmp_path)
    assert "Fatura cancelada em" in voided and "Motivo: Emitida em duplicidade" in voided


def test_a_long_invoice_repeats_the_header_and_numbers_its_pages(acme, tmp_path) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    lines = [consulting(admin, "10.00", "1", description=f"Licença mensal {n}") for n in range(60)]
    invoice = open_invoice(admin, make_account(org), *lines)
    text = text_of(invoice_pdf.render_invoice_pdf(invoice_queries.invoice_detail(admin, invoice.id)), tmp_path)
    assert "Página 1 de 3" in text and "Página 3 de 3" in text and text.count("Valor unitário") == 3


def test_the_stored_pdf_is_reused_until_the_invoice_changes(acme) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    invoice = open_invoice(admin, make_account(org))
    first = invoice_pdf.render_and_store(admin, invoice.id)
    assert first is not None and invoice_pdf.render_and_store(admin, invoice.id).id == first.id  # type: ignore[union-attr]
    record_payment(SqlUnitOfWork(admin), invoice_id=invoice.id, amount_cents=100_00, paid_on=date(2026, 11, 20))
    second = invoice_pdf.render_and_store(admin, invoice.id)
    assert second is not None and second.id != first.id and second.invoice_revision == first.invoice_revision + 1  # type: ignore[operator]
