"""`create-api-key`: an API key for an integration, printed once (only its hash is stored)."""

from __future__ import annotations

import argparse
import sys

from domain.access.permissions import Actor
from domain.api_keys import services as api_keys
from persistence.unit_of_work import SqlUnitOfWork


def register(commands: argparse._SubParsersAction) -> None:
    create = commands.add_parser("create-api-key", help="cria uma chave de API (exibida uma única vez)")
    create.add_argument("--organization", required=True, help="slug da organização")
    create.add_argument("--role", required=True, help="admin, finance_manager, finance_operator, auditor ou outro")
    create.add_argument("--name", default="Integração", help="para reconhecer a chave na lista (ex.: ERP)")
    create.set_defaults(handler=create_api_key)


def create_api_key(args: argparse.Namespace) -> int:
    from cli.admin import _prepare

    _prepare()
    with SqlUnitOfWork(Actor.system("cli")) as uow:
        org_id = uow.organizations.get_by_slug(args.organization).id
    issued = api_keys.create_api_key(SqlUnitOfWork(Actor.system("cli", org_id)), name=args.name, role_name=args.role)
    print(issued.key)
    print(f"chave “{issued.name}” ({issued.role_name}) criada: guarde-a agora, ela não será exibida de novo.",
          file=sys.stderr)  # fmt: skip
    return 0
