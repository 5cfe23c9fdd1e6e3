"""Parses `python run.py COMMAND ...`; each command lives in its own module and gets the parsed arguments."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import OperationalError

from cli import admin, api_keys, billing, exports, imports, serve
from domain.errors import BillingError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run.py", description="Fatura: back-office de faturamento.")
    commands = parser.add_subparsers(dest="command")
    serve.register(commands)
    admin.register(commands)
    imports.register(commands)
    exports.register(commands)
    api_keys.register(commands)
    billing.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or serve.serve
    try:
        return handler(args) or 0
    except BillingError as refusal:
        print(f"erro: {refusal.message}", file=sys.stderr)
        return 2
    except OperationalError as error:
        print(f"erro: banco de dados indisponível ({error.orig or error})".splitlines()[0], file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
