"""Clientes › Campos personalizados: the typed fields an admin adds to every customer (text, number, date, choice)."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.customers import services as customers
from domain.customers.custom_fields import FIELD_TYPE_LABELS
from persistence.queries import customer_page as queries
from persistence.queries.customer_page import CustomFieldView
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.forms import Fields, submit
from ui.components.frame import page_actor, page_frame

router = APIRouter()

COLUMNS = [
    {"name": "position", "label": "Ordem", "field": "position", "align": "right"},
    {"name": "label", "label": "Rótulo", "field": "label", "align": "left"},
    {"name": "key", "label": "Chave (JSON)", "field": "key", "align": "left", "classes": "font-mono"},
    {"name": "type", "label": "Tipo", "field": "type", "align": "left"},
    {"name": "choices", "label": "Opções", "field": "choices", "align": "left"},
    {"name": "required", "label": "Obrigatório", "field": "required", "align": "center"},
    {"name": "active", "label": "Ativo", "field": "active", "align": "center"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]
EDIT_SLOT = r"""<q-td :props="props"><q-btn dense flat size="sm" icon="edit" title="Editar"
  @click="$parent.$emit('edit', props.row)" /></q-td>"""


@router.page("/clientes/campos")
async def custom_fields_page() -> None:
    actor = await page_actor("Campos personalizados", Permission.SETTINGS_ADMIN)
    if actor is None:
        return
    definitions = await run.io_bound(queries.custom_fields, actor)
    by_id = {str(d.id): d for d in definitions}
    with page_frame("Campos personalizados", actor):
        with ui.row().classes("items-center gap-2"):
            ui.link("‹ Clientes", "/clientes").classes("text-sm")
            ui.label("Valores de cada cliente ficam em custom_fields, validados pelo tipo.").classes(
                "text-sm text-slate-500"
            )
            ui.button("Novo campo", icon="add", on_click=lambda: _dialog(actor, None)).props(
                "color=primary dense data-testid=new-custom-field"
            )
        rows = [
            {"id": str(d.id), "position": d.position, "label": d.label, "key": d.key,
             "type": FIELD_TYPE_LABELS.get(d.field_type, d.field_type), "choices": ", ".join(d.choices),
             "required": "Sim" if d.required else "Não", "active": "Sim" if d.is_active else "Não"}
            for d in definitions
        ]  # fmt: skip
        table = ui.table(columns=COLUMNS, rows=rows, row_key="id").classes("w-full max-w-5xl")
        table.add_slot("body-cell-actions", EDIT_SLOT)
        table.on("edit", lambda e: _dialog(actor, by_id[e.args["id"]]))


def _dialog(actor: Actor, definition: CustomFieldView | None) -> None:
    fields = Fields()
    with ui.dialog() as dialog, ui.card().classes("w-[32rem] gap-1"):
        ui.label("Editar campo" if definition else "Novo campo personalizado").classes("text-lg font-medium")
        label = ui.input("Rótulo", value=definition.label if definition else "").classes("w-full")
        key = ui.input("Chave (minúsculas, ex.: centro_custo)", value=definition.key if definition else "")
        key.classes("w-full").props("readonly" if definition else "")
        field_type = ui.select({k.value: v for k, v in FIELD_TYPE_LABELS.items()}, label="Tipo",
                               value=definition.field_type if definition else "text").classes("w-full")  # fmt: skip
        field_type.set_enabled(definition is None)
        choices = ui.input("Opções (separadas por vírgula)", value=", ".join(definition.choices) if definition else "")
        choices.classes("w-full")
        with ui.row().classes("gap-3 items-center"):
            required = ui.checkbox("Obrigatório", value=definition.required if definition else False)
            active = ui.checkbox("Ativo", value=definition.is_active if definition else True)
            position = ui.number("Ordem", value=definition.position if definition else 0, format="%d").classes("w-24")
        for path, element in (("label", label), ("key", key), ("choices", choices)):
            fields[path] = element

        async def save() -> None:
            ok, _ = await submit(
                fields, customers.save_custom_field, SqlUnitOfWork(actor), key=key.value or "", label=label.value or "",
                field_type=field_type.value, choices=(choices.value or "").split(","), required=required.value,
                position=int(position.value or 0), is_active=active.value,
                definition_id=definition.id if definition else None, success="Campo salvo.",
            )  # fmt: skip
            if ok:
                dialog.close()
                ui.navigate.to("/clientes/campos")

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Salvar", on_click=save).props("color=primary")
    dialog.open()
