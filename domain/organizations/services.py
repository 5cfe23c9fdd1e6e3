"""Use cases of the organization itself: creating an issuer and changing its settings."""

from __future__ import annotations

from typing import Any

from domain.access.model import Role
from domain.access.permissions import BUILTIN_ROLES, Permission
from domain.errors import Conflict, ValidationFailed
from domain.organizations.model import NumberSeries, Organization, TaxRegime
from domain.ports import UnitOfWork


def create_organization(
    uow: UnitOfWork, *, slug: str, legal_name: str, tax_regime: TaxRegime, cnpj: str | None = None,
    trade_name: str | None = None, municipal_registration: str | None = None, currency: str = "BRL",
) -> Organization:  # fmt: skip
    """A new issuer starts with the built-in roles and its invoice number series."""
    with uow:
        if uow.actor.kind != "system":
            raise ValidationFailed("Somente o sistema cria organizações.")
        slug = slug.strip().lower()
        if not slug or not slug.replace("-", "").isalnum():
            raise ValidationFailed("O identificador deve ter letras, números e hífens.", field="slug")
        if uow.organizations.find_by_slug(slug):
            raise Conflict(f"Já existe uma organização '{slug}'.", field="slug")
        org = Organization(
            slug=slug, legal_name=legal_name, trade_name=trade_name, cnpj=cnpj, tax_regime=tax_regime,
            municipal_registration=municipal_registration, currency=currency, branding={}, preferences={},
        )  # fmt: skip
        uow.add(org)
        uow.flush()
        for name, (label, permissions) in BUILTIN_ROLES.items():
            uow.add(Role(organization_id=org.id, name=name, label=label, is_builtin=True,
                         permissions=sorted(p.value for p in permissions)))  # fmt: skip
        uow.add(NumberSeries(organization_id=org.id, key="invoice", prefix="INV-", padding=6, next_value=1))
        uow.describe("organization.created")
        uow.commit()
        return org


EDITABLE_FIELDS = {"legal_name", "trade_name", "cnpj", "municipal_registration", "tax_regime", "timezone", "currency"}


def update_organization(uow: UnitOfWork, *, changes: dict[str, Any], reason: str | None = None) -> Organization:
    """An admin changes the issuer's registration or tax regime; every change is audited."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValidationFailed(f"Campos não editáveis: {', '.join(sorted(unknown))}.")
        org = uow.organizations.current()
        if "legal_name" in changes and not str(changes["legal_name"]).strip():
            raise ValidationFailed("Informe a razão social.", field="legal_name")
        for key, value in changes.items():
            setattr(org, key, TaxRegime(value) if key == "tax_regime" else value)
        uow.describe("organization.updated", reason=reason)
        uow.commit()
        return org
