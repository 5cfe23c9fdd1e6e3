"""The API application, mounted by ui/app.py at /api/v1 (its OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from fastapi import FastAPI

from api import errors
from api.auth import ApiGate
from api.routes import (
    billing_accounts,
    customers,
    invoices,
    merges,
    plans,
    portal_users,
    segments,
    statements,
    subscriptions,
)

DESCRIPTION = """
REST API do Fatura: os mesmos casos de uso e permissões das telas, por chave de API da organização.

- Autenticação: `Authorization: Bearer fat_live_…` (ou `X-API-Key`). Chaves em Configurações › Chaves de API ou
  `python run.py create-api-key --organization SLUG --role ROLE`.
- JSON em snake_case, valores em centavos, datas ISO 8601.
- Listas: `page[number]`, `page[size]` (máx. 100), `page[after]`; filtros `filter[...]`; `meta` e `links`.
- `Idempotency-Key` em todo POST: a mesma chave com o mesmo corpo devolve a primeira resposta (24 h).
- Erros: `{"error": {"code", "message", "field"}}`; limite por chave: 429 com `Retry-After`.
"""


def create_api_app() -> FastAPI:
    app = FastAPI(
        title="Fatura API",
        version="1",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        description=DESCRIPTION,
    )
    errors.install(app)
    app.add_middleware(ApiGate)
    # NOTE: /customers/merge before /customers/{id}: the first route that matches wins.
    for router in (
        merges.router,
        customers.router,
        billing_accounts.router,
        portal_users.router,
        invoices.router,
        statements.router,
        plans.router,
        subscriptions.router,
        segments.router,
    ):
        app.include_router(router)
    return app


api_app = create_api_app()
