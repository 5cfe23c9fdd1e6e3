"""Wires the NiceGUI app: defaults for dense screens, the sign-in middleware, page routers and /healthz."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from nicegui import app, run, ui
from sqlalchemy import text
from starlette.routing import Mount

from api.app import api_app
from jobs import huey_app
from persistence.database import get_engine
from ui.auth import AuthMiddleware
from ui.pages import (
    accounts,
    api_keys,
    audit,
    communications,
    custom_fields,
    customer,
    customers,
    dashboard,
    imports,
    invoice_editor,
    invoice_files,
    invoices,
    lgpd,
    login,
    merges,
    reports,
    search,
    segments,
    settings,
    statements,
    subscriptions,
    webhooks,
)

ROUTERS = [login.router, dashboard.router, settings.router, audit.router, search.router]
# NOTE: /clientes/campos before /clientes/{customer_id}: the first route that matches wins.
ROUTERS += [customers.router, custom_fields.router, customer.router, accounts.router]
ROUTERS += [segments.router, merges.router]
ROUTERS += [invoices.router, invoice_editor.router, invoice_files.router, statements.router]
ROUTERS += [imports.router, lgpd.router, reports.router]
ROUTERS += [api_keys.router]
ROUTERS += [communications.router, webhooks.router]
ROUTERS += [subscriptions.router]  # NOTE: /assinaturas/planos is declared after /assinaturas in the module


def setup() -> None:
    """Called once per process (and once per test by NiceGUI's user fixture) before ui.run()."""
    _dense_defaults()
    app.add_middleware(AuthMiddleware)
    for router in ROUTERS:
        app.include_router(router)
    app.add_api_route("/healthz", healthz, methods=["GET"])
    # The REST API: its own FastAPI app (API keys, JSON errors, OpenAPI at /api/v1/openapi.json). NiceGUI's test reset
    # keeps mounts, so an earlier one is replaced rather than stacked.
    app.routes[:] = [r for r in app.routes if not (isinstance(r, Mount) and r.path == "/api/v1")]
    app.mount("/api/v1", api_app)


async def healthz() -> JSONResponse:
    """200 when the database and the queue both answer, 503 otherwise, with what failed."""
    database = await run.io_bound(_database_ok)
    queue = await run.io_bound(huey_app.ping)
    body = {
        "status": "ok" if database and queue else "degraded",
        "database": "ok" if database else "unavailable",
        "queue": f"ok ({huey_app.backend_name()})" if queue else "unavailable",
    }
    return JSONResponse(body, status_code=200 if database and queue else 503)


def _database_ok() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "unavailable" to a health check
        return False


def _dense_defaults() -> None:
    # Finance staff read dense screens all day: small paddings, no uppercase buttons, outlined fields.
    ui.input.default_props("dense outlined")
    ui.select.default_props("dense outlined options-dense")
    ui.number.default_props("dense outlined")
    ui.textarea.default_props("dense outlined")
    ui.button.default_props("unelevated no-caps")
    ui.table.default_props("dense flat bordered separator=cell")
    ui.checkbox.default_props("dense")
    ui.tabs.default_props("dense")
