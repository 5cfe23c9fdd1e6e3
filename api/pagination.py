"""`page[number]`, `page[size]` (max 100) and the `page[after]` cursor; `meta` and `links` as the Catalisa API shows.

Numbered pages are OFFSET on an indexed order, cheap for moderate depths; number × size is capped at MAX_DEPTH
(beyond it: 400 with a hint to filter or follow `links.next`, which carries the keyset cursor at constant cost).
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import Query, Request
from pydantic import BaseModel, Field

from domain.errors import BillingError
from persistence.queries.api_lists import ListPage, PageRequest

MAX_SIZE = 100
DEFAULT_SIZE = 25
MAX_DEPTH = 10_000


class PageTooDeep(BillingError):
    code = "page_too_deep"
    http_status = 400

    def __init__(self) -> None:
        super().__init__(
            f"Página além do limite de {MAX_DEPTH} itens: use filtros ou o cursor page[after] de links.next.",
            field="page[number]",
        )


def page_params(
    number: int = Query(1, alias="page[number]", ge=1, le=MAX_DEPTH, description="Página (começa em 1)"),
    size: int = Query(DEFAULT_SIZE, alias="page[size]", ge=1, le=MAX_SIZE, description="Itens por página"),
    after: str | None = Query(None, alias="page[after]", max_length=64, description="Cursor de links.next"),
) -> PageRequest:
    if after is None and number * size > MAX_DEPTH:
        raise PageTooDeep()
    return PageRequest(number=number, size=size, after=after)


class Meta(BaseModel):
    total_items: int = Field(examples=[25])
    total_items_is_estimate: bool = Field(False, description="PostgreSQL's estimate on very large selections")
    total_pages: int = Field(examples=[3])
    current_page: int | None = Field(examples=[1], description="None when paging with page[after]")
    items_per_page: int = Field(examples=[10])


class Links(BaseModel):
    self: str = Field(examples=["/api/v1/billing-accounts?page[number]=1&page[size]=10"])
    next: str | None = Field(None, examples=["/api/v1/billing-accounts?page[number]=2&page[size]=10"])
    prev: str | None = None
    last: str | None = None
    next_cursor: str | None = Field(None, description="The same next page by cursor: constant cost at any depth")


def envelope(request: Request, page: PageRequest, result: ListPage[Any], data: list[Any]) -> dict[str, Any]:
    total = result.total.value
    pages = max(1, math.ceil(total / page.size))
    numbered = page.after is None

    def link(**params: Any) -> str:
        kept = [(k, v) for k, v in request.query_params.multi_items() if not k.startswith("page[")]
        query = urlencode([*kept, *params.items(), ("page[size]", page.size)], safe="[]")
        return f"{request.url.path}?{query}"

    self_link = link(**{"page[number]": page.number}) if numbered else link(**{"page[after]": page.after})
    next_number = (
        page.number + 1 if numbered and result.next_after and (page.number + 1) * page.size <= MAX_DEPTH else None
    )
    return {
        "data": data,
        "meta": Meta(
            total_items=total,
            total_items_is_estimate=result.total.is_estimate,
            total_pages=pages,
            current_page=page.number if numbered else None,
            items_per_page=page.size,
        ),
        "links": Links(
            self=self_link,
            next=(
                link(**{"page[number]": next_number})
                if next_number
                else link(**{"page[after]": result.next_after})
                if result.next_after
                else None
            ),
            prev=link(**{"page[number]": page.number - 1}) if numbered and page.number > 1 else None,
            last=link(**{"page[number]": pages}) if numbered and pages * page.size <= MAX_DEPTH else None,
            next_cursor=link(**{"page[after]": result.next_after}) if result.next_after else None,
        ),
    }
