"""Busca: what the global search box found."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

from domain.access.permissions import Permission
from persistence.queries import search as search_queries
from ui.components.frame import page_actor, page_frame

router = APIRouter()


@router.page("/busca")
async def search_page(q: str = "") -> None:
    actor = await page_actor("Busca", Permission.CUSTOMERS_READ)
    if actor is None:
        return
    hits = await run.io_bound(search_queries.search, actor, q)
    with page_frame("Busca", actor):
        ui.label(f"Resultados para “{q}”: {len(hits)}").classes("text-slate-600")
        with ui.list().props("dense bordered separator").classes("w-full max-w-3xl"):
            for hit in hits:
                icon = "person" if hit.kind == "customer" else "account_balance_wallet"
                target = f"/clientes/{hit.customer_id}" + ("?tab=contas" if hit.kind == "account" else "")
                with ui.item(on_click=lambda t=target: ui.navigate.to(t)).props("clickable"):
                    with ui.item_section().props("avatar"):
                        ui.icon(icon)
                    with ui.item_section():
                        ui.item_label(hit.title)
                        ui.item_label(hit.subtitle).props("caption")
        if not hits:
            ui.label("Nada encontrado. Busque por nome, CPF/CNPJ (com ou sem máscara) ou e-mail.")
