"""The rest of the Dados tab: tags, typed custom fields, international data and verifications, and the free JSON
for integrations (custom data and metadata) in JSON editors."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from nicegui import ui

from domain.customers.custom_fields import CustomFieldDefinition, CustomFieldType
from domain.customers.model import BillingModel, Customer
from domain.customers.registration import TAX_ID_TYPES, VERIFICATION_KINDS, VERIFICATION_STATUSES
from domain.errors import ValidationFailed
from persistence.queries.customer_page import CustomFieldView
from ui.components.forms import Fields, check, email_check

BILLING_MODEL_LABELS = {
    BillingModel.POSTPAID.value: "Pós-pago",
    BillingModel.PREPAID.value: "Pré-pago",
    BillingModel.HYBRID.value: "Híbrido",
}


class CustomerDetails:
    """Sections below the identification and contacts; `values()` adds their fields to the form's values."""

    def __init__(self, customer: Customer, definitions: list[CustomFieldView], fields: Fields) -> None:
        self.customer, self.fields = customer, fields
        self.definitions = [d for d in definitions if d.is_active]
        self.tax_ids = [{"key": k, "value": v} for k, v in (customer.tax_identifiers or {}).items()]
        self.json_text: dict[str, str] = {}
        self.inputs: dict[str, Any] = {}

    def build(self) -> None:
        c = self.customer
        with ui.row().classes("w-full gap-4 items-start no-wrap"):
            with ui.column().classes("flex-1 gap-1"):
                _title("Etiquetas e campos personalizados")
                tags = ui.input_chips("Etiquetas", value=list(c.tags or []), new_value_mode="add-unique")
                self.inputs["tags"] = tags.classes("w-full").props("data-testid=customer-tags")
                self.fields["tags"] = tags
                self._custom_fields()
            with ui.column().classes("flex-1 gap-1"):
                _title("Internacional, cobrança e verificações")
                self._international()
        _title("Dados de integração (JSON)")
        with ui.row().classes("w-full gap-4 no-wrap"):
            for key, label, value in (
                ("custom_data", "Dados personalizados (custom data)", c.custom_data),
                ("metadata", "Metadados", c.extra_metadata),
            ):
                with ui.column().classes("flex-1 gap-0"):
                    ui.label(label).classes("text-xs text-slate-500")
                    self._json_editor(key, value or {})

    def values(self) -> dict[str, Any]:
        i = self.inputs
        values: dict[str, Any] = {
            "tags": list(i["tags"].value or []),
            "custom_fields": {key: element.value for key, element in i["custom"].items()},
            "tax_identifiers": {t["key"]: t["value"] for t in self.tax_ids if t.get("key") and t.get("value")},
            "verification": {key: element.value for key, element in i["verification"].items()},
        }
        for name in (
            "billing_model",
            "wallet_mode",
            "peppol_id",
            "prefer_einvoice",
            "einvoice_email",
            "communications_paused",
        ):
            values[name] = i[name].value
        for key in ("custom_data", "metadata"):
            try:
                values[key] = json.loads(self.json_text[key]) if key in self.json_text else _current(self.customer, key)
            except json.JSONDecodeError as error:
                raise ValidationFailed(
                    f"JSON inválido em {key}: {error.msg} (linha {error.lineno}).", field=key
                ) from None
        return values

    def _custom_fields(self) -> None:
        if not self.definitions:
            ui.label("Nenhum campo personalizado definido (Clientes › Campos personalizados).").classes(
                "text-xs text-slate-400"
            )
        self.inputs["custom"] = custom_field_inputs(self.definitions, self.customer.custom_fields or {}, self.fields)

    def _international(self) -> None:
        c, i = self.customer, self.inputs
        with ui.grid(columns=2).classes("w-full gap-x-3 gap-y-0"):
            i["billing_model"] = ui.select(
                BILLING_MODEL_LABELS, label="Modelo de cobrança", value=c.billing_model.value
            )
            i["wallet_mode"] = ui.input("Modo da carteira", value=c.wallet_mode or "")
            i["peppol_id"] = ui.input("Peppol ID", value=c.peppol_id or "")
            i["einvoice_email"] = ui.input(
                "E-mail para e-invoice", value=c.einvoice_email or "", validation=email_check
            )
            i["prefer_einvoice"] = ui.checkbox("Prefere e-invoice", value=c.prefer_einvoice)
            i["communications_paused"] = ui.checkbox("Régua de comunicação pausada", value=c.communications_paused)
            i["verification"] = {}
            for key, label in VERIFICATION_KINDS.items():
                i["verification"][key] = ui.select(
                    VERIFICATION_STATUSES,
                    label=f"Verificação: {label}",
                    value=(c.verification or {}).get(key, "not_started"),
                )
        self.fields["einvoice_email"] = i["einvoice_email"]
        ui.label("Identificadores fiscais (VAT, EIN, ...)").classes("text-xs text-slate-500 mt-1")

        @ui.refreshable
        def tax_ids() -> None:
            for index, entry in enumerate(self.tax_ids):
                with ui.row().classes("w-full gap-1 no-wrap items-start"):
                    ui.select(TAX_ID_TYPES, value=entry["key"] or None, label="Tipo").classes("w-48").bind_value(
                        entry, "key"
                    )
                    value = ui.input("Identificador").classes("flex-1").bind_value(entry, "value")
                    self.fields[f"tax_identifiers.{entry['key']}"] = value
                    ui.button(icon="close", on_click=lambda n=index: (self.tax_ids.pop(n), tax_ids.refresh())).props(
                        "flat dense round size=sm aria-label=Remover"
                    )
            ui.button(
                "Adicionar identificador",
                icon="add",
                on_click=lambda: (self.tax_ids.append({"key": "eu_vat", "value": ""}), tax_ids.refresh()),
            ).props("flat dense size=sm")

        tax_ids()

    def _json_editor(self, key: str, value: dict[str, Any]) -> None:
        def changed(e: Any) -> None:
            content = e.content or {}
            self.json_text[key] = content["text"] if "text" in content else json.dumps(content.get("json"))

        editor = ui.json_editor(
            {"content": {"json": value}, "mode": "text", "mainMenuBar": False}, on_change=changed
        ).classes("w-full h-48")
        editor.props(f"data-testid=json-{key}")


