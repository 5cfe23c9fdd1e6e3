"""`billing-run --date AAAA-MM-DD [--organization SLUG]`: the daily billing run from the command line, in this process
(not through the queue). Prints one JSON object per organization with the run's counts; exit 0 even with failed
subscriptions (they are recorded and retried), 2 on a refusal (an unknown organization)."""

from __future__ import annotations

import argparse
import json
from datetime import date

from sqlalchemy import select

from domain.access.permissions import Actor
from domain.errors import ValidationFailed
from domain.organizations.model import Organization
from persistence.unit_of_work import SqlUnitOfWork


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("billing-run", help="executa o faturamento das assinaturas vencidas")
    command.add_argument("--date", help="data do faturamento (AAAA-MM-DD); padrão: hoje no fuso da organização")
    command.add_argument("--organization", help="slug da organização; padrão: todas")
    command.set_defaults(handler=billing_run)


def billing_run(args: argparse.Namespace) -> int:
    from cli.admin import _prepare
    from jobs.billing import bill_organization

    _prepare()
    run_date = _date(args.date)
    with SqlUnitOfWork(Actor.system("linha de comando")) as uow:
        if args.organization:
            orgs = [(uow.organizations.get_by_slug(args.organization).id, args.organization)]
        else:
            orgs = list(uow.session.execute(select(Organization.id, Organization.slug).order_by(Organization.slug)))
    for org_id, slug in orgs:
        result = bill_organization(org_id, run_date, "cli")
        print(json.dumps({"organization": slug, **result}, ensure_ascii=False), flush=True)
    return 0


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"Data inválida: {text} (use AAAA-MM-DD).", field="date") from None
