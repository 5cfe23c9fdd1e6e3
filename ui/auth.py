"""Sessions: who is signed in, the redirect to /login, and the actor each page acts as."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, run
from starlette.middleware.base import BaseHTTPMiddleware

from domain.access import services as access
from domain.access.permissions import Actor
from persistence.unit_of_work import SqlUnitOfWork

# Paths reachable without a session: sign-in, health, NiceGUI's own assets, and the REST API (it has API keys).
PUBLIC_PREFIXES = ("/login", "/healthz", "/_nicegui", "/api/", "/static/", "/favicon")


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        path = request.url.path
        if not path.startswith(PUBLIC_PREFIXES) and not app.storage.user.get("operator_id"):
            return RedirectResponse(f"/login?redirect_to={quote(path)}")
        return await call_next(request)


def sign_in(actor: Actor, organization_name: str) -> None:
    app.storage.user.update(
        operator_id=str(actor.id), organization_id=str(actor.organization_id), organization_name=organization_name
    )


def sign_out() -> None:
    app.storage.user.clear()


async def current_actor() -> Actor | None:
    """Reloaded on every page: a deactivated operator or a changed role takes effect at once."""
    operator_id = app.storage.user.get("operator_id")
    if not operator_id:
        return None
    return await run.io_bound(_load, uuid.UUID(operator_id))


def _load(operator_id: uuid.UUID) -> Actor | None:
    return access.load_actor(SqlUnitOfWork(Actor.system("sessão")), operator_id=operator_id)
