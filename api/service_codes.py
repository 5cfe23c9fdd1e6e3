"""Services (LC 116 items of the catalog) named by the API's callers: by id (UUID) or by code ("consultoria", or
"svc_consultoria" as other systems prefix them)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from domain.access.permissions import Actor
from domain.catalog import services as catalog
from domain.errors import NotFound
from persistence.unit_of_work import SqlUnitOfWork


def service_ids(actor: Actor, codes: Iterable[str]) -> dict[str, uuid.UUID]:
    """Codes to ids of the catalog (installing the standard services first, as the first invoice would)."""
    found = {}
    with SqlUnitOfWork(actor) as uow:
        catalog.install_standard_services(uow)
        for code in codes:
            item = uow.catalog.service_item_by_code(code.removeprefix("svc_"))
            if item is None:
                raise NotFound("Serviço", code)
            found[code] = item.id
        uow.commit()
    return found


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False
