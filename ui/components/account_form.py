"""The billing account dialog (new or edit): contact, payment, document, billing address and tax profile."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from nicegui import ui

from domain.access.permissions import Actor
from domain.billing_accounts import services as accounts
from domain.billing_accounts.model import PAYMENT_METHOD_LABELS, TAX_TYPE_LABELS
from domain.customers.model import Customer
from domain.documents.tax_ids import mask_document
from domain.money import MINOR_DIGITS
from persistence.queries.customer_page import AccountView
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.customer_form import address_inputs
from ui.components.formats import number
from ui.components.forms import Fields, check, email_check, ibge_check, submit

TAX_ID_TYPES = {"cnpj": "CNPJ", "cpf": "CPF", "foreign": "Estrangeiro"}


def account_dialog(actor: Actor, customer: Customer, view: AccountView | None) -> None:
    """Create (view None) or edit an account; the dialog stays open with what was typed when the server refuses."""
    fields = Fields()
    address = dict(view.billing_address) if view else _customer_billing_address(customer)
    with ui.dialog() as dialog, ui.card().classes("w-[60rem] max-w-full gap-1"):
        ui.label(f"Editar conta “{view.name}”" if view else f"Nova conta de faturamento de {customer.name}").classes(
            "text-lg font-medium"
        )
        with ui.grid(columns=4).classes("w-full gap-x-3 gap-y-0"):
            name = ui.input("Nome da conta", value=view.name if view else "", validation=check(str, required=True))
            name.props("autofocus data-testid=account-name").mark("account-name")
            email = ui.input("E-mail da conta", value=(view.email or "") if view else "", validation=email_check)
            email.classes("col-span-2").props("data-testid=account-email").mark("account-email")
            billing_email = ui.input(
                "E-mail de cobrança", value=(view.billing_email or "") if view else "", validation=email_check
            )
            currency = ui.select(
                sorted(MINOR_DIGITS), label="Moeda", value=view.currency if view else customer.preferred_currency
            )
            method = ui.select(
                {k.value: v for k, v in PAYMENT_METHOD_LABELS.items()},
                label="Forma de pagamento",
                value=view.payment_method if view else "boleto",
            )
            terms = ui.number(
                "Prazo (dias)",
                value=view.payment_terms_days if view else customer.payment_terms_days,
                min=0,
                max=365,
                format="%d",
            )
            negative = ui.input(
                "Limite de saldo negativo (R$)",
                value=number(Decimal(view.allowed_negative_balance_cents) / 100, digits=2) if view else "0,00",
            )
            tax_type = ui.select(
                TAX_ID_TYPES,
                label="Tipo de documento",
                value=(view.tax_id_type if view else customer.document_type) or "cnpj",
            )
            tax_id = ui.input(
                "Documento da conta (ex.: CNPJ da filial)",
                value=mask_document(tax_type.value, (view.tax_id if view else customer.document_number) or ""),
            )
            tax_id.classes("col-span-2")
            auto = ui.checkbox("Débito automático (auto-collection)", value=view.auto_collection if view else True)
        ui.label("Endereço de cobrança").classes("text-sm font-medium text-slate-600 mt-1")
        address_inputs(address, fields, "billing_address.", kind=False)
        ui.label("Perfil tributário (retenções na fonte)").classes("text-sm font-medium text-slate-600 mt-1")
        with ui.row().classes("w-full items-start gap-3"):
            customer_tax = ui.select(
                {k.value: v for k, v in TAX_TYPE_LABELS.items()},
                label="Enquadramento do cliente",
                value=view.customer_tax_type if view else _default_tax_type(customer),
            ).classes("w-56")
            withholds = {
                key: ui.checkbox(f"Retém {label}", value=getattr(view, key) if view else False)
                for key, label in (
                    ("withhold_iss", "ISS"),
                    ("withhold_ir", "IR"),
                    ("withhold_csrf", "CSRF"),
                    ("withhold_inss", "INSS"),
                )
            }
            iss_rate = ui.input("Alíquota ISS (%)", value=_percent(view.iss_rate) if view else "").classes("w-32")
            iss_city = ui.input(
                "Município do ISS (IBGE)",
                value=(view.iss_municipality_code or "") if view else "",
                validation=ibge_check,
            ).classes("w-48")
        inputs = {
            "name": name,
            "email": email,
            "billing_email": billing_email,
            "currency": currency,
            "payment_method": method,
            "payment_terms_days": terms,
            "allowed_negative_balance_cents": negative,
            "tax_id_type": tax_type,
            "tax_id": tax_id,
            "auto_collection": auto,
            "customer_tax_type": customer_tax,
            "iss_rate": iss_rate,
            "iss_municipality_code": iss_city,
            **withholds,
        }
        for path, element in inputs.items():
            fields[path] = element

        async def save() -> None:
            values = _values(inputs, address)
            if values is None:
                negative.error = "Valor inválido, ex.: 1.500,00."
                return
            if view:
                ok, _ = await submit(
                    fields,
                    accounts.update_billing_account,
                    SqlUnitOfWork(actor),
                    account_id=view.id,
                    values=values,
                    success="Conta atualizada.",
                )
            else:
                ok, _ = await submit(
                    fields,
                    accounts.create_billing_account,
                    SqlUnitOfWork(actor),
                    customer_id=customer.id,
                    values=values,
                    success="Conta criada.",
                )
            if ok:
                dialog.close()
                ui.navigate.to(f"/clientes/{customer.id}?tab=contas")

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Salvar", icon="save", on_click=save).props("color=primary data-testid=save-account").mark(
                "save-account"
            )
    dialog.open()


def _values(inputs: dict[str, Any], address: dict[str, Any]) -> dict[str, Any] | None:
    values = {key: element.value for key, element in inputs.items()}
    values["payment_terms_days"] = int(values["payment_terms_days"] or 0)
    values["billing_address"] = dict(address)
    rate = _decimal(values["iss_rate"])
    if rate is not None:
        values["iss_rate"] = rate / 100  # the screen shows percent, the domain a fraction; bad text goes as typed
    negative = _decimal(values["allowed_negative_balance_cents"])
    if negative is None and str(values["allowed_negative_balance_cents"] or "").strip():
        return None
    values["allowed_negative_balance_cents"] = int((negative or 0) * 100)
    return values


def _decimal(text: Any) -> Decimal | None:
    raw = str(text or "").strip().replace("R$", "").replace(" ", "")
    if not raw:
        return None
    try:
        return Decimal(raw.replace(".", "").replace(",", ".") if "," in raw else raw)
    except InvalidOperation:
        return None


def _percent(rate: Decimal | None) -> str:
    return "" if rate is None else number(rate * 100, digits=2)


def _customer_billing_address(customer: Customer) -> dict[str, Any]:
    found = next((a for a in customer.addresses or [] if a.get("kind") == "billing"), None)
    return dict(found or {"kind": "billing", "country": "BR"})


def _default_tax_type(customer: Customer) -> str:
    return "pessoa_fisica" if customer.kind.value == "natural" else "lucro_presumido"
