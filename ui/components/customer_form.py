"""The customer form: identification, contacts and addresses. The creation dialog shows it compact (one e-mail,
one phone, one address); the Dados tab shows every entry of the lists (customer_details.py adds the rest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from domain.customers.contacts import ADDRESS_KINDS, EMAIL_KINDS, PHONE_KINDS, mask_phone
from domain.customers.model import KIND_LABELS, Customer, CustomerKind, CustomerType
from domain.documents.addresses import UF_NAMES, check_ibge_code_matches_uf, mask_cep, normalize_ibge_code
from domain.money import MINOR_DIGITS
from ui.components.forms import MASKS, Fields, cep_check, check, document_check, email_check, phone_check

CUSTOMER_TYPE_LABELS = {CustomerType.BUSINESS.value: "Empresa (B2B)", CustomerType.CONSUMER.value: "Consumidor (B2C)"}
_ADDRESS_KEYS = ("cep", "postal_code", "street", "city")
_SMALL = "flat dense size=sm"
UF_OPTIONS = {"": "—", **{uf: f"{uf} · {name}" for uf, name in sorted(UF_NAMES.items())}}


class CustomerForm:
    """Builds the inputs into the current container; `values()` is what the use case takes."""

    def __init__(self, customer: Customer | None, *, compact: bool) -> None:
        self.customer, self.compact, self.fields = customer, compact, Fields()
        self.kind = customer.kind.value if customer else CustomerKind.JURIDICAL.value
        self.emails = [dict(e) for e in (customer.emails if customer else [])] or [{"kind": "billing", "address": ""}]
        self.phones = [dict(p) for p in (customer.phones if customer else [])] or [{"kind": "work", "number": ""}]
        self.addresses = [dict(a) for a in (customer.addresses if customer else [])] or [_blank_address()]
        for phone in self.phones:
            phone["number"] = mask_phone(phone.get("number", ""))

    def build(self) -> None:
        self._identification()
        with ui.row().classes("w-full gap-4 items-start no-wrap"):
            with ui.column().classes("gap-1 flex-1"):
                ui.label("E-mails").classes("text-sm font-medium text-slate-600")
                self._entries(self.emails, "emails", EMAIL_KINDS, "address", "E-mail", email_check)
            with ui.column().classes("gap-1 flex-1"):
                ui.label("Telefones").classes("text-sm font-medium text-slate-600")
                self._entries(self.phones, "phones", PHONE_KINDS, "number", "Telefone", phone_check)
        ui.label("Endereços" if not self.compact else "Endereço de cobrança").classes(
            "text-sm font-medium text-slate-600"
        )
        self._addresses()

    def values(self) -> dict[str, Any]:
        c = self._inputs
        values = {
            "kind": self.kind,
            "document_number": c["document_number"].value,
            "name": c["name"].value,
            "legal_name": c["legal_name"].value,
            "external_id": c["external_id"].value,
            "country": c["country"].value,
            "customer_type": c["customer_type"].value,
            "emails": [e for e in self.emails if (e.get("address") or "").strip()],
            "phones": [p for p in self.phones if (p.get("number") or "").strip()],
            "addresses": [a for a in self.addresses if any(str(a.get(k) or "").strip() for k in _ADDRESS_KEYS)],
        }
        for address in values["addresses"]:
            address["country"] = "BR" if self.kind != CustomerKind.FOREIGN else (c["country"].value or "").upper()
        if not self.compact:
            values.update(
                preferred_currency=c["preferred_currency"].value, payment_terms_days=c["payment_terms_days"].value
            )
        return values

    def _identification(self) -> None:
        c = self.customer
        self._inputs: dict[str, Any] = {}
        with ui.grid(columns=4).classes("w-full gap-x-3 gap-y-1"):
            kind = ui.select({k.value: v for k, v in KIND_LABELS.items()}, label="Tipo", value=self.kind)
            kind.props("data-testid=customer-kind")
            document = ui.input(self._document_label(), value=c.document_masked if c else "",
                                validation=document_check(lambda: self.kind))  # fmt: skip
            document.props("data-testid=customer-document").classes("col-span-2").mark("customer-document")
            external = ui.input("ID externo", value=(c.external_id or "") if c else "")
            name = ui.input("Nome / nome fantasia", value=c.name if c else "", validation=check(str, required=True))
            name.props("data-testid=customer-name").classes("col-span-2").mark("customer-name")
            legal = ui.input("Razão social / nome completo", value=(c.legal_name or "") if c else "")
            legal.classes("col-span-2").props("data-testid=customer-legal-name")
            ctype = ui.select(CUSTOMER_TYPE_LABELS, label="Tipo de cliente",
                              value=c.customer_type.value if c else CustomerType.BUSINESS.value)  # fmt: skip
            country = ui.input("País (ISO, ex.: US)", value=c.country if c else "BR").props("maxlength=2")
            if not self.compact:
                currency = ui.select(sorted(MINOR_DIGITS), label="Moeda preferida",
                                     value=c.preferred_currency if c else "BRL")  # fmt: skip
                terms = ui.number("Prazo de pagamento padrão (dias)", value=c.payment_terms_days if c else 10, min=0,
                                  max=365, format="%d")  # fmt: skip
                self._inputs.update(preferred_currency=currency, payment_terms_days=terms)
        self._inputs.update(document_number=document, name=name, legal_name=legal, external_id=external,
                            country=country, customer_type=ctype)  # fmt: skip
        for path, element in self._inputs.items():
            self.fields[path] = element
        self._apply_kind(document, country)
        kind.on_value_change(lambda e: self._kind_changed(e.value, document, country, ctype))

    def _kind_changed(self, kind: str, document: ui.input, country: ui.input, ctype: ui.select) -> None:
        self.kind = kind
        ctype.value = CustomerType.CONSUMER.value if kind == CustomerKind.NATURAL else CustomerType.BUSINESS.value
        self._apply_kind(document, country)
        document.validate()

    def _apply_kind(self, document: ui.input, country: ui.input) -> None:
        document.props(f'label="{self._document_label()}"')
        mask = MASKS.get({"natural": "cpf", "juridical": "cnpj"}.get(self.kind, ""), "")
        if mask:
            document.props(f'mask="{mask}"')
        else:
            document.props(remove="mask")
        foreign = self.kind == CustomerKind.FOREIGN
        country.set_visibility(foreign)
        if not foreign:
            country.value = "BR"
        for address in self.addresses:
            address["country"] = (country.value or "").upper() if foreign else "BR"
        if hasattr(self, "_render_addresses"):
            self._render_addresses.refresh()

    def _document_label(self) -> str:
        return {"natural": "CPF", "juridical": "CNPJ (numérico ou alfanumérico)"}.get(self.kind, "Identificador fiscal")

    def _entries(
        self,
        entries: list[dict[str, Any]],
        name: str,
        kinds: dict[str, str],
        key: str,
        label: str,
        validation: Callable[[Any], str | None],
    ) -> None:
        @ui.refreshable
        def render() -> None:
            for index, entry in enumerate(entries):
                with ui.row().classes("w-full gap-1 items-start no-wrap"):
                    ui.select(kinds, value=entry.get("kind") or next(iter(kinds))).classes("w-32").bind_value(
                        entry, "kind"
                    )
                    field = ui.input(label, validation=validation).classes("flex-1").bind_value(entry, key)
                    field.props(f"data-testid={name}-{index}").mark(f"{name}-{index}")
                    self.fields[f"{name}.{index}.{key}"] = field
                    if not self.compact:
                        ui.button(icon="close", on_click=lambda i=index: (entries.pop(i), render.refresh())).props(
                            "flat dense round size=sm aria-label=Remover"
                        ).classes("mt-1")
            if not self.compact:
                ui.button(
                    f"Adicionar {label.lower()}",
                    icon="add",
                    on_click=lambda: (entries.append({"kind": next(iter(kinds)), key: ""}), render.refresh()),
                ).props("flat dense size=sm")

        render()

    def _addresses(self) -> None:
        @ui.refreshable
        def render() -> None:
            for index, address in enumerate(self.addresses[:1] if self.compact else self.addresses):
                address_inputs(address, self.fields, f"addresses.{index}.", kind=not self.compact)
                if not self.compact and len(self.addresses) > 1:
                    ui.button("Remover endereço", icon="close", on_click=lambda i=index: remove(i)).props(_SMALL)
            if not self.compact:
                ui.button("Adicionar endereço", icon="add", on_click=add).props(_SMALL)

        def remove(index: int) -> None:
            self.addresses.pop(index)
            render.refresh()

        def add() -> None:
            self.addresses.append(_blank_address("work"))
            render.refresh()

        self._render_addresses = render
        render()


def address_inputs(address: dict[str, Any], fields: Fields, prefix: str, *, kind: bool = True) -> None:
    """CEP (masked), street, number, complement, district, city, UF and IBGE code, bound to `address`; abroad,
    a free postal code and state instead of CEP, UF and IBGE."""
    if (address.get("country") or "BR") != "BR":
        _foreign_address(address, fields, prefix, kind=kind)
        return
    if address.get("cep"):
        address["cep"] = mask_cep(address["cep"])
    with ui.grid(columns=8).classes("w-full gap-x-2 gap-y-0"):
        if kind:
            ui.select(ADDRESS_KINDS, label="Tipo", value=address.get("kind") or "billing").bind_value(address, "kind")
        cep = ui.input("CEP", validation=cep_check).props(f'mask="{MASKS["cep"]}" data-testid={prefix}cep')
        cep.bind_value(address, "cep")
        street = ui.input("Logradouro").classes("col-span-3" if kind else "col-span-4").bind_value(address, "street")
        number = ui.input("Número").bind_value(address, "number")
        ui.input("Complemento").classes("col-span-2").bind_value(address, "complement")
        district = ui.input("Bairro").classes("col-span-2").bind_value(address, "district")
        city = ui.input("Cidade").classes("col-span-2").bind_value(address, "city")
        uf = ui.select(UF_OPTIONS, label="UF", value=address.get("uf") or "").bind_value(address, "uf")
        ibge = ui.input("Código IBGE", validation=lambda v: _ibge_check(v, address.get("uf"))).bind_value(
            address, "ibge_code"
        )
        ibge.props("maxlength=7 inputmode=numeric")
        uf.on_value_change(lambda: ibge.validate())
    for name, element in (
        ("cep", cep),
        ("street", street),
        ("number", number),
        ("district", district),
        ("city", city),
        ("uf", uf),
        ("ibge_code", ibge),
    ):
        fields[prefix + name] = element


def _foreign_address(address: dict[str, Any], fields: Fields, prefix: str, *, kind: bool) -> None:
    with ui.grid(columns=8).classes("w-full gap-x-2 gap-y-0"):
        if kind:
            ui.select(ADDRESS_KINDS, label="Tipo", value=address.get("kind") or "billing").bind_value(address, "kind")
        ui.input("Código postal").bind_value(address, "postal_code")
        ui.input("Endereço").classes("col-span-3").bind_value(address, "street")
        ui.input("Número").bind_value(address, "number")
        ui.input("Complemento").classes("col-span-2").bind_value(address, "complement")
        city = ui.input("Cidade").classes("col-span-2").bind_value(address, "city")
        ui.input("Estado / província").classes("col-span-2").bind_value(address, "state")
    fields[prefix + "city"] = city


def _ibge_check(value: Any, uf: str | None) -> str | None:
    """7 digits of a real UF; matched against the UF chosen (never against the city's name)."""
    message = check(normalize_ibge_code)(value)
    if message or not value or not uf:
        return message
    return check(lambda code: check_ibge_code_matches_uf(normalize_ibge_code(code), uf))(value)


def _blank_address(kind: str = "billing") -> dict[str, Any]:
    return {
        "kind": kind,
        "cep": "",
        "street": "",
        "number": "",
        "complement": "",
        "district": "",
        "city": "",
        "uf": "",
        "ibge_code": "",
        "country": "BR",
    }
