"""The gate every API call goes through: the key (Bearer or X-API-Key), the rate limit, idempotency of POSTs and
one access-log line per call.

What "every call audited with the key" means here: every change runs as the key's actor, so the unit of work writes
its audit events ("API: <name>", the key's id) in the same transaction as the change; reads write no audit rows
(a row per GET would outgrow the data it audits) but leave the key's `last_used_at` (at most one UPDATE a minute)
and a structured log line with the key prefix, method, path, status and duration.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import idempotency, rate_limit
from api.errors import api_message, billing_error_response, error_response
from domain.access.permissions import Actor
from domain.errors import BillingError
from persistence import api_access

log = logging.getLogger("fatura.api")
PUBLIC_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}

# Declared for the OpenAPI document and the docs page's "Authorize" button; ApiGate does the checking.
bearer = HTTPBearer(auto_error=False, bearerFormat="fat_live_…", description="Authorization: Bearer fat_live_…")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Alternativa ao Bearer")


def current_actor(
    request: Request,
    _bearer: HTTPAuthorizationCredentials | None = Security(bearer),
    _header: str | None = Security(api_key_header),
) -> Actor:
    """The key's actor, put there by ApiGate (routes never run without one)."""
    return request.state.actor


def presented_key(headers: dict[str, str]) -> str | None:
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return headers.get("x-api-key", "").strip() or None


class ApiGate:
    """Pure ASGI (not BaseHTTPMiddleware): it reads the body once for the idempotency hash and replays it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = route_path(scope)
        if path in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request = Request(scope)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        status: dict[str, Any] = {"code": 0, "key": "-"}

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self._gate(scope, receive, logged_send, request, headers, path, status)
        finally:
            log.info(
                "api %s %s %s %s %.1fms",
                status["key"],
                scope["method"],
                path,
                status["code"],
                (time.perf_counter() - started) * 1000,
            )

    async def _gate(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request,
        headers: dict[str, str],
        path: str,
        status: dict[str, Any],
    ) -> None:
        key = presented_key(headers)
        if key is None:
            await error_response(
                401, "MISSING_API_KEY", api_message("MISSING_API_KEY", request), headers={"WWW-Authenticate": "Bearer"}
            )(scope, receive, send)
            return
        actor = await run_in_threadpool(api_access.authenticate, key)
        if actor is None:
            await error_response(
                401, "INVALID_API_KEY", api_message("INVALID_API_KEY", request), headers={"WWW-Authenticate": "Bearer"}
            )(scope, receive, send)
            return
        status["key"] = key[:19]
        decision = await run_in_threadpool(rate_limit.limiter().take, str(actor.id))
        if not decision.allowed:
            message = api_message("RATE_LIMITED", request, retry_after=decision.retry_after)
            response = error_response(429, "RATE_LIMITED", message, headers={"Retry-After": str(decision.retry_after)})
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["actor"] = actor
        idempotency_key = headers.get("idempotency-key")
        if scope["method"] != "POST" or idempotency_key is None:
            await self.app(scope, receive, send)
            return
        try:
            await idempotency.run_once(self.app, scope, receive, send, actor, idempotency_key.strip(), path)
        except BillingError as refusal:
            await billing_error_response(refusal)(scope, receive, send)


def route_path(scope: Scope) -> str:
    """The path inside the API (/customers), whether it is mounted at /api/v1 or served alone (tests, schemathesis)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
