"""The filter tree of a segment: a versioned JSON document, validated and normalized before anything runs it.

    {"version": 1, "op": "and", "children": [
        {"field": "uf", "cmp": "in", "value": ["SP", "RJ"]},
        {"op": "or", "children": [{"field": "tags", "cmp": "any", "value": ["vip"]}, ...]}]}

Saved views store this document. Reading one back goes through `validate_tree` again, so a view saved before a
schema-compatible change (a renamed field, a new version of the format) opens as it was saved, and one that can no
longer run says why in pt-BR instead of failing. Empty groups are dropped; an empty root selects every live customer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from domain.documents.tax_ids import search_key
from domain.segments.errors import InvalidSegment
from domain.segments.fields import Cmp, FieldSpec, FieldType, field_catalogue
from domain.text import fold

TREE_VERSION = 1
MAX_DEPTH = 4  # the root and three levels of groups inside it
MAX_CONDITIONS = 40
MAX_LIST = 100
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
GROUP_OPS = ("and", "or")
# Renamed fields: an old saved view keeps working. NOTE: add an entry whenever a catalogue key changes.
FIELD_ALIASES: dict[str, str] = {}
# Upgrades from one format version to the next: UPGRADES[n] turns a version-n tree into a version-(n+1) tree.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def empty_tree() -> dict[str, Any]:
    return {"version": TREE_VERSION, "op": "and", "children": []}


def validate_tree(data: Any, catalogue: dict[str, FieldSpec] | None = None) -> dict[str, Any]:
    """The normalized tree (current version), or InvalidSegment naming the condition to fix."""
    catalogue = catalogue if catalogue is not None else field_catalogue()
    if not isinstance(data, dict):
        raise InvalidSegment("O filtro não é um documento válido.", "")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise InvalidSegment("O filtro não tem uma versão válida.", "version")
    if version > TREE_VERSION:
        raise InvalidSegment("Este filtro foi salvo por uma versão mais nova do Fatura.", "version")
    while version < TREE_VERSION:
        data, version = UPGRADES[version](data), version + 1
    counter = [0]
    group = _group(data, catalogue, path="", depth=1, counter=counter)
    return {"version": TREE_VERSION, **group}


def conditions_of(tree: dict[str, Any]) -> list[dict[str, Any]]:
    """Every condition of a (validated) tree, depth first."""
    found: list[dict[str, Any]] = []
    for child in tree.get("children", []):
        found.extend(conditions_of(child) if "op" in child else [child])
    return found


def _group(node: Any, catalogue: dict[str, FieldSpec], *, path: str, depth: int, counter: list[int]) -> dict:
    if not isinstance(node, dict) or node.get("op") not in GROUP_OPS:
        raise InvalidSegment("Cada grupo precisa ser “todas” (E) ou “qualquer” (OU).", f"{path}op")
    if depth > MAX_DEPTH:
        raise InvalidSegment(f"No máximo {MAX_DEPTH - 1} níveis de grupos dentro do filtro.", path.rstrip("."))
    children = node.get("children", [])
    if not isinstance(children, list):
        raise InvalidSegment("Os itens do grupo precisam ser uma lista.", f"{path}children")
    kept: list[dict[str, Any]] = []
    for index, child in enumerate(children):
        child_path = f"{path}children.{index}."
        if isinstance(child, dict) and "op" in child:
            group = _group(child, catalogue, path=child_path, depth=depth + 1, counter=counter)
            if group["children"]:  # an empty group would mean "everything" or "nothing": leave it out
                kept.append(group)
        else:
            counter[0] += 1
            if counter[0] > MAX_CONDITIONS:
                raise InvalidSegment(f"No máximo {MAX_CONDITIONS} condições por filtro.", child_path.rstrip("."))
            kept.append(_condition(child, catalogue, path=child_path))
    return {"op": node["op"], "children": kept}


def _condition(node: Any, catalogue: dict[str, FieldSpec], *, path: str) -> dict[str, Any]:
    if not isinstance(node, dict):
        raise InvalidSegment("Condição inválida.", path.rstrip("."))
    key = FIELD_ALIASES.get(node.get("field"), node.get("field"))
    spec = catalogue.get(key) if isinstance(key, str) else None
    if spec is None:
        raise InvalidSegment(f"O campo “{node.get('field')}” não existe (mais) no filtro.", f"{path}field")
    try:
        cmp = Cmp(node.get("cmp"))
    except ValueError:
        cmp = None
    if cmp is None or cmp not in spec.comparators:
        raise InvalidSegment(f"Comparação inválida para “{spec.label}”.", f"{path}cmp")
    value = _value(spec, cmp, node.get("value"), path=f"{path}value")
    return {"field": spec.key, "cmp": cmp.value, "value": value}


def _value(spec: FieldSpec, cmp: Cmp, raw: Any, *, path: str) -> Any:
    label = spec.label
    if cmp in (Cmp.IS_SET, Cmp.IS_NOT_SET, Cmp.HAS_KEY) and spec.type is not FieldType.KEY_VALUE:
        return None
    if spec.type is FieldType.TAGS:
        tags = _tags(raw, label, path)
        if not tags:
            raise InvalidSegment(f"Informe ao menos uma etiqueta em “{label}”.", path)
        if len(tags) > MAX_LIST:
            raise InvalidSegment(f"No máximo {MAX_LIST} etiquetas em “{label}”.", path)
        return tags
    if spec.type is FieldType.KEY_VALUE:
        return _key_value(raw, cmp, label, path)
    if cmp is Cmp.BETWEEN:
        if not isinstance(raw, list | tuple) or len(raw) != 2:
            raise InvalidSegment(f"Informe os dois limites de “{label}”.", path)
        low, high = (_scalar(spec, cmp, v, path) for v in raw)
        if low > high:
            raise InvalidSegment(f"Em “{label}”, o primeiro limite deve ser menor ou igual ao segundo.", path)
        return [low, high]
    if cmp in (Cmp.IN, Cmp.NOT_IN):
        if not isinstance(raw, list | tuple) or not raw:
            raise InvalidSegment(f"Escolha ao menos um valor para “{label}”.", path)
        if len(raw) > MAX_LIST:
            raise InvalidSegment(f"No máximo {MAX_LIST} valores em “{label}”.", path)
        return list(dict.fromkeys(_scalar(spec, cmp, v, path) for v in raw))
    return _scalar(spec, cmp, raw, path)


def _scalar(spec: FieldSpec, cmp: Cmp, raw: Any, path: str) -> Any:
    label = spec.label
    if cmp is Cmp.LAST_DAYS or spec.type in (FieldType.NUMBER, FieldType.MONEY):
        if isinstance(raw, bool) or not isinstance(raw, int | float) or int(raw) != raw:
            what = "um valor em centavos" if spec.type is FieldType.MONEY else "um número inteiro"
            raise InvalidSegment(f"Informe {what} para “{label}”.", path)
        if cmp is Cmp.LAST_DAYS and not 0 < raw <= 36_500:
            raise InvalidSegment(f"Informe de 1 a 36.500 dias para “{label}”.", path)
        return int(raw)
    if spec.type is FieldType.DATE:
        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise InvalidSegment(f"Data inválida em “{label}”: use dd/mm/aaaa.", path) from None
    if spec.type is FieldType.BOOLEAN:
        if not isinstance(raw, bool):
            raise InvalidSegment(f"Escolha sim ou não para “{label}”.", path)
        return raw
    if spec.type is FieldType.CHOICE:
        if spec.choices is not None and raw not in spec.choices:
            raise InvalidSegment(f"Valor inválido para “{label}”.", path)
        return raw
    return _text(spec, raw, path)


def _text(spec: FieldSpec, raw: Any, path: str) -> str:
    text = " ".join(str(raw if raw is not None else "").split())
    if not text:
        raise InvalidSegment(f"Informe um valor para “{spec.label}”.", path)
    if len(text) > 200:
        raise InvalidSegment(f"Valor longo demais em “{spec.label}”.", path)
    # Stored the way the column keeps it, so the SQL compares like with like on both databases.
    if spec.key == "name":
        return fold(text)
    if spec.key == "document":
        key = search_key(text)
        if not key:
            raise InvalidSegment("Documento inválido: digite números (com ou sem máscara).", path)
        return key
    if spec.key in ("email", "account_email"):
        return text.lower()
    if spec.key == "account_currency":
        return text.upper()
    return text


def _tags(raw: Any, label: str, path: str) -> list[str]:
    if raw is None:
        raw = []
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise InvalidSegment(f"Informe as etiquetas de “{label}”.", path)
    # Same normalization as the registry's tags: spaces squashed, lower-case.
    tags = list(dict.fromkeys(" ".join(str(t).split()).lower() for t in items if str(t).strip()))
    return tags


def _key_value(raw: Any, cmp: Cmp, label: str, path: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not KEY_PATTERN.fullmatch(str(raw.get("key", "")).strip()):
        raise InvalidSegment(f"Informe a chave de “{label}” (letras, números, _ . -).", path)
    key = str(raw["key"]).strip()
    if cmp is Cmp.HAS_KEY:
        return {"key": key}
    value = raw.get("value")
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "" or not isinstance(value, str | int | float | bool):
        raise InvalidSegment(f"Informe o valor da chave “{key}”.", path)
    return {"key": key, "value": value}
