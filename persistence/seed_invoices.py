"""Demo invoices for `make run`: a few in each state, with payments, through the real use cases (so the statement,
the customers' consolidated figures and the audit trail are exactly what operators would produce).

    from persistence.seed_invoices import seed_invoices
    seed_invoices(database_url, organization_id)   # once; a second call creates nothing
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from domain.access.permissions import Actor
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.calendar import today_in
from domain.catalog import services as catalog
from domain.coupons import services as coupons
from domain.customers.model import Customer, CustomerStatus
from domain.errors import BillingError
from domain.invoices import services as invoices
from domain.invoices.closing import mark_invoice_uncollectible, void_invoice
from domain.invoices.finalize import finalize_invoice
from domain.invoices.model import Invoice, InvoiceStatus, LineType
from domain.invoices.services import LineInput
from domain.payments.services import record_payment
from persistence.unit_of_work import SqlUnitOfWork

# (description, service code, quantity, unit amount in cents, what happens next)
PLAN = [
    ("Consultoria em gestão financeira", "consultoria", "12", 32_000, "draft"),
    ("Licença do sistema — plano Empresarial", "software", "1", 249_000, "draft"),
    ("Treinamento da equipe (turma de 8 pessoas)", "treinamento", "8", 45_000, "draft"),
    ("Desenvolvimento de integração com o ERP", "desenvolvimento", "40", 18_000, "open"),
    ("Suporte técnico mensal", "suporte", "1", 189_000, "open"),
    ("Consultoria tributária — revisão de retenções", "consultoria", "16", 35_000, "overdue"),
    ("Hospedagem de aplicações", "hospedagem", "3", 79_900, "paid"),
    ("Consultoria em processos de cobrança", "consultoria", "10", 30_000, "paid_in_parts"),
    ("Licença do sistema — plano Básico", "software", "1", 99_000, "partial"),
    ("Horas adicionais de desenvolvimento", "desenvolvimento", "6", 18_000, "void"),
    ("Consultoria de implantação", "consultoria", "20", 28_000, "uncollectible"),
    ("Licença anual com cupom de boas-vindas", "software", "1", 480_000, "coupon"),
]


def seed_invoices(database_url: str, organization_id: uuid.UUID) -> int:
    """Creates the demo invoices of an organization once; returns how many were created."""
    actor = Actor.system("seed", organization_id)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(actor, database_url=database_url)

    with uow() as u:
        if (u.session.scalar(select(func.count()).select_from(Invoice)) or 0) > 0:
            return 0
        org = u.organizations.current()
        today = today_in(org.timezone)
        if not org.branding:
            org.branding = {
                "primary_color": "#1f4e79",
                "extra_fields": [
                    {"label": "Endereço", "value": "Av. Paulista, 1000 — 10º andar · Bela Vista · São Paulo/SP"},
                    {"label": "Contato", "value": "financeiro@demo.fatura.com.br · (11) 4000-1234"},
                ],
            }
        catalog.install_standard_services(u)
        services = {item.code: item.id for item in u.catalog.service_items_by_id().values()}
        accounts = list(
            u.session.scalars(
                select(BillingAccount.id)
                .join(Customer, Customer.id == BillingAccount.customer_id)
                .where(
                    BillingAccount.status == AccountStatus.ACTIVE,
                    BillingAccount.deleted_at.is_(None),
                    Customer.status == CustomerStatus.ACTIVE,
                    Customer.deleted_at.is_(None),
                )
                .order_by(BillingAccount.created_at)
                .limit(60)
            )
        )
        u.commit()
    try:
        coupons.create_coupon(
            uow(),
            code="BEMVINDO10",
            description="10% na primeira fatura",
            percent_off=Decimal("0.10"),
            max_redemptions=100,
        )
    except BillingError:
        pass
    created = 0
    candidates = iter(accounts)
    for description, code, quantity, unit, fate in PLAN:
        for account_id in candidates:  # accounts whose tax profile the engine refuses are skipped
            try:
                _one(
                    uow,
                    account_id,
                    today,
                    LineInput(
                        description=description,
                        quantity=Decimal(quantity),
                        unit_amount_cents=unit,
                        type=LineType.ONE_OFF,
                        service_item_id=services[code],
                    ),
                    fate,
                )
                created += 1
                break
            except BillingError:
                continue
    return created


def _one(uow, account_id: uuid.UUID, today: date, line: LineInput, fate: str) -> None:  # type: ignore[no-untyped-def]
    overdue = fate in {"overdue", "uncollectible", "partial"}
    issued = today - timedelta(days=45 if overdue else 5)
    due = issued + timedelta(days=15) if overdue else today + timedelta(days=20)
    draft = invoices.create_invoice(
        uow(),
        billing_account_id=account_id,
        lines=[line],
        due_on=due,
        coupon_code="BEMVINDO10" if fate == "coupon" else None,
    )
    if fate == "draft":
        return
    invoice = finalize_invoice(uow(), invoice_id=draft.id, issued_on=issued)
    net = invoice.net_value_cents
    if fate == "paid":
        record_payment(
            uow(),
            invoice_id=invoice.id,
            amount_cents=net,
            paid_on=today - timedelta(days=2),
            method="pix",
            reference="E2E-PIX-DEMO",
        )
    elif fate == "paid_in_parts":
        record_payment(
            uow(), invoice_id=invoice.id, amount_cents=net // 2, paid_on=today - timedelta(days=4), method="boleto"
        )
        record_payment(
            uow(),
            invoice_id=invoice.id,
            amount_cents=net - net // 2,
            paid_on=today - timedelta(days=1),
            method="transfer",
        )
    elif fate == "partial":
        record_payment(
            uow(), invoice_id=invoice.id, amount_cents=net // 3, paid_on=issued + timedelta(days=10), method="pix"
        )
    elif fate == "void":
        void_invoice(uow(), invoice_id=invoice.id, reason="Emitida em duplicidade (demonstração)")
    elif fate == "uncollectible":
        mark_invoice_uncollectible(uow(), invoice_id=invoice.id, reason="Cliente em recuperação judicial")
    assert invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.PAID)
