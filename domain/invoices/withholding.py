"""Maps an invoice onto the withholding engine (domain/taxes/withholding.py) and stores each withheld amount.

When the rules are judged (decided here, used by the services):
- a draft and an open invoice are computed with the **due date**, as the payment is expected then;
- at finalization the inputs (issuer regime, the account's tax profile, the service) are frozen in the invoice's
  snapshot, so later edits of the account do not rewrite a finalized invoice;
- when the first payment is recorded, the engine runs again with the **payment date** on the frozen inputs; if the
  rule version in force differs from the stored one (e.g. a due date in December and a payment in January across a
  change of the law), the amounts and the net value are replaced and the difference is posted to the statement.
  Later payments do not re-judge: the invoice keeps one set of withholdings, as its NFS-e does.
The base is the service value (`Invoice.withholding_base_cents`: the total before account credit), and the invoice is
judged as one payment even when paid in parts (the rules file judges "per payment"; splitting the thresholds per
instalment is not modelled). Only BRL invoices withhold.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.billing_accounts.model import BillingAccount
from domain.catalog.model import ServiceItem
from domain.errors import BillingError
from domain.invoices.errors import MissingServiceItem, MixedWithholdingServices
from domain.invoices.model import Invoice
from domain.money import Money
from domain.organizations.model import Organization
from domain.taxes.rules import Tax
from domain.taxes.withholding import (
    IssuerProfile,
    PayerProfile,
    ServiceProfile,
    WithholdingResult,
    compute_withholding,
)


@dataclass(frozen=True)
class WithholdingInputs:
    issuer: IssuerProfile
    payer: PayerProfile
    service: ServiceProfile

    def to_json(self) -> dict[str, Any]:
        return {
            "issuer": {
                "regime": str(self.issuer.regime),
                "is_cooperative": self.issuer.is_cooperative,
                "exempt_contributions": sorted(str(t) for t in self.issuer.exempt_contributions),
            },
            "payer": {
                "customer_tax_type": str(self.payer.customer_tax_type),
                "withhold_ir": self.payer.withhold_ir,
                "withhold_csrf": self.payer.withhold_csrf,
                "withhold_inss": self.payer.withhold_inss,
                "withhold_iss": self.payer.withhold_iss,
                "iss_rate": None if self.payer.iss_rate is None else str(self.payer.iss_rate),
                "iss_municipality_ibge": self.payer.iss_municipality_ibge,
            },
            "service": {
                "service_code": self.service.service_code,
                "irrf_category": str(self.service.irrf_category),
                "csrf_applies": self.service.csrf_applies,
                "inss_cession": self.service.inss_cession,
                "simples_annex_iv": self.service.simples_annex_iv,
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WithholdingInputs:
        issuer = dict(data["issuer"])
        issuer["exempt_contributions"] = frozenset(Tax(t) for t in issuer.get("exempt_contributions", []))
        payer = dict(data["payer"])
        payer["iss_rate"] = None if payer.get("iss_rate") is None else Decimal(payer["iss_rate"])
        return cls(IssuerProfile(**issuer), PayerProfile(**payer), ServiceProfile(**data["service"]))


def issuer_profile(org: Organization) -> IssuerProfile:
    """The organization as provider; cooperative and exempt contributions come from its preferences when set."""
    prefs = org.preferences or {}
    exempt = frozenset(Tax(t) for t in prefs.get("exempt_contributions", []))
    return IssuerProfile(
        regime=org.tax_regime, is_cooperative=bool(prefs.get("is_cooperative", False)), exempt_contributions=exempt
    )


def payer_profile(account: BillingAccount) -> PayerProfile:
    return PayerProfile(
        customer_tax_type=account.customer_tax_type,
        withhold_ir=account.withhold_ir,
        withhold_csrf=account.withhold_csrf,
        withhold_inss=account.withhold_inss,
        withhold_iss=account.withhold_iss,
        iss_rate=account.iss_rate,
        iss_municipality_ibge=account.iss_municipality_code,
    )


def inputs_for(
    invoice: Invoice, *, org: Organization, account: BillingAccount, services: Mapping[uuid.UUID, ServiceItem]
) -> WithholdingInputs:
    """The engine's inputs for this invoice; refused when a charge line has no service or services disagree."""
    items: list[ServiceItem] = []
    for line in invoice.charge_lines:
        item = services.get(line.service_item_id) if line.service_item_id else None
        if item is None:
            raise MissingServiceItem(line.position)
        items.append(item)
    if not items:
        raise MissingServiceItem(1)
    if len({item.withholding_key() for item in items}) > 1:
        raise MixedWithholdingServices(sorted({item.lc116_code for item in items}))
    main = max(
        items,
        key=lambda item: sum(line.amount_cents for line in invoice.charge_lines if line.service_item_id == item.id),
    )
    return WithholdingInputs(issuer_profile(org), payer_profile(account), main.profile())


def apply_withholding(
    invoice: Invoice, inputs: WithholdingInputs | None, *, on: date, earlier_payments_in_month: Money | None = None
) -> WithholdingResult | None:
    """Compute and store each withheld amount and the net value; no inputs (or not BRL) means nothing withheld."""
    if inputs is None or invoice.currency != "BRL" or invoice.withholding_base_cents <= 0:
        note = "Retenções na fonte só se aplicam a faturas em reais." if invoice.currency != "BRL" else None
        _store(invoice, None, on=on, notes=[note] if note else [])
        return None
    result = compute_withholding(
        issuer=inputs.issuer,
        payer=inputs.payer,
        service=inputs.service,
        gross=Money(invoice.withholding_base_cents, "BRL"),
        paid_on=on,
        earlier_payments_in_month=earlier_payments_in_month,
    )
    _store(invoice, result, on=on, notes=[line.reason for line in result.lines] + list(result.warnings))
    return result


def preview_withholding(
    invoice: Invoice,
    *,
    org: Organization,
    account: BillingAccount,
    services: Mapping[uuid.UUID, ServiceItem],
    on: date,
    earlier_payments_in_month: Money | None = None,
) -> str | None:
    """For drafts: compute what can be computed; an incomplete draft gets a note instead of a refusal.

    Returns the refusal message (shown in the editor) or None. Finalization calls `inputs_for` strictly."""
    try:
        inputs = inputs_for(invoice, org=org, account=account, services=services)
        apply_withholding(invoice, inputs, on=on, earlier_payments_in_month=earlier_payments_in_month)
    except BillingError as refusal:
        _store(invoice, None, on=on, notes=[f"Retenções não calculadas: {refusal.message}"])
        return refusal.message
    return None


def _store(invoice: Invoice, result: WithholdingResult | None, *, on: date, notes: list[str]) -> None:
    cents = result.cents_by_tax() if result else {}
    invoice.irrf_cents = cents.get(Tax.IRRF, 0)
    invoice.pis_cents = cents.get(Tax.PIS, 0)
    invoice.cofins_cents = cents.get(Tax.COFINS, 0)
    invoice.csll_cents = cents.get(Tax.CSLL, 0)
    invoice.inss_cents = cents.get(Tax.INSS, 0)
    invoice.iss_withheld_cents = cents.get(Tax.ISS, 0)
    invoice.withheld_cents = result.total_withheld_cents if result else 0
    invoice.net_value_cents = invoice.total_cents - invoice.withheld_cents
    invoice.withholding_rule_version = result.rule_version if result else None
    invoice.withholding_on = on
    invoice.withholding_notes = notes  # reassigned (JSON column)
