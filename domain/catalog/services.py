"""Use cases of the service catalog and tax rules (admin settings)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from domain.access.permissions import Permission
from domain.catalog.model import STANDARD_SERVICES, ServiceItem, TaxRule
from domain.errors import Conflict, ValidationFailed
from domain.invoices.ports import InvoicingUnitOfWork
from domain.taxes.rules import IrrfCategory
from domain.taxes.withholding import normalise_service_code


def install_standard_services(uow: InvoicingUnitOfWork) -> None:
    """Inside a caller's transaction: an organization without a catalog gets the standard services once."""
    if uow.catalog.has_service_items():
        return
    org = uow.organizations.current()
    for s in STANDARD_SERVICES:
        uow.add(
            ServiceItem(
                organization_id=org.id,
                code=s.code,
                description=s.description,
                lc116_code=s.lc116_code,
                irrf_category=s.irrf_category,
                csrf_applies=s.csrf_applies,
                inss_cession=s.inss_cession,
                simples_annex_iv=s.simples_annex_iv,
                is_active=True,
            )
        )
    uow.flush()


def create_service_item(
    uow: InvoicingUnitOfWork,
    *,
    code: str,
    description: str,
    lc116_code: str,
    irrf_category: IrrfCategory = IrrfCategory.NONE,
    csrf_applies: bool = False,
    inss_cession: bool = False,
    simples_annex_iv: bool = False,
) -> ServiceItem:
    """An admin adds a service the organization bills, with its LC 116 subitem and how it is withheld."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("service_item.created")
        code = code.strip().lower()
        if not code or not description.strip():
            raise ValidationFailed("Informe o código e a descrição do serviço.", field="code")
        install_standard_services(uow)
        if uow.catalog.service_item_by_code(code) is not None:
            raise Conflict(f"Já existe um serviço com o código “{code}”.", field="code")
        item = ServiceItem(
            code=code,
            description=description.strip(),
            lc116_code=normalise_service_code(lc116_code),
            irrf_category=IrrfCategory(irrf_category),
            csrf_applies=csrf_applies,
            inss_cession=inss_cession,
            simples_annex_iv=simples_annex_iv,
            is_active=True,
        )
        uow.add(item)
        uow.commit()
        return item


def create_tax_rule(
    uow: InvoicingUnitOfWork,
    *,
    name: str,
    rate: Decimal,
    service_item_id: uuid.UUID | None = None,
    municipality_code: str | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> TaxRule:
    """An admin adds a tax on top of invoice lines (ISS of a municipality, a fee), optionally per service."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("tax_rule.created")
        if not name.strip():
            raise ValidationFailed("Informe o nome do imposto.", field="name")
        if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0 or rate >= 1:
            raise ValidationFailed("A alíquota é uma fração entre 0 e 1 (0.02 para 2%).", field="rate")
        if municipality_code is not None and not (len(municipality_code) == 7 and municipality_code.isdigit()):
            raise ValidationFailed("O código IBGE do município tem 7 dígitos.", field="municipality_code")
        if valid_from and valid_until and valid_until < valid_from:
            raise ValidationFailed("O fim da vigência é anterior ao início.", field="valid_until")
        rule = TaxRule(
            name=name.strip(),
            rate=rate,
            service_item_id=service_item_id,
            municipality_code=municipality_code,
            valid_from=valid_from,
            valid_until=valid_until,
            is_active=True,
        )
        uow.add(rule)
        uow.commit()
        return rule
