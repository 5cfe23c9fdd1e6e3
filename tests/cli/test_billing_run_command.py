"""`python run.py billing-run --date AAAA-MM-DD [--organization SLUG]`: the run's counts as JSON, once per period."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from tests.support.billing_factories import make_account
from tests.support.factories import make_operator, make_organization
from tests.support.live_server import ROOT
from tests.support.subscription_factories import make_plan, subscribe


def run_cli(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST" and not k.startswith("NICEGUI_")}
    env.update(DATABASE_URL=database_url, FATURA_VAR_DIR=str(tmp_path), FATURA_SEED_DEMO="0")
    return subprocess.run([sys.executable, "run.py", "billing-run", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def test_the_command_line_bills_the_due_subscriptions_once_and_prints_the_counts(tmp_path: Path, sqlite_only) -> None:  # type: ignore[no-untyped-def]
    org = make_organization("acme")
    admin = make_operator(org, "admin")
    plan = make_plan(admin, "Básico", "100.00")
    for _ in range(3):
        subscribe(admin, make_account(org), plan, start_on=date(2026, 11, 1))

    first = run_cli(tmp_path, sqlite_only, "--date", "2026-11-01", "--organization", "acme")
    assert first.returncode == 0, first.stderr
    printed = json.loads(first.stdout)
    assert printed.items() >= {"organization": "acme", "run_date": "2026-11-01", "created": 3, "failed": 0}.items()

    again = run_cli(tmp_path, sqlite_only, "--date", "2026-11-01")  # every organization
    assert json.loads(again.stdout.splitlines()[0])["created"] == 0


def test_a_bad_date_or_an_unknown_organization_is_one_clear_line_and_a_non_zero_exit(
    tmp_path: Path, sqlite_only
) -> None:  # type: ignore[no-untyped-def]
    make_organization("acme")
    bad_date = run_cli(tmp_path, sqlite_only, "--date", "01/11/2026")
    assert bad_date.returncode == 2 and bad_date.stderr.strip() == "erro: Data inválida: 01/11/2026 (use AAAA-MM-DD)."
    unknown = run_cli(tmp_path, sqlite_only, "--date", "2026-11-01", "--organization", "nenhuma")
    assert unknown.returncode == 2 and unknown.stderr.startswith("erro: Não encontrado: Organização nenhuma")
