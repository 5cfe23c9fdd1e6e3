"""`create-organization`, `create-operator`, `seed-demo`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time

from config import load_settings
from domain.access import services as access
from domain.access.permissions import Actor
from domain.organizations import services as organizations
from domain.organizations.model import TaxRegime
from persistence.unit_of_work import SqlUnitOfWork


def register(commands: argparse._SubParsersAction) -> None:
    org = commands.add_parser("create-organization", help="cria uma organização emissora")
    org.add_argument("--slug", required=True)
    org.add_argument("--legal-name", required=True)
    org.add_argument("--cnpj")
    org.add_argument("--regime", default="lucro_presumido", choices=[r.value for r in TaxRegime])
    org.set_defaults(handler=create_organization)

    op = commands.add_parser("create-operator", help="cria um operador (senha pelo stdin ou prompt)")
    op.add_argument("--organization", required=True, help="slug da organização")
    op.add_argument("--email", required=True)
    op.add_argument("--role", required=True, help="admin, finance_manager, finance_operator, auditor ou outro")
    op.add_argument("--name")
    op.set_defaults(handler=create_operator)

    seed = commands.add_parser("seed-demo", help="dados de demonstração (organização 'demo')")
    seed.add_argument("--customers", type=int, default=300, help="quantos clientes (até 1.000.000)")
    seed.add_argument("--organization", default="demo")
    seed.set_defaults(handler=seed_demo)


def _prepare() -> str:
    from cli.serve import prepare
    from persistence import migrate

    settings = load_settings()
    prepare(settings)
    migrate.upgrade(settings.database_url)
    return settings.database_url


def create_organization(args: argparse.Namespace) -> int:
    _prepare()
    org = organizations.create_organization(
        SqlUnitOfWork(Actor.system("cli")), slug=args.slug, legal_name=args.legal_name, cnpj=args.cnpj,
        tax_regime=TaxRegime(args.regime),
    )  # fmt: skip
    print(f"organização criada: {org.slug}")
    return 0


def create_operator(args: argparse.Namespace) -> int:
    _prepare()
    with SqlUnitOfWork(Actor.system("cli")) as uow:
        org_id = uow.organizations.get_by_slug(args.organization).id
    password = _read_password()
    operator = access.create_operator(
        SqlUnitOfWork(Actor.system("cli", org_id)), email=args.email, name=args.name or args.email.split("@")[0],
        role_name=args.role, password=password,
    )  # fmt: skip
    print(f"operador criado: {operator.email} ({args.role})")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Senha: ")
        if getpass.getpass("Repita a senha: ") != first:
            raise SystemExit("erro: as senhas não conferem")
        return first
    return sys.stdin.readline().rstrip("\n")


def seed_demo(args: argparse.Namespace) -> int:
    from persistence import seed

    database_url = _prepare()
    if not 0 <= args.customers <= 1_000_000:
        raise SystemExit("erro: --customers vai de 0 a 1.000.000")
    started = time.perf_counter()
    result = seed.seed_demo(database_url, slug=args.organization, customers=args.customers)
    elapsed = time.perf_counter() - started
    print(json.dumps({"organization": args.organization, "customers": result.customers,
                      "billing_accounts": result.accounts, "seconds": round(elapsed, 2)}))  # fmt: skip
    if result.admin_password:
        print(f"admin: {result.admin_email} senha: {result.admin_password}", file=sys.stderr)
    return 0
