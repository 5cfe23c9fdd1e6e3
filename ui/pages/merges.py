"""Duplicados: suggested pairs of customers that look like one party, the merge plan side by side (PREVIEW), its
execution (MOVE_ALL) with a reason, and both customers' audit timelines afterwards."""

from __future__ import annotations

import uuid
from typing import Any

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.merges.plan import MergePlan
from domain.merges.services import merge_customers, preview_merge
from persistence.queries import merges as queries
from persistence.queries.customers import CustomerFilter, list_customers
from persistence.unit_of_work import SqlUnitOfWork
from ui.components import audit_timeline
from ui.components.dialogs import attempt
from ui.components.forms import reason_dialog
from ui.components.frame import page_actor, page_frame
from ui.components.merge_preview import render_plan

router = APIRouter()
SUGGESTION_COLUMNS = [
    {"name": "source", "label": "Origem (mais recente)", "field": "source", "align": "left"},
    {"name": "target", "label": "Destino (mais antigo)", "field": "target", "align": "left"},
    {"name": "reasons", "label": "Por quê", "field": "reasons", "align": "left"},
    {"name": "place", "label": "Cidade/UF", "field": "place", "align": "left"},
    {"name": "review", "label": "", "field": "review", "align": "right"},
]
REVIEW_SLOT = r"""
<q-td :props="props">
  <q-btn dense flat no-caps color="primary" icon="compare_arrows" label="Revisar"
         :data-testid="'review-' + props.rowIndex" @click="$parent.$emit('review', props.row)" />
</q-td>
"""


@router.page("/segmentos/duplicados")
async def duplicates_page(origem: str = "", destino: str = "", mesclado: str = "") -> None:
    actor = await page_actor("Duplicados", Permission.MERGES_RUN)
    if actor is None:
        return
    with page_frame("Duplicados", actor):
        screen = MergeScreen(actor)
        if mesclado and destino:
            await screen.merged(mesclado, destino)
        elif origem and destino:
            await screen.review(origem, destino)
        elif origem:  # from a customer's page: "Mesclar" with this customer as the source
            await screen.preselect_source(origem)
        await screen.load_suggestions()


class MergeScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.pair: dict[str, str | None] = {"source": None, "target": None}
        self.chosen: dict[str, ui.label] = {}
        self.plan: MergePlan | None = None
        ui.label("Sugestões de duplicados: mesmo CNPJ (filiais), mesmo e-mail ou nome parecido na mesma cidade."
                 ).classes("text-sm text-slate-600")  # fmt: skip
        self.suggestions = (
            ui.table(columns=SUGGESTION_COLUMNS, rows=[], row_key="key")
            .classes("w-full")
            .props("hide-bottom data-testid=duplicate-suggestions")
        )
        self.suggestions.add_slot("body-cell-review", REVIEW_SLOT)
        self.suggestions.on("review", lambda e: self.review(e.args["source_id"], e.args["target_id"]))
        self.manual = ui.expansion("Escolher os dois clientes manualmente", icon="search").classes("w-full")
        with self.manual:
            with ui.row().classes("w-full gap-4 no-wrap"):
                self._picker("source", "Origem (será excluída)")
                self._picker("target", "Destino (permanece)")
            ui.button("Gerar prévia", icon="visibility", on_click=self._review_picked).props("outline")
        self.preview = ui.column().classes("w-full gap-2")
        self.timelines = ui.row().classes("w-full no-wrap gap-4 items-start")

    async def load_suggestions(self) -> None:
        found = await run.io_bound(queries.suggest_duplicates, self.actor)
        self.suggestions.rows = [{
            "key": f"{s.source.id}:{s.target.id}", "source_id": str(s.source.id), "target_id": str(s.target.id),
            "source": f"{s.source.name} ({s.source.document})", "target": f"{s.target.name} ({s.target.document})",
            "reasons": ", ".join(s.reason_labels), "place": f"{s.target.city or '—'}/{s.target.uf or '—'}",
        } for s in found]  # fmt: skip
        self.suggestions.update()

    async def review(self, source_id: str, target_id: str) -> None:
        """PREVIEW: the plan, side by side; nothing changes."""
        self.timelines.clear()
        self.preview.clear()
        try:
            source, target = uuid.UUID(source_id), uuid.UUID(target_id)
        except ValueError:
            ui.notify("Cliente inválido.", type="warning")
            return
        ok, plan = await attempt(preview_merge, SqlUnitOfWork(self.actor), source_id=source, target_id=target)
        if not ok or plan is None:
            return
        self.plan = plan
        cards = await run.io_bound(queries.customer_cards, self.actor, [source, target])
        with self.preview:
            render_plan(plan, cards)
            with ui.row().classes("gap-2"):
                ui.button("Inverter origem e destino", icon="swap_horiz",
                          on_click=lambda: self.review(target_id, source_id)).props("flat")  # fmt: skip
                execute = ui.button("Mesclar (mover tudo)", icon="merge", on_click=self._confirm).props(
                    "color=negative data-testid=merge-execute"
                )
                execute.set_enabled(plan.can_execute)

    def _confirm(self) -> None:
        """MOVE_ALL of exactly the plan shown (refused if the data changed since), with the operator's reason."""
        plan = self.plan
        if plan is None:
            return
        detail = (f"“{plan.source_name}” será excluído e tudo o que a prévia mostra passa para “{plan.target_name}”. "
                  "Não há como desfazer.")  # fmt: skip

        def execute(reason: str) -> None:
            merge_customers(SqlUnitOfWork(self.actor), source_id=plan.source_id, target_id=plan.target_id,
                            fingerprint=plan.fingerprint, reason=reason)  # fmt: skip

        reason_dialog("Mesclar clientes", "Mesclar", execute, required=False, detail=detail, danger=True,
                      success=f"“{plan.source_name}” foi mesclado em “{plan.target_name}”.",
                      then=f"/segmentos/duplicados?mesclado={plan.source_id}&destino={plan.target_id}")  # fmt: skip

    async def merged(self, source_id: str, target_id: str) -> None:
        """After MOVE_ALL: what happened, and both customers' audit timelines."""
        try:
            source, target = uuid.UUID(source_id), uuid.UUID(target_id)
        except ValueError:
            return
        cards = await run.io_bound(queries.customer_cards, self.actor, [source, target])
        if source not in cards or target not in cards:
            return
        with self.preview:
            ui.label(f"Mesclagem concluída: “{cards[source].name}” → “{cards[target].name}”.").classes(
                "text-positive font-medium"
            ).props("data-testid=merge-done")
            ui.link("Abrir o cliente de destino", f"/clientes/{target}")
        if not self.actor.can(Permission.AUDIT_READ):
            return
        for title, customer_id, testid in (("Auditoria da origem", source, "timeline-source"),
                                           ("Auditoria do destino", target, "timeline-target")):  # fmt: skip
            with self.timelines, ui.column().classes("w-1/2").props(f"data-testid={testid}"):
                ui.label(title).classes("font-semibold")
                await audit_timeline.build(self.actor, customer_id)

    def _picker(self, side: str, label: str) -> None:
        with ui.column().classes("w-1/2 gap-1"):
            chosen = self.chosen[side] = ui.label(f"{label}: —").classes("text-sm font-medium")
            results = ui.column().classes("gap-0")

            async def search(e: Any) -> None:
                text = (e.value or "").strip()
                results.clear()
                if len(text) < 2:
                    return
                page = await run.io_bound(list_customers, self.actor, CustomerFilter(search=text), limit=6)
                with results:
                    for row in page.rows:
                        ui.button(f"{row.name} · {row.document}", on_click=lambda r=row: pick(r)).props(
                            "flat dense no-caps align=left"
                        )

            def pick(row: Any) -> None:
                self.pair[side] = str(row.id)
                chosen.text = f"{label}: {row.name} ({row.document})"
                results.clear()

            ui.input("Buscar por nome, documento ou e-mail", on_change=search).props(
                f"debounce=300 clearable data-testid=pick-{side}"
            ).classes("w-full")

    async def preselect_source(self, source_id: str) -> None:
        try:
            cards = await run.io_bound(queries.customer_cards, self.actor, [uuid.UUID(source_id)])
        except ValueError:
            return
        for card in cards.values():
            self.pair["source"] = str(card.id)
            self.chosen["source"].text = f"Origem (será excluída): {card.name} ({card.document})"
            self.manual.open()

    async def _review_picked(self) -> None:
        if not (self.pair["source"] and self.pair["target"]):
            ui.notify("Escolha a origem e o destino.", type="warning")
            return
        await self.review(self.pair["source"], self.pair["target"])
