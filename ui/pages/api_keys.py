"""Configurações › Chaves de API: the organization's keys (prefix, role, created, last use), create and revoke.
The secret is shown once, in the creation dialog, with a copy button; only its hash is stored."""

from __future__ import annotations

import uuid

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.api_keys import services as api_keys
from persistence.queries import access as access_queries
from persistence.queries import api_keys as key_queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.dialogs import attempt
from ui.components.formats import moment
from ui.components.frame import page_actor, page_frame

router = APIRouter()
COLUMNS = [
    {"name": "name", "label": "Nome", "field": "name", "align": "left", "sortable": True},
    {"name": "prefix", "label": "Prefixo", "field": "prefix", "align": "left"},
    {"name": "role", "label": "Papel", "field": "role", "align": "left"},
    {"name": "created", "label": "Criada em", "field": "created", "align": "left"},
    {"name": "created_by", "label": "Criada por", "field": "created_by", "align": "left"},
    {"name": "last_used", "label": "Último uso", "field": "last_used", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]
REVOKE_SLOT = r"""
<q-td :props="props">
  <q-btn v-if="props.row.active" dense flat size="sm" color="negative" icon="block" label="Revogar"
         @click="$parent.$emit('revoke', props.row)" />
</q-td>
"""


@router.page("/configuracoes/api")
async def api_keys_page() -> None:
    actor = await page_actor("Chaves de API", Permission.API_KEYS_ADMIN)
    if actor is None:
        return
    with page_frame("Chaves de API", actor):
        with ui.row().classes("items-center gap-2"):
            ui.link("Configurações", "/configuracoes")
            ui.label("›")
            ui.label("Chaves de API").classes("text-lg")
        ui.label(
            "Integrações chamam /api/v1 com o cabeçalho Authorization: Bearer <chave>. Cada chave age com as "
            "permissões do seu papel; a documentação está em /api/v1/docs."
        ).classes("text-sm text-slate-600")
        ui.button("Nova chave", icon="key", on_click=lambda: _create_dialog(actor)).props(
            "color=primary data-testid=new-api-key"
        )
        keys = await run.io_bound(key_queries.list_api_keys, actor)
        table = ui.table(columns=COLUMNS, rows=[_row(k) for k in keys], row_key="id").classes("w-full")
        table.add_slot("body-cell-actions", REVOKE_SLOT)
        table.on("revoke", lambda e: _confirm_revoke(actor, e.args))


def _row(k: key_queries.ApiKeyRow) -> dict:
    return {
        "id": str(k.id),
        "name": k.name,
        "prefix": f"{k.prefix}…",
        "role": k.role_label,
        "created": moment(k.created_at),
        "created_by": k.created_by,
        "last_used": moment(k.last_used_at) if k.last_used_at else "nunca",
        "status": "Revogada" if k.revoked_at else "Ativa",
        "active": k.revoked_at is None,
    }


async def _create_dialog(actor: Actor) -> None:
    roles = await run.io_bound(access_queries.list_roles, actor)
    with ui.dialog() as dialog, ui.card().classes("w-96"):
        ui.label("Nova chave de API").classes("text-lg")
        name = ui.input("Nome (ex.: ERP, site)").classes("w-full").props("data-testid=api-key-name")
        role = ui.select({r.name: r.label for r in roles}, label="Papel", value="finance_operator").classes("w-full")

        async def create() -> None:
            ok, issued = await attempt(
                api_keys.create_api_key, SqlUnitOfWork(actor), name=name.value or "", role_name=role.value
            )
            if ok and issued is not None:
                dialog.close()
                _show_secret(issued.key)

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Criar", on_click=create).props("color=primary data-testid=create-api-key")
    dialog.open()


def _show_secret(key: str) -> None:
    """The only time anyone sees the key: it is stored hashed."""
    with ui.dialog().props("persistent") as dialog, ui.card().classes("w-[36rem]"):
        ui.label("Chave criada").classes("text-lg")
        ui.label(key).classes("font-mono break-all").props("data-testid=api-key-secret")
        ui.label("Copie agora; ela não será exibida novamente.").classes("text-sm text-slate-500")
        with ui.row().classes("w-full justify-end"):
            ui.button("Copiar", icon="content_copy", on_click=lambda: ui.clipboard.write(key)).props("flat")
            ui.button("Fechar", on_click=lambda: (dialog.close(), ui.navigate.to("/configuracoes/api")))
    dialog.open()


def _confirm_revoke(actor: Actor, row: dict) -> None:
    with ui.dialog() as dialog, ui.card():
        ui.label(f"Revogar a chave “{row['name']}” ({row['prefix']})?")
        ui.label("As integrações que a usam deixam de funcionar na hora; não há como desfazer.").classes("text-sm")

        async def revoke() -> None:
            ok, _ = await attempt(
                api_keys.revoke_api_key,
                SqlUnitOfWork(actor),
                api_key_id=uuid.UUID(row["id"]),
                success="Chave revogada.",
            )
            if ok:
                dialog.close()
                ui.navigate.to("/configuracoes/api")

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Revogar", on_click=revoke).props("color=negative data-testid=confirm-revoke")
    dialog.open()
