"""Line items of a draft, edited inline: Tab walks the cells left to right, Ctrl+Enter adds a line (and focuses its
description), every keystroke recomputes the totals through `on_change`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from nicegui import ui

from domain.catalog.model import ServiceItem
from domain.invoices.model import CHARGE_TYPES, LINE_TYPE_LABELS, InvoiceLine, LineType
from domain.invoices.services import LineInput
from ui.components.amounts import cents_input, parse_cents, parse_quantity, quantity_input
from ui.components.formats import money

TYPE_OPTIONS = {t.value: LINE_TYPE_LABELS[t] for t in LineType if t in CHARGE_TYPES}


class LinesEditor:
    def __init__(
        self,
        lines: list[InvoiceLine],
        services: dict[uuid.UUID, ServiceItem],
        currency: str,
        on_change: Callable[[], Any],
    ) -> None:
        self.currency, self.on_change = currency, on_change
        self.service_options = {str(s.id): s.label for s in services.values() if s.is_active}
        self.default_service = next(
            (str(s.id) for s in services.values() if s.code == "consultoria"), next(iter(self.service_options), None)
        )
        self.rows: list[dict[str, Any]] = [
            {
                "type": str(line.type),
                "description": line.description,
                "quantity": quantity_input(line.quantity),
                "unit": cents_input(line.unit_amount_cents),
                "service": str(line.service_item_id) if line.service_item_id else None,
            }
            for line in lines
            if line.is_charge
        ]
        self.amount_labels: list[ui.label] = []
        self.first_inputs: list[ui.input] = []
        with ui.column().classes("w-full gap-1").props("data-testid=invoice-lines").mark("invoice-lines"):
            with ui.row().classes("w-full gap-2 text-xs text-slate-500 font-medium no-wrap px-1"):
                for label, width in (
                    ("Tipo", "w-28"),
                    ("Descrição", "grow"),
                    ("Serviço (LC 116)", "w-56"),
                    ("Qtd.", "w-16 text-right"),
                    ("Valor unitário", "w-28 text-right"),
                    ("Valor", "w-28 text-right"),
                    ("", "w-8"),
                ):
                    ui.label(label).classes(width)
            self.render()
            with ui.row().classes("items-center gap-3"):
                ui.button("Adicionar item", icon="add", on_click=self.add).props(
                    "flat dense data-testid=add-line"
                ).mark("add-line")
                ui.label("Ctrl+Enter adiciona um item · Tab passa de célula em célula").classes(
                    "text-xs text-slate-400"
                )

    @ui.refreshable_method
    def render(self) -> None:
        self.amount_labels, self.first_inputs = [], []
        for n, row in enumerate(self.rows):
            with ui.row().classes("w-full gap-2 items-center no-wrap"):
                kind = (
                    ui.select(TYPE_OPTIONS, value=row["type"])
                    .classes("w-28")
                    .props(f"data-testid=line-{n}-type")
                    .mark(f"line-{n}-type")
                )
                kind.on_value_change(lambda e, r=row: self._set(r, "type", e.value))
                description = ui.input(value=row["description"], placeholder="Descrição do serviço").classes("grow")
                description.props(f"data-testid=line-{n}-description").mark(f"line-{n}-description")
                description.on_value_change(lambda e, r=row: self._set(r, "description", e.value))
                service = ui.select(self.service_options, value=row["service"]).classes("w-56")
                service.props(f"data-testid=line-{n}-service").mark(f"line-{n}-service")
                service.on_value_change(lambda e, r=row: self._set(r, "service", e.value))
                quantity = (
                    ui.input(value=row["quantity"])
                    .classes("w-16")
                    .props(f"input-class=text-right data-testid=line-{n}-quantity")
                    .mark(f"line-{n}-quantity")
                )
                quantity.on_value_change(lambda e, r=row: self._set(r, "quantity", e.value))
                unit = (
                    ui.input(value=row["unit"], placeholder="0,00")
                    .classes("w-28")
                    .props(f"input-class=text-right data-testid=line-{n}-unit")
                    .mark(f"line-{n}-unit")
                )
                unit.on_value_change(lambda e, r=row: self._set(r, "unit", e.value))
                self.amount_labels.append(
                    ui.label("")
                    .classes("w-28 text-right tabular-nums")
                    .props(f"data-testid=line-{n}-amount")
                    .mark(f"line-{n}-amount")
                )
                ui.button(icon="close", on_click=lambda _, i=n: self.remove(i)).props(
                    f"flat dense round size=sm tabindex=-1 aria-label=Remover data-testid=line-{n}-remove"
                ).mark(f"line-{n}-remove")
                for field in (description, quantity, unit):
                    field.on("keydown.ctrl.enter", self.add)
                self.first_inputs.append(description)

    async def add(self) -> None:
        self.rows.append(
            {
                "type": LineType.ONE_OFF.value,
                "description": "",
                "quantity": "1",
                "unit": "",
                "service": self.default_service,
            }
        )
        await self.render.refresh()  # NOTE: refresh() not awaited runs later, after on_change touched the old cells
        self.first_inputs[-1].run_method("focus")
        self.on_change()

    async def remove(self, index: int) -> None:
        del self.rows[index]
        await self.render.refresh()
        self.on_change()

    def lines(self) -> tuple[list[LineInput], str | None]:
        """The lines as typed, or the first problem ("Item 2: valor unitário inválido") to show instead of totals."""
        found = []
        for n, row in enumerate(self.rows, start=1):
            quantity = parse_quantity(row["quantity"])
            unit = parse_cents(row["unit"]) if (row["unit"] or "").strip() else 0
            if quantity is None:
                return [], f"Item {n}: quantidade inválida (ex.: 1 ou 2,5)."
            if unit is None:
                return [], f"Item {n}: valor unitário inválido (ex.: 1.234,56)."
            found.append(
                LineInput(
                    description=(row["description"] or "").strip(),
                    quantity=Decimal(quantity),
                    unit_amount_cents=unit,
                    type=LineType(row["type"]),
                    service_item_id=uuid.UUID(row["service"]) if row["service"] else None,
                )
            )
        return found, None

    def show_amounts(self, amounts: list[int] | None) -> None:
        for n, label in enumerate(self.amount_labels):
            label.text = money(amounts[n], self.currency) if amounts and n < len(amounts) else "—"

    def _set(self, row: dict[str, Any], key: str, value: Any) -> None:
        row[key] = value
        self.on_change()
