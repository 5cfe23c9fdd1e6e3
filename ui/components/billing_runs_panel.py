"""Faturamento: the button that starts the organization's billing run (a Huey task) and the last runs with their
counts, duration and failures; polls while a run is going, and offers a retry when something failed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from persistence.queries import subscriptions as queries
from persistence.queries.subscriptions import RunRow
from ui.components.formats import count_of, day, moment, number

POLL_SECONDS = 1.0
TRIGGERS = {"schedule": "agendado", "manual": "manual", "cli": "linha de comando", "retry": "nova tentativa",
            "bench": "benchmark"}  # fmt: skip
COLUMNS = [
    {"name": "run_date", "label": "Data", "field": "run_date", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "started", "label": "Início", "field": "started", "align": "left"},
    {"name": "trigger", "label": "Origem", "field": "trigger", "align": "left"},
    {"name": "created", "label": "Faturas criadas", "field": "created", "align": "right"},
    {"name": "skipped", "label": "Sem fatura", "field": "skipped", "align": "right"},
    {"name": "failed", "label": "Falhas", "field": "failed", "align": "right"},
    {"name": "duration", "label": "Duração", "field": "duration", "align": "right"},
]


async def build(actor: Actor, on_finished: Callable[[], Awaitable[object]] | None = None) -> None:
    """`on_finished` is awaited when a run this screen was watching ends (the list above shows the new periods)."""
    with ui.card().classes("w-full gap-1").props("flat bordered"):
        with ui.row().classes("w-full items-center"):
            ui.label("Faturamento das assinaturas").classes("text-base font-semibold")
            ui.label("diário às 01:00 UTC · uma fatura por período, nunca duas").classes("text-xs text-slate-500")
            ui.space()
            if actor.can(Permission.BILLING_RUN):
                start = ui.button("Executar faturamento", icon="play_arrow", on_click=lambda: enqueue("manual"))
                start.props("color=primary dense data-testid=billing-run").mark("billing-run")
        status = ui.label("").classes("text-sm").props("data-testid=billing-run-status").mark("billing-run-status")
        table = ui.table(columns=COLUMNS, rows=[], row_key="id").classes("w-full")
        table.props("data-testid=billing-runs").mark("billing-runs")
        failures = ui.column().classes("w-full gap-1")

    async def enqueue(trigger: str) -> None:
        from jobs.billing import run_organization_billing

        await run.io_bound(run_organization_billing, str(actor.organization_id), None, trigger)
        ui.notify("Faturamento enviado para a fila: acompanhe abaixo.", type="positive")
        status.text = "Na fila…"
        timer.activate()

    async def refresh() -> None:
        runs = await run.io_bound(queries.last_runs, actor, 8)
        table.rows = [_row(r) for r in runs]
        table.update()
        failures.clear()
        latest = runs[0] if runs else None
        if latest is None:
            status.text = "Nenhum faturamento executado ainda."
            return
        if latest.status == "running":
            status.text = (f"Em execução: {count_of(latest.created, 'fatura criada', 'faturas criadas')}, "
                           f"{count_of(latest.failed, 'falha', 'falhas')} até agora…")  # fmt: skip
        else:
            if timer.active:
                timer.deactivate()
                if on_finished is not None:
                    await on_finished()
            created = count_of(latest.created, "fatura criada", "faturas criadas")
            failed = count_of(latest.failed, "falha", "falhas")
            status.text = f"Último: {day(latest.run_date)} · {created} · {number(latest.skipped)} sem fatura · {failed}"
        open_failures = [f for f in latest.failures if f.resolved_at is None]
        if open_failures:
            with failures:
                with ui.row().classes("items-center gap-2"):
                    failing = count_of(len(open_failures), "assinatura", "assinaturas")
                    ui.label(f"{failing} com falha no último faturamento").classes(
                        "text-sm text-negative font-medium")  # fmt: skip
                    if actor.can(Permission.BILLING_RUN):
                        ui.button("Tentar novamente", icon="replay", on_click=lambda: enqueue("retry")).props(
                            "flat dense data-testid=billing-retry").mark("billing-retry")  # fmt: skip
                for f in open_failures[:20]:
                    ui.label(f"{f.customer_name} — {f.account_name} · {f.plan_name} · período de "
                             f"{day(f.period_start)}: {f.reason}").classes("text-xs text-slate-700")  # fmt: skip

    timer = ui.timer(POLL_SECONDS, refresh, active=False)
    await refresh()
    if table.rows and table.rows[0]["status_key"] == "running":
        timer.activate()


def _row(r: RunRow) -> dict:
    return {
        "id": str(r.id), "run_date": day(r.run_date), "status": r.status_label, "status_key": r.status,
        "started": moment(r.started_at), "trigger": TRIGGERS.get(r.trigger, r.trigger), "created": number(r.created),
        "skipped": number(r.skipped), "failed": number(r.failed),
        "duration": f"{r.duration_ms / 1000:.1f} s".replace(".", ",") if r.duration_ms is not None else "—",
    }  # fmt: skip
