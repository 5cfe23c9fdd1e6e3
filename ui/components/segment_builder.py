"""The segment builder: nested "todas (E)" / "qualquer (OU)" groups of conditions, one row per condition (field,
comparison, value). Every edit calls `on_change` with the tree as typed; the page validates it (the domain's
messages) and debounces the live count. Structural edits re-render; typing in a value does not (keeps the focus)."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from nicegui import ui

from domain.segments.fields import SOURCE_GROUP_LABELS, Cmp, FieldSpec, FieldType, field_catalogue
from domain.segments.tree import MAX_DEPTH, empty_tree

NO_VALUE = (Cmp.IS_SET, Cmp.IS_NOT_SET)
GROUP_OPS = {"and": "Todas (E)", "or": "Qualquer (OU)"}
VALUE_TYPES = {"text": "texto", "number": "número", "bool": "sim/não"}


class SegmentBuilder:
    def __init__(self, on_change: Callable[[dict[str, Any]], Awaitable[None] | None]) -> None:
        self.on_change = on_change
        self.catalogue = field_catalogue()
        self.field_options = {k: f"{SOURCE_GROUP_LABELS[s.source]} · {s.label}" for k, s in self.catalogue.items()}
        self.tree: dict[str, Any] = empty_tree()
        self.container = ui.column().classes("w-full gap-1").props("data-testid=segment-builder")
        self.render()

    def load(self, tree: dict[str, Any]) -> None:
        self.tree = copy.deepcopy(tree)
        self.render()

    def render(self) -> None:
        self.container.clear()
        with self.container:
            self._group(self.tree, None, depth=1, path="root")

    async def changed(self) -> None:
        result = self.on_change(self.tree)
        if result is not None:
            await result

    async def _restructure(self) -> None:
        self.render()
        await self.changed()

    def _group(self, node: dict[str, Any], parent: dict[str, Any] | None, *, depth: int, path: str) -> None:
        border = "border-l-4 border-blue-300" if node["op"] == "or" else "border-l-4 border-slate-300"
        with ui.column().classes(f"w-full gap-1 pl-2 py-1 {border}").props(f"data-testid=group-{path}"):
            with ui.row().classes("items-center gap-1"):
                ui.toggle(GROUP_OPS, value=node["op"], on_change=lambda e: self._set(node, "op", e.value)).props(
                    f"dense no-caps size=sm data-testid=op-{path}"
                )
                ui.button("Condição", icon="add", on_click=lambda: self._add(node, self._new_condition())).props(
                    f"flat dense size=sm data-testid=add-condition-{path}"
                )
                if depth < MAX_DEPTH:
                    ui.button("Grupo", icon="account_tree", on_click=lambda: self._add(node, self._new_group())).props(
                        f"flat dense size=sm data-testid=add-group-{path}"
                    )
                if parent is not None:
                    ui.button(icon="delete_outline", on_click=lambda: self._remove(parent, node)).props(
                        f"flat dense round size=sm color=negative aria-label='Remover grupo' data-testid=remove-{path}"
                    )
            if not node["children"]:
                ui.label("Sem condições: todos os clientes.").classes("text-xs text-slate-400 pl-1")
            for index, child in enumerate(node["children"]):
                child_path = f"{path}-{index}"
                if "op" in child:
                    self._group(child, node, depth=depth + 1, path=child_path)
                else:
                    self._condition(child, node, child_path)

    def _condition(self, node: dict[str, Any], parent: dict[str, Any], path: str) -> None:
        spec = self.catalogue.get(node["field"])
        with ui.row().classes("items-center gap-1 no-wrap").props(f"data-testid=condition-{path}"):
            ui.select(self.field_options, value=node["field"] if spec else None, with_input=True,
                      on_change=lambda e: self._field(node, e.value)).classes("w-72").props(
                f"data-testid=field-{path}")  # fmt: skip
            if spec is not None:
                cmps = {c.value: spec.cmp_label(c) for c in spec.comparators}
                ui.select(cmps, value=node["cmp"], on_change=lambda e: self._cmp(node, e.value)).classes("w-48").props(
                    f"data-testid=cmp-{path} data-field={spec.key}"
                )
                self._value(spec, node, path)
            ui.button(icon="close", on_click=lambda: self._remove(parent, node)).props(
                f"flat dense round size=sm aria-label='Remover condição' data-testid=remove-{path}"
            )

    def _value(self, spec: FieldSpec, node: dict[str, Any], path: str) -> None:
        cmp, value = Cmp(node["cmp"]), node.get("value")
        testid = f"data-testid=value-{path} data-field={spec.key} data-cmp={cmp.value}"
        if cmp in NO_VALUE and spec.type is not FieldType.KEY_VALUE:
            return
        if spec.type is FieldType.KEY_VALUE:
            self._key_value(node, cmp, path)
        elif spec.type is FieldType.CHOICE:
            multiple = cmp in (Cmp.IN, Cmp.NOT_IN)
            ui.select(spec.choices or {}, value=value if value is not None else ([] if multiple else None),
                      multiple=multiple, on_change=lambda e: self._set(node, "value", e.value)).classes(
                "min-w-48").props(f"use-chips {testid}")  # fmt: skip
        elif spec.type is FieldType.BOOLEAN:
            ui.select({True: "Sim", False: "Não"}, value=value, on_change=lambda e: self._set(node, "value", e.value)
                      ).props(testid)  # fmt: skip
        elif spec.type is FieldType.TAGS:
            ui.input("etiquetas, separadas por vírgula", value=", ".join(value or []),
                     on_change=lambda e: self._set(node, "value", _split(e.value))).classes("w-64").props(
                testid)  # fmt: skip
        elif cmp is Cmp.BETWEEN:
            low, high = value if isinstance(value, list) and len(value) == 2 else (None, None)
            bounds = [low, high]
            for n, bound in enumerate(bounds):
                bound_testid = f"data-testid=value-{path}-{n} data-field={spec.key}"
                self._scalar(spec, cmp, bound, lambda v, n=n: self._between(node, bounds, n, v), bound_testid)
        else:
            self._scalar(spec, cmp, value, lambda v: self._set(node, "value", v), testid)

    def _scalar(self, spec: FieldSpec, cmp: Cmp, value: Any, store: Callable[[Any], Any], testid: str) -> None:
        if cmp is Cmp.LAST_DAYS or spec.type is FieldType.NUMBER:
            ui.number(value=value, precision=0, on_change=lambda e: store(None if e.value is None else int(e.value))
                      ).classes("w-28").props(testid)  # fmt: skip
        elif spec.type is FieldType.MONEY:
            ui.number("R$", value=None if value is None else value / 100, format="%.2f",
                      on_change=lambda e: store(None if e.value is None else round(e.value * 100))).classes(
                "w-36").props(testid)  # fmt: skip
        elif spec.type is FieldType.DATE:
            shown = datetime.fromisoformat(value).strftime("%d/%m/%Y") if value else ""
            ui.input("dd/mm/aaaa", value=shown, on_change=lambda e: store(_iso_day(e.value))).classes("w-32").props(
                f"mask=##/##/#### {testid}"
            )
        else:
            ui.input(spec.hint or "valor", value=value or "", on_change=lambda e: store(e.value)).classes("w-56").props(
                testid
            )

    def _key_value(self, node: dict[str, Any], cmp: Cmp, path: str) -> None:
        current = dict(node.get("value") or {})
        state = {"key": current.get("key", ""), "value": current.get("value"), "type": _type_of(current.get("value"))}

        def store() -> Any:
            if cmp is Cmp.HAS_KEY:
                return self._set(node, "value", {"key": state["key"]})
            return self._set(node, "value", {"key": state["key"], "value": _typed(state["value"], state["type"])})

        ui.input("chave", value=state["key"], on_change=lambda e: (state.update(key=e.value), store())[1]).classes(
            "w-32").props(f"data-testid=value-{path}-key")  # fmt: skip
        if cmp is Cmp.KEY_EQ:
            ui.input("valor", value="" if state["value"] is None else str(state["value"]).lower()
                     if isinstance(state["value"], bool) else str(state["value"]),
                     on_change=lambda e: (state.update(value=e.value), store())[1]).classes("w-32").props(
                f"data-testid=value-{path}-value")  # fmt: skip
            ui.select(VALUE_TYPES, value=state["type"], on_change=lambda e: (state.update(type=e.value), store())[1]
                      ).classes("w-28").props(f"data-testid=value-{path}-type")  # fmt: skip

    async def _set(self, node: dict[str, Any], key: str, value: Any) -> None:
        node[key] = value
        await self.changed()

    async def _between(self, node: dict[str, Any], bounds: list[Any], index: int, value: Any) -> None:
        bounds[index] = value
        await self._set(node, "value", list(bounds))

    async def _field(self, node: dict[str, Any], key: str | None) -> None:
        spec = self.catalogue.get(key or "")
        if spec is None:
            return
        node.update(field=key, cmp=spec.comparators[0].value, value=None)
        await self._restructure()

    async def _cmp(self, node: dict[str, Any], cmp: str) -> None:
        node.update(cmp=cmp, value=None)
        await self._restructure()

    async def _add(self, group: dict[str, Any], child: dict[str, Any]) -> None:
        group["children"].append(child)
        await self._restructure()

    async def _remove(self, group: dict[str, Any], child: dict[str, Any]) -> None:
        group["children"] = [c for c in group["children"] if c is not child]
        await self._restructure()

    def _new_condition(self) -> dict[str, Any]:
        return {"field": "uf", "cmp": Cmp.IN.value, "value": []}

    def _new_group(self) -> dict[str, Any]:
        return {"op": "or", "children": [self._new_condition()]}


def _split(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _iso_day(text: str | None) -> str | None:
    try:
        return datetime.strptime((text or "").strip(), "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


def _type_of(value: Any) -> str:
    return "bool" if isinstance(value, bool) else "number" if isinstance(value, int | float) else "text"


def _typed(raw: Any, kind: str) -> Any:
    text = "" if raw is None else str(raw).strip()
    if kind == "number":
        try:
            return int(text) if text.lstrip("-").isdigit() else float(text.replace(",", "."))
        except ValueError:
            return None
    if kind == "bool":
        return {"sim": True, "true": True, "não": False, "nao": False, "false": False}.get(text.lower())
    return text
