"""Configurações › Operadores and Papéis: who may sign in, with which role, and what each role allows."""

from __future__ import annotations

import uuid

from nicegui import run, ui

from domain.access import passwords
from domain.access import services as access
from domain.access.permissions import Actor, Permission
from persistence.queries import access as access_queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.dialogs import attempt
from ui.components.formats import moment

OPERATOR_COLUMNS = [
    {"name": "name", "label": "Nome", "field": "name", "align": "left", "sortable": True},
    {"name": "email", "label": "E-mail", "field": "email", "align": "left", "sortable": True},
    {"name": "role", "label": "Papel", "field": "role", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "totp", "label": "2FA", "field": "totp", "align": "left"},
    {"name": "failed", "label": "Tentativas falhas", "field": "failed", "align": "right"},
    {"name": "locked", "label": "Bloqueado até", "field": "locked", "align": "left"},
    {"name": "last_login", "label": "Último acesso", "field": "last_login", "align": "left"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]
ACTIONS_SLOT = r"""
<q-td :props="props">
  <q-btn dense flat size="sm" icon="edit" title="Editar" @click="$parent.$emit('edit', props.row)" />
  <q-btn dense flat size="sm" icon="lock_open" title="Desbloquear" v-if="props.row.failed > 0"
         @click="$parent.$emit('unlock', props.row)" />
  <q-btn dense flat size="sm" icon="password" title="Redefinir senha" @click="$parent.$emit('reset', props.row)" />
</q-td>
"""


async def operators_tab(actor: Actor) -> None:
    roles = await run.io_bound(access_queries.list_roles, actor)
    role_options = {r.name: r.label for r in roles}
    ui.button("Novo operador", icon="person_add", on_click=lambda: _operator_dialog(actor, role_options)).props(
        "color=primary data-testid=new-operator"
    )
    operators = await run.io_bound(access_queries.list_operators, actor)
    table = ui.table(columns=OPERATOR_COLUMNS, rows=[_row(o) for o in operators], row_key="id").classes("w-full")
    table.add_slot("body-cell-actions", ACTIONS_SLOT)
    table.on("edit", lambda e: _operator_dialog(actor, role_options, e.args))
    table.on("unlock", lambda e: _unlock(actor, e.args))
    table.on("reset", lambda e: _reset_password(actor, e.args))


def _row(o: access_queries.OperatorRow) -> dict:
    return {
        "id": str(o.id), "name": o.name, "email": o.email, "role": o.role_label, "role_name": o.role_name,
        "status": "Ativo" if o.is_active else "Inativo", "active": o.is_active,
        "totp": "Sim" if o.totp_enabled else "Não", "failed": o.failed_login_attempts,
        "locked": moment(o.locked_until) if o.locked_until else "", "last_login": moment(o.last_login_at),
    }  # fmt: skip


def _operator_dialog(actor: Actor, role_options: dict[str, str], row: dict | None = None) -> None:
    with ui.dialog() as dialog, ui.card().classes("w-96"):
        ui.label("Editar operador" if row else "Novo operador").classes("text-lg")
        name = ui.input("Nome", value=row["name"] if row else "").classes("w-full")
        email = ui.input("E-mail", value=row["email"] if row else "").classes("w-full")
        if row:
            email.props("readonly")
        role = ui.select(role_options, label="Papel", value=row["role_name"] if row else "finance_operator")
        active = ui.checkbox("Ativo", value=row["active"] if row else True)
        if not row:
            active.set_visibility(False)

        async def save() -> None:
            if row:
                ok, _ = await attempt(access.update_operator, SqlUnitOfWork(actor), operator_id=uuid.UUID(row["id"]),
                                      name=name.value or "", role_name=role.value, is_active=active.value,
                                      success="Operador atualizado.")  # fmt: skip
                if ok:
                    dialog.close()
                    ui.navigate.to("/configuracoes?tab=operadores")
                return
            password = passwords.random_password()
            ok, _ = await attempt(access.create_operator, SqlUnitOfWork(actor), email=email.value or "",
                                  name=name.value or "", role_name=role.value, password=password)  # fmt: skip
            if ok:
                dialog.close()
                _show_password(email.value, password)

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Salvar", on_click=save).props("color=primary data-testid=save-operator")
    dialog.open()


async def _unlock(actor: Actor, row: dict) -> None:
    ok, _ = await attempt(access.unlock_operator, SqlUnitOfWork(actor), operator_id=uuid.UUID(row["id"]),
                          success=f"{row['name']} desbloqueado.")  # fmt: skip
    if ok:
        ui.navigate.to("/configuracoes?tab=operadores")


async def _reset_password(actor: Actor, row: dict) -> None:
    password = passwords.random_password()
    ok, _ = await attempt(access.set_password, SqlUnitOfWork(actor), operator_id=uuid.UUID(row["id"]),
                          password=password)  # fmt: skip
    if ok:
        _show_password(row["email"], password)


def _show_password(email: str, password: str) -> None:
    """The only time anyone sees this password: it is stored hashed."""
    with ui.dialog() as dialog, ui.card():
        ui.label(f"Senha inicial de {email}:")
        ui.label(password).classes("font-mono text-lg").props("data-testid=initial-password")
        ui.label("Copie agora; ela não será exibida novamente.").classes("text-sm text-slate-500")
        ui.button("Fechar", on_click=lambda: (dialog.close(), ui.navigate.to("/configuracoes?tab=operadores")))
    dialog.open()


async def roles_tab(actor: Actor) -> None:
    roles = await run.io_bound(access_queries.list_roles, actor)
    ui.button("Novo papel", icon="add", on_click=lambda: _role_dialog(actor, None)).props("color=primary")
    with ui.column().classes("w-full gap-1"):
        for role in roles:
            with ui.expansion(f"{role.label} ({role.name})", caption="padrão" if role.is_builtin else "personalizado"):
                ui.label(", ".join(role.permissions) or "nenhuma permissão").classes("text-xs font-mono")
                if not role.is_builtin:
                    ui.button("Editar", on_click=lambda r=role: _role_dialog(actor, r)).props("flat dense")


def _role_dialog(actor: Actor, role: access_queries.RoleRow | None) -> None:
    with ui.dialog() as dialog, ui.card().classes("w-[40rem]"):
        name = ui.input("Nome (identificador)", value=role.name if role else "")
        if role:
            name.props("readonly")
        label = ui.input("Rótulo", value=role.label if role else "")
        chosen = set(role.permissions if role else [])
        with ui.grid(columns=2).classes("gap-0"):
            boxes = {p.value: ui.checkbox(p.value, value=p.value in chosen).props("dense") for p in Permission}

        async def save() -> None:
            ok, _ = await attempt(access.save_role, SqlUnitOfWork(actor), name=name.value or "",
                                  label=label.value or "", permissions=[k for k, b in boxes.items() if b.value],
                                  role_id=role.id if role else None, success="Papel salvo.")  # fmt: skip
            if ok:
                dialog.close()
                ui.navigate.to("/configuracoes?tab=papeis")

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Salvar", on_click=save).props("color=primary")
    dialog.open()
