"""One error body for every refusal: `{"error": {"code", "message", "field"}}`.

Domain refusals (BillingError) carry their HTTP status (`http_status`: 404 not found, 409 conflicts, 422 validation,
403 permission, 401 authentication); their code is sent upper-case (`billing_account_email_in_use` becomes
`BILLING_ACCOUNT_EMAIL_IN_USE`, `MERGE_SELF` stays). Messages are pt-BR like the screens; the API's own messages
(authentication, rate limit, request validation) switch to English when the caller sends `Accept-Language: en`.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.customers.errors import InvalidFields
from domain.errors import BillingError

log = logging.getLogger("fatura.api")

MESSAGES = {
    "VALIDATION_ERROR": ("Valor inválido em {field}: {detail}", "Invalid value in {field}: {detail}"),
    "INVALID_JSON": ("O corpo da requisição não é um JSON válido.", "The request body is not valid JSON."),
    "NOT_FOUND": ("Recurso não encontrado.", "Resource not found."),
    "METHOD_NOT_ALLOWED": ("Método não permitido neste recurso.", "Method not allowed on this resource."),
    "INTERNAL_ERROR": (
        "Erro interno. Tente de novo; se persistir, fale com o suporte.",
        "Internal error. Try again; if it persists, contact support.",
    ),
    "RATE_LIMITED": (
        "Limite de requisições excedido para esta chave. Aguarde {retry_after} s.",
        "Rate limit exceeded for this key. Retry in {retry_after} s.",
    ),
    "INVALID_API_KEY": ("Chave de API inválida ou revogada.", "Invalid or revoked API key."),
    "MISSING_API_KEY": (
        "Informe a chave de API no cabeçalho Authorization: Bearer fat_live_… (ou X-API-Key).",
        "Send the API key in the Authorization: Bearer fat_live_… (or X-API-Key) header.",
    ),
    "IDEMPOTENCY_KEY_INVALID": (
        "Idempotency-Key: de 1 a 255 caracteres visíveis.",
        "Idempotency-Key: 1 to 255 visible characters.",
    ),
}


class ErrorDetail(BaseModel):
    code: str = Field(examples=["BILLING_ACCOUNT_EMAIL_IN_USE"])
    message: str = Field(examples=["O e-mail financeiro@acme.com.br já pertence à conta “Matriz” do cliente “ACME”."])
    field: str | None = Field(default=None, examples=["email"])


class ErrorBody(BaseModel):
    error: ErrorDetail


def _described(text: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": text}


# Documented on every route, so the OpenAPI tells integrators (and schemathesis checks) each answer they may get.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _described("Requisição malformada (JSON inválido, paginação além do limite)"),
    401: _described("Chave ausente, inválida ou revogada"),
    403: _described("O papel da chave não tem a permissão"),
    404: _described("Não encontrado (inclusive linhas de outra organização)"),
    409: _described("Conflito com o estado atual"),
    422: _described("Validação: `field` aponta o campo"),
    429: _described("Limite de requisições excedido (veja Retry-After)"),
}


def english(request: Request) -> bool:
    return request.headers.get("accept-language", "").lower().startswith("en")


def api_message(code: str, request: Request | None, **values: Any) -> str:
    pt, en = MESSAGES[code]
    return (en if request is not None and english(request) else pt).format(**values)


def error_response(
    status: int, code: str, message: str, field: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "field": field}}
    return JSONResponse(body, status_code=status, headers=headers)


def billing_error_response(error: BillingError) -> JSONResponse:
    field = error.field
    if isinstance(error, InvalidFields):
        field = next(iter(error.errors))
    return error_response(error.http_status, error.code.upper(), error.message, field)


def install(app: FastAPI) -> None:
    app.add_exception_handler(BillingError, _billing_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


async def _billing_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, BillingError)
    return billing_error_response(error)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0] if error.errors() else {}
    if first.get("type") == "json_invalid":
        return error_response(400, "INVALID_JSON", api_message("INVALID_JSON", request), "body")
    field = ".".join(str(part) for part in first.get("loc", ()))
    detail = str(first.get("msg", ""))
    return error_response(
        422, "VALIDATION_ERROR", api_message("VALIDATION_ERROR", request, field=field, detail=detail), field
    )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 404:
        return error_response(404, "NOT_FOUND", api_message("NOT_FOUND", request))
    if error.status_code == 405:
        return error_response(405, "METHOD_NOT_ALLOWED", api_message("METHOD_NOT_ALLOWED", request))
    return error_response(error.status_code, "HTTP_ERROR", str(error.detail))


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("API: erro inesperado em %s %s", request.method, request.url.path, exc_info=error)
    return error_response(500, "INTERNAL_ERROR", api_message("INTERNAL_ERROR", request))
