"""Typed custom fields: an admin defines them per organization (text, number, date, choice; required or not),
and each customer keeps its values in Customer.custom_fields, checked against the definitions when saved."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.customers.errors import FieldCollector
from domain.errors import ValidationFailed

TEXT_MAX_LENGTH = 500
_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")


class CustomFieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"


FIELD_TYPE_LABELS = {
    CustomFieldType.TEXT: "Texto",
    CustomFieldType.NUMBER: "Número",
    CustomFieldType.DATE: "Data",
    CustomFieldType.CHOICE: "Lista de opções",
}


class CustomFieldDefinition(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "custom_field_definition"
    __table_args__ = (UniqueConstraint("organization_id", "key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(64))  # the JSON key in Customer.custom_fields; never changes
    label: Mapped[str]
    field_type: Mapped[CustomFieldType]
    choices: Mapped[list[str]] = mapped_column(default=list)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def normalize(self, raw: Any) -> Any:
        """The stored value of one input, or None when empty; raises ValidationFailed naming the field."""
        field = f"custom_fields.{self.key}"
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise ValidationFailed(f"Informe “{self.label}”.", field=field)
            return None
        if self.field_type is CustomFieldType.TEXT:
            text = str(raw).strip()
            if len(text) > TEXT_MAX_LENGTH:
                raise ValidationFailed(f"“{self.label}” aceita até {TEXT_MAX_LENGTH} caracteres.", field=field)
            return text
        if self.field_type is CustomFieldType.NUMBER:
            return _number(raw, self.label, field)
        if self.field_type is CustomFieldType.DATE:
            return _date(raw, self.label, field)
        value = str(raw).strip()
        if value not in self.choices:
            raise ValidationFailed(f"“{self.label}”: escolha uma das opções ({', '.join(self.choices)}).", field=field)
        return value


def normalize_custom_values(
    definitions: list[CustomFieldDefinition], current: dict[str, Any], typed: dict[str, Any], errors: FieldCollector
) -> dict[str, Any]:
    """New Customer.custom_fields: active definitions take the typed values (checked); values of keys no active
    definition covers (a field an admin switched off) are kept as they were, never silently dropped."""
    active = [d for d in definitions if d.is_active]
    result = {key: value for key, value in current.items() if key not in {d.key for d in active}}
    for definition in active:
        try:
            value = definition.normalize(typed.get(definition.key, current.get(definition.key)))
        except ValidationFailed as error:
            errors.take(f"custom_fields.{definition.key}", error)
            continue
        if value is not None:
            result[definition.key] = value
    return result


def check_definition(key: str, label: str, field_type: CustomFieldType | str, choices: list[str]) -> list[str]:
    """Refuse a definition that could not hold values: a bad key, no label, a choice list without options."""
    if not _KEY.fullmatch(key):
        raise ValidationFailed(
            "Chave inválida: use letras minúsculas, dígitos e “_”, começando por letra (ex.: centro_custo).",
            field="key",
        )
    if not label.strip():
        raise ValidationFailed("Informe o rótulo do campo.", field="label")
    cleaned = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if CustomFieldType(field_type) is CustomFieldType.CHOICE and not cleaned:
        raise ValidationFailed("Informe ao menos uma opção para um campo de lista.", field="choices")
    return cleaned if CustomFieldType(field_type) is CustomFieldType.CHOICE else []


def _number(raw: Any, label: str, field: str) -> int | float:
    if isinstance(raw, bool):
        raise ValidationFailed(f"“{label}” deve ser um número.", field=field)
    if isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "")
        if "," in text:  # pt-BR: 1.234,56
            text = text.replace(".", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationFailed(f"“{label}” deve ser um número, ex.: 1.234,56.", field=field) from None
    if not value.is_finite():
        raise ValidationFailed(f"“{label}” deve ser um número.", field=field)
    return int(value) if value == value.to_integral_value() else float(value)


def _date(raw: Any, label: str, field: str) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValidationFailed(f"“{label}” deve ser uma data no formato dd/mm/aaaa.", field=field)
