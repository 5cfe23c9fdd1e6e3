"""`import FILE --organization SLUG [--dry-run] [--report PATH]`: the Importações screen from the command line.

Prints the counts as one JSON object on stdout and exits 0 when the file was processed (rejected rows included);
a file that cannot be read (encoding, format, missing columns) prints `erro: ...` and exits 2.
"""

from __future__ import annotations

import argparse
import json
import uuid
from pathlib import Path

from domain.access.permissions import Actor
from domain.errors import ValidationFailed
from domain.imports import services as imports
from domain.imports.columns import mapping_from_json
from persistence import var_files
from persistence.queries import imports as queries
from persistence.unit_of_work import SqlUnitOfWork


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("import", help="importa clientes de um CSV ou XLSX")
    command.add_argument("file", help="arquivo .csv ou .xlsx")
    command.add_argument("--organization", required=True, help="slug da organização")
    command.add_argument("--dry-run", action="store_true", help="só valida: não grava nada")
    command.add_argument("--report", help="grava o relatório de erros (.csv ou .xlsx)")
    command.set_defaults(handler=import_file)


def import_file(args: argparse.Namespace) -> int:
    from cli.admin import _prepare
    from jobs.imports import analyze_file, run_import_now
    from reports.spreadsheets import open_table, report_csv, report_xlsx

    _prepare()
    path = Path(args.file)
    if not path.is_file():
        raise ValidationFailed(f"Arquivo não encontrado: {path}.")
    with SqlUnitOfWork(Actor.system("linha de comando")) as uow:
        org_id = uow.organizations.get_by_slug(args.organization).id
    actor = Actor.system("linha de comando", org_id)
    data = path.read_bytes()
    table = open_table(data, path.name)
    result: dict[str, object] = {"file": path.name, "dry_run": bool(args.dry_run)}
    if args.dry_run:
        spec = imports.preview_spec(SqlUnitOfWork(actor), headers=table.headers, mapping=None)
        summary = analyze_file(actor, spec, table)
        counts, headers, problems = summary.counts, list(table.headers), summary.problems
    else:
        run = imports.register_upload(SqlUnitOfWork(actor), file_name=path.name, data=data, table=table,
                                      save=lambda run_id, name, raw: _save(org_id, run_id, name, raw))  # fmt: skip
        imports.start_import(SqlUnitOfWork(actor), run_id=run.id, mapping=mapping_from_json(run.mapping))
        run_import_now(actor, run.id)
        counts = queries.get_run(actor, run.id).counts
        headers, problems = queries.report_problems(actor, run.id)
        result["run_id"] = str(run.id)
    if args.report:
        report = Path(args.report)
        writer = report_xlsx if report.suffix.lower() == ".xlsx" else report_csv
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_bytes(writer(headers, problems))
        result["report"] = str(report)
    print(json.dumps({**counts, **result}, ensure_ascii=False))
    return 0


def _save(organization_id: uuid.UUID, run_id: uuid.UUID, name: str, data: bytes) -> str:
    return var_files.save_bytes(organization_id, "imports", f"{run_id}-{name}", data)
