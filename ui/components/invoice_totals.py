"""The value composition beside the lines: subtotal, taxes, discounts, total, each withholding and the net value."""

from __future__ import annotations

from nicegui import ui

from domain.invoices.model import Invoice
from ui.components.formats import day, money

ROWS = [("subtotal", "Subtotal"), ("tax", "Impostos"), ("discount", "Descontos e créditos"), ("total", "Total")]
WITHHOLDINGS = [
    ("irrf", "IRRF"),
    ("pis", "PIS"),
    ("cofins", "COFINS"),
    ("csll", "CSLL"),
    ("inss", "INSS"),
    ("iss", "ISS retido"),
]


class TotalsPanel:
    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.values: dict[str, ui.label] = {}
        with (
            ui.card()
            .classes("w-80 gap-1 p-3")
            .props("flat bordered data-testid=invoice-totals-panel")
            .mark("invoice-totals-panel")
        ):
            for key, label in ROWS:
                self._row(key, label, bold=key == "total")
            ui.separator().classes("my-1")
            ui.label("Retenções na fonte").classes("text-xs uppercase tracking-wide text-slate-500")
            for key, label in WITHHOLDINGS:
                self._row(key, label)
            self._row("withheld", "Total retido", bold=True)
            ui.separator().classes("my-1")
            with ui.row().classes("w-full justify-between items-center bg-slate-800 text-white rounded px-2 py-1"):
                ui.label("Valor líquido").classes("font-semibold")
                self.values["net"] = (
                    ui.label("")
                    .classes("text-lg font-bold tabular-nums")
                    .props("data-testid=total-net")
                    .mark("total-net")
                )
            self.rule = ui.label("").classes("text-xs text-slate-500")
            self.problem = (
                ui.label("").classes("text-xs text-orange-9").props("data-testid=totals-problem").mark("totals-problem")
            )

    def _row(self, key: str, label: str, *, bold: bool = False) -> None:
        with ui.row().classes("w-full justify-between" + (" font-semibold" if bold else "")):
            ui.label(label)
            self.values[key] = (
                ui.label("").classes("tabular-nums").props(f"data-testid=total-{key}").mark(f"total-{key}")
            )

    def show(self, invoice: Invoice | None, problem: str | None = None) -> None:
        if invoice is None:
            for label in self.values.values():
                label.text = "—"
            self.rule.text = ""
            self.problem.text = problem or ""
            return
        cur = self.currency
        amounts = {
            "subtotal": invoice.subtotal_cents,
            "tax": invoice.tax_cents,
            "discount": -invoice.discount_cents,
            "total": invoice.total_cents,
            "irrf": invoice.irrf_cents,
            "pis": invoice.pis_cents,
            "cofins": invoice.cofins_cents,
            "csll": invoice.csll_cents,
            "inss": invoice.inss_cents,
            "iss": invoice.iss_withheld_cents,
            "withheld": invoice.withheld_cents,
            "net": invoice.net_value_cents,
        }
        for key, cents in amounts.items():
            self.values[key].text = money(cents, cur)
        on = invoice.withholding_on
        self.rule.text = (
            f"Retenções pelas regras de {day(on)} ({invoice.withholding_rule_version or '—'})" if on else ""
        )
        self.problem.text = problem or ""
