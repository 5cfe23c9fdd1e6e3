"""`export statement --account ID --from DATE --to DATE --format csv|xlsx --out FILE`."""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from datetime import date, datetime
from pathlib import Path

from domain.access.permissions import Actor
from domain.billing_accounts.model import BillingAccount
from domain.errors import NotFound, ValidationFailed
from persistence.unit_of_work import SqlUnitOfWork


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="exportações (extrato de conta)")
    kinds = export.add_subparsers(dest="export_kind", required=True)
    statement = kinds.add_parser("statement", help="extrato de uma conta de faturamento em CSV ou Excel")
    statement.add_argument("--account", required=True, help="id da conta de faturamento")
    statement.add_argument("--from", dest="date_from", help="data inicial (dd/mm/aaaa ou aaaa-mm-dd)")
    statement.add_argument("--to", dest="date_to", help="data final (dd/mm/aaaa ou aaaa-mm-dd)")
    statement.add_argument("--format", choices=("csv", "xlsx"), help="padrão: a extensão de --out")
    statement.add_argument("--out", required=True, help="arquivo de saída")
    statement.set_defaults(handler=export_statement)


def export_statement(args: argparse.Namespace) -> int:
    from cli.admin import _prepare
    from reports import statement_export

    _prepare()
    out = Path(args.out)
    fmt = args.format or out.suffix.lstrip(".").lower()
    if fmt not in statement_export.FORMATS:
        raise ValidationFailed("Informe --format csv ou xlsx (ou use .csv/.xlsx em --out).", field="format")
    date_from, date_to = parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
    if date_from and date_to and date_to < date_from:
        raise ValidationFailed("--to é anterior a --from.", field="date_to")
    account_id = _uuid(args.account)
    with SqlUnitOfWork(Actor.system("cli")) as uow:  # the account tells which organization the export runs in
        account = uow.find(BillingAccount, account_id)
        if account is None:
            raise NotFound("Conta de faturamento", args.account)
        organization_id = account.organization_id
    started = time.perf_counter()
    count = statement_export.export_statement(
        Actor.system("cli", organization_id), account_id, date_from, date_to, fmt, out
    )
    print(
        json.dumps(
            {
                "account": str(account_id),
                "format": fmt,
                "items": count,
                "out": str(out),
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    )
    return 0


def parse_day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationFailed(f"{option}: data inválida {text!r} (use dd/mm/aaaa).", field=option)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        print(f"erro: --account {text!r} não é um id de conta", file=sys.stderr)
        raise SystemExit(2) from None
