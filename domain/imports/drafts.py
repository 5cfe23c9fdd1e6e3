"""Stand-ins for Customer and BillingAccount while an imported row is checked.

The registry's rules (apply_registration, refresh_derived, apply_account_fields) write on them exactly as on the
entities, without the cost of an ORM instance per row (100,000 rows must import in seconds). Their attributes are
then inserted set-based; persistence fills every other column with the model's own defaults.
"""

from __future__ import annotations

from typing import Any

from domain.customers.model import Customer, CustomerKind
from domain.taxes.model import CustomerTaxType


class CustomerDraft:
    refresh_derived = Customer.refresh_derived  # the registry's derived columns, computed the registry's way

    def __init__(self) -> None:
        # The same empty containers create_customer starts with (domain/customers/services.py).
        self.emails: list[Any] = []
        self.phones: list[Any] = []
        self.addresses: list[Any] = []
        self.tags: list[str] = []
        self.custom_data: dict[str, Any] = {}
        self.extra_metadata: dict[str, Any] = {}
        self.custom_fields: dict[str, Any] = {}
        self.tax_identifiers: dict[str, Any] = {}
        self.verification: dict[str, Any] = {}
        self.preferred_currency = "BRL"  # column defaults the account below reads, as on a flushed Customer
        self.payment_terms_days = 10

    def values(self) -> dict[str, Any]:
        return dict(vars(self))


class AccountDraft:
    def __init__(self, customer: CustomerDraft) -> None:
        # NOTE: mirrors open_account (domain/billing_accounts/services.py): the customer's currency, terms,
        # document and billing address, and the tax type by kind. tests/domain/imports check they agree.
        kind = getattr(customer, "kind", None)
        address = next((a for a in customer.addresses if a.get("kind") == "billing"), None)
        self.currency = customer.preferred_currency
        self.payment_terms_days = customer.payment_terms_days
        self.tax_id = getattr(customer, "document_number", None)
        self.tax_id_type = getattr(customer, "document_type", None)
        self.billing_address = dict(address or {})
        self.balance_cents = 0
        self.mrr_amount_cents = 0
        self.allowed_negative_balance_cents = 0
        natural = kind is CustomerKind.NATURAL
        self.customer_tax_type = CustomerTaxType.PESSOA_FISICA if natural else CustomerTaxType.LUCRO_PRESUMIDO
        self.withhold_iss = False  # read by the tax-profile check of apply_account_fields
        self.iss_rate = None
        self.iss_municipality_code = None

    def values(self) -> dict[str, Any]:
        return dict(vars(self))
