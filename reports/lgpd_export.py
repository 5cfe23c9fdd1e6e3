"""The titular's export (LGPD art. 18, II and V): one ZIP with their registration data (JSON), their invoices (PDF,
the same documents the invoices area renders) and their statement and payments (CSV, pt-BR Excel-friendly).

A bulk export holds one folder per customer. The ZIP is written to a temporary file and stored as a StoredFile of
the job, so the worker's memory stays flat however many invoices there are.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from domain.access.permissions import Actor
from domain.background_jobs import services as jobs
from domain.lgpd.services import EXPORT_KIND
from persistence import files
from persistence.queries import lgpd as queries
from persistence.queries.statements import iter_statement
from persistence.unit_of_work import SqlUnitOfWork
from persistence.var_files import safe_name
from reports import invoice_pdf, statement_export
from reports.formats import cents_to_decimal

PAYMENT_HEADERS = ["Data", "Fatura", "Tipo", "Forma", "Valor", "Moeda", "Referência"]
README = """Exportação de dados pessoais (LGPD, art. 18)

dados.json        cadastro do cliente, contas de faturamento, usuários do portal, solicitações LGPD e o
                  histórico de alterações (quem e quando)
faturas/          as faturas emitidas, em PDF
extratos/         o extrato de cada conta de faturamento (CSV: ponto e vírgula, datas dd/mm/aaaa)
pagamentos.csv    os pagamentos e estornos recebidos
"""


def build_export(actor: Actor, job_id: uuid.UUID) -> uuid.UUID | None:
    """Run an export job: the ZIP of its customers, stored and attached to the job. None when already done."""
    job = jobs.start_job(SqlUnitOfWork(actor), job_id=job_id)  # type: ignore[arg-type]
    if job is None:
        return None
    customer_ids = [uuid.UUID(c) for c in job.params.get("customer_ids", [])]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, customer_id in enumerate(customer_ids, start=1):
                data = queries.titular_data(actor, customer_id)
                prefix = "" if len(customer_ids) == 1 else f"{_slug(data.document)}-{_slug(data.name)}/"
                write_titular(actor, archive, prefix, data)
                jobs.report_job_progress(SqlUnitOfWork(actor), job_id=job_id, progress=done)  # type: ignore[arg-type]
        name = f"lgpd-{_slug(data.name) if len(customer_ids) == 1 else f'{len(customer_ids)}-clientes'}.zip"
        with SqlUnitOfWork(actor) as uow:
            file_id, relative, target = files.new_path(actor.organization_id, EXPORT_KIND, ".zip")  # type: ignore[arg-type]
            path.replace(target)
            stored = files.register(uow, file_id=file_id, organization_id=actor.organization_id, kind=EXPORT_KIND,  # type: ignore[arg-type]
                                    relative_path=relative, filename=name, content_type="application/zip",
                                    path=target)  # fmt: skip
            for customer_id in customer_ids:
                uow.record_event(action="lgpd.export_generated", entity_type="customer", entity_id=customer_id,
                                 root_id=customer_id, changes={"job_id": str(job_id), "file": name})  # fmt: skip
            uow.commit()
    count = "1 cliente" if len(customer_ids) == 1 else f"{len(customer_ids)} clientes"
    jobs.finish_job(SqlUnitOfWork(actor), job_id=job_id, result_file_id=stored.id, message=f"Exportação de {count}.")  # type: ignore[arg-type]
    return stored.id


def write_titular(actor: Actor, archive: zipfile.ZipFile, prefix: str, data: queries.TitularData) -> None:
    document = {"cliente": data.customer, "contas_de_faturamento": data.accounts, "usuarios_do_portal":
                data.portal_users, "solicitacoes_lgpd": data.erasure_requests, "historico": data.history}  # fmt: skip
    archive.writestr(f"{prefix}LEIA-ME.txt", README)
    archive.writestr(f"{prefix}dados.json", json.dumps(document, ensure_ascii=False, indent=2))
    taken: set[str] = set()
    for invoice_id, number, _status in data.invoices:
        filename, pdf = invoice_pdf.invoice_pdf_bytes(actor, invoice_id)
        archive.writestr(f"{prefix}faturas/{_unique(filename or f'{number}.pdf', taken)}", pdf)
    for account in data.accounts:
        header, rows = iter_statement(actor, uuid.UUID(account["id"]), None, None)
        buffer = io.StringIO()
        buffer.write("\ufeff")
        statement_export.write_csv(header, _export_rows(rows), buffer)
        archive.writestr(f"{prefix}extratos/{_unique(_slug(account['name']) + '.csv', taken)}", buffer.getvalue())
    archive.writestr(f"{prefix}pagamentos.csv", _payments_csv(data.payments))


def _export_rows(rows: Iterable[Any]) -> Iterator[tuple]:
    """Statement rows as the statement export writes them (date, kind, description, amount, balance)."""
    for row in rows:
        yield row if isinstance(row, tuple) else (row.occurred_on, str(row.kind), row.description, row.amount_cents,
                                                  row.balance_cents)  # fmt: skip


def _payments_csv(payments: list[dict]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(PAYMENT_HEADERS)
    for p in payments:
        amount = str(cents_to_decimal(int(p["amount_cents"]), p["currency"])).replace(".", ",")
        day = "/".join(reversed(str(p["paid_on"]).split("-")))
        writer.writerow([day, p.get("invoice_number") or "", p["kind"], p["method"], amount, p["currency"],
                         p.get("reference") or ""])  # fmt: skip
    return buffer.getvalue()


def _slug(text: str) -> str:
    return safe_name(text)[:60]


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        stem, dot, suffix = name.rpartition(".")
        candidate, n = f"{stem}-{n}{dot}{suffix}", n + 1
    taken.add(candidate)
    return candidate
