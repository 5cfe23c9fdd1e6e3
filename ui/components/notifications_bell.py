"""The bell in the header: unread in-app notifications of the organization (reminders, suspensions, payments)."""

from __future__ import annotations

from nicegui import background_tasks, run, ui

from domain.access.permissions import Actor, Permission
from domain.communications import services as communications
from persistence.queries import communications as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.formats import moment


def notifications_bell(actor: Actor) -> None:
    """Filled by a background task (one small query off the event loop), so it never delays a screen. NOTE: not a
    ui.timer: a timer waits for the client connection, which makes NiceGUI send async pages before they finish."""
    if not actor.can(Permission.DASHBOARD_READ):
        return
    with ui.button(icon="notifications").props("flat dense round color=white aria-label=Notificações") as bell:
        badge = ui.badge("", color="red").props("floating rounded").mark("notifications-unread")
        badge.set_visibility(False)
        with ui.menu().props("anchor='bottom right' self='top right'") as menu:
            panel = ui.column().classes("w-96 gap-0 p-1")
    bell.tooltip("Notificações")

    async def load() -> None:
        found = await run.io_bound(queries.notifications, actor)
        if found is None or badge.is_deleted:  # the app is stopping, or the page is gone
            return
        unread, rows = found
        badge.text = str(unread) if unread < 100 else "99+"
        badge.set_visibility(unread > 0)
        panel.clear()
        with panel:
            with ui.row().classes("w-full items-center justify-between px-2"):
                ui.label(f"{unread} não lida(s)").classes("text-sm font-medium")
                if unread:
                    ui.button("Marcar todas como lidas", on_click=read_all).props("flat dense size=sm no-caps")
            if not rows:
                ui.label("Nenhuma notificação.").classes("text-sm text-slate-500 p-2")
            for row in rows:
                with ui.item(on_click=lambda r=row: ui.navigate.to(r.link) if r.link else None).props(
                    "clickable dense"
                ):
                    with ui.item_section():
                        ui.item_label(row.title).classes("" if row.read_at else "font-bold")
                        ui.item_label(f"{row.body} · {moment(row.created_at)}").props("caption")

    async def read_all() -> None:
        await run.io_bound(communications.mark_notifications_read, SqlUnitOfWork(actor))
        menu.close()
        await load()

    background_tasks.create(load(), name="notifications-bell")