def custom_field_inputs(
    definitions: list[CustomFieldView], stored: dict[str, Any], fields: Fields
) -> dict[str, ui.element]:
    """One input per definition, typed (a list for choices, dd/mm/aaaa for dates) and checked as it is typed."""
    inputs: dict[str, ui.element] = {}
    with ui.grid(columns=2).classes("w-full gap-x-3 gap-y-0"):
        for d in definitions:
            rule = CustomFieldDefinition(key=d.key, label=d.label, field_type=CustomFieldType(d.field_type),
                                         choices=d.choices, required=d.required)  # fmt: skip
            label, value = d.label + (" *" if d.required else ""), stored.get(d.key)
            if d.field_type == CustomFieldType.CHOICE:
                element: ui.element = ui.select(d.choices, label=label, value=value, clearable=True)
            else:
                if d.field_type == CustomFieldType.DATE and value:
                    value = date.fromisoformat(value).strftime("%d/%m/%Y")
                element = ui.input(label, value="" if value is None else str(value),
                                   validation=check(rule.normalize, required=d.required))  # fmt: skip
                if d.field_type == CustomFieldType.DATE:
                    element.props('mask="##/##/####" placeholder="dd/mm/aaaa"')
            element.props(f"data-testid=custom-{d.key}")
            inputs[d.key] = fields[f"custom_fields.{d.key}"] = element
    return inputs


def _title(text: str) -> None:
    ui.label(text).classes("text-sm font-medium text-slate-600 mt-2")


def _current(customer: Customer, key: str) -> dict[str, Any]:
    return dict((customer.custom_data if key == "custom_data" else customer.extra_metadata) or {})
