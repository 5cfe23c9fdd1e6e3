"""Downloads: an invoice's PDF, a stored file (the ZIP of a bulk download) and statement exports. Each answers only
to a signed-in operator of the organization that owns the data, with the permission for it."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import FileResponse, StreamingResponse
from nicegui import APIRouter, run
from starlette.background import BackgroundTask

from domain.access.permissions import Actor, Permission
from domain.errors import BillingError, NotFound
from persistence import files
from persistence.queries import files as file_queries
from persistence.queries import statements as statement_queries
from reports import invoice_pdf, statement_export
from ui.auth import current_actor
from ui.components.amounts import parse_day

router = APIRouter()


@router.get("/faturas/{invoice_id}/pdf")
async def invoice_pdf_download(invoice_id: str, inline: int = 0) -> Response:
    actor, refusal = await _allowed(Permission.INVOICES_READ)
    if refusal is not None:
        return refusal
    try:
        filename, data = await run.io_bound(invoice_pdf.invoice_pdf_bytes, actor, _uuid(invoice_id))
    except NotFound:
        return Response("Fatura não encontrada.", status_code=404)
    return Response(data, media_type=invoice_pdf.PDF, headers=_disposition(filename, inline=bool(inline)))


@router.get("/arquivos/{file_id}")
async def stored_file_download(file_id: str) -> Response:
    actor, refusal = await _allowed(None)
    if refusal is not None:
        return refusal
    stored = await run.io_bound(file_queries.stored_file, actor, _uuid(file_id))
    if stored is None or not files.path_of(stored).is_file():
        return Response("Arquivo não encontrado.", status_code=404)  # also another organization's files
    return FileResponse(files.path_of(stored), media_type=stored.content_type, headers=_disposition(stored.filename))


@router.get("/extratos/{account_id}/exportar.{fmt}")
async def statement_download(account_id: str, fmt: str, de: str = "", ate: str = "") -> Response:
    actor, refusal = await _allowed(Permission.EXPORTS_RUN)
    if refusal is not None:
        return refusal
    if fmt not in statement_export.FORMATS:
        return Response("Formato desconhecido.", status_code=404)
    try:
        date_from, date_to = parse_day(de), parse_day(ate)
        header = await run.io_bound(statement_queries.statement_header, actor, _uuid(account_id), date_from, date_to)
    except ValueError:
        return Response("Data inválida: use dd/mm/aaaa.", status_code=400)
    except BillingError as error:
        return Response(error.message, status_code=error.http_status)
    name = f"extrato-{header.account_name[:40]}-{(date_from or 'inicio')}-{(date_to or 'hoje')}.{fmt}"
    if fmt == "csv":
        chunks = statement_export.stream_csv(actor, header.billing_account_id, date_from, date_to)
        return StreamingResponse(chunks, media_type="text/csv; charset=utf-8", headers=_disposition(name))
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    await run.io_bound(
        statement_export.export_statement, actor, header.billing_account_id, date_from, date_to, "xlsx", path
    )
    return FileResponse(
        path,
        headers=_disposition(name),
        background=BackgroundTask(path.unlink, missing_ok=True),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


async def _allowed(permission: Permission | None) -> tuple[Actor, Response | None]:
    actor = await current_actor()
    if actor is None:
        return Actor.system(), Response("Entre novamente.", status_code=401)
    if permission is not None and not actor.can(permission):
        return actor, Response(f"Permissão necessária: {permission.value}.", status_code=403)
    return actor, None


def _disposition(filename: str, *, inline: bool = False) -> dict[str, str]:
    ascii_name = filename.encode("ascii", "ignore").decode() or "arquivo"
    kind = "inline" if inline else "attachment"
    return {"Content-Disposition": f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"}


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.UUID(int=0)
