"""Screens whose areas are still being built: they exist in the navigation and say what is coming."""

from __future__ import annotations

from nicegui import APIRouter, ui

from domain.access.permissions import Permission
from ui.components.frame import page_actor, page_frame

router = APIRouter()

COMING = {
    "/relatorios": ("Relatórios", Permission.EXPORTS_RUN, "Exportações e relatórios financeiros."),
}


def _register(path: str, title: str, permission: Permission, description: str) -> None:
    @router.page(path)
    async def coming_soon() -> None:
        actor = await page_actor(title, permission)
        if actor is None:
            return
        with page_frame(title, actor):
            ui.label(description).classes("text-slate-600")
            ui.label("Esta tela está em construção.").classes("text-sm text-slate-400")


for _path, (_title, _permission, _description) in COMING.items():
    _register(_path, _title, _permission, _description)
