"""`python run.py create-api-key --organization SLUG --role ROLE`: prints the key once; it then opens the API, which
answers the README's curl examples on the real app (a live server, real `curl`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import kobana_customer
from tests.support.factories import make_organization
from tests.support.live_server import ROOT, LiveServer


def run_cli(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST" and not k.startswith("NICEGUI_")}
    env.update(DATABASE_URL=database_url, FATURA_VAR_DIR=str(tmp_path), FATURA_SEED_DEMO="0")
    return subprocess.run(
        [sys.executable, "run.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def curl(*args: str) -> tuple[int, dict]:
    done = subprocess.run(["curl", "-s", "-w", "\n%{http_code}", *args], capture_output=True, text=True, timeout=30)
    body, _, status = done.stdout.rpartition("\n")
    return int(status), json.loads(body) if body.strip() else {}


def test_the_key_is_printed_once_and_an_unknown_role_is_refused(tmp_path: Path, sqlite_only: str) -> None:
    make_organization("acme")
    created = run_cli(
        tmp_path, sqlite_only, "create-api-key", "--organization", "acme", "--role", "finance_operator", "--name", "ERP"
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip().startswith("fat_live_") and "não será exibida de novo" in created.stderr
    refused = run_cli(tmp_path, sqlite_only, "create-api-key", "--organization", "acme", "--role", "rei")
    assert refused.returncode == 2 and "Papel desconhecido: rei." in refused.stderr


def test_the_readme_curl_examples_work_against_the_running_app(tmp_path: Path, sqlite_only: str) -> None:
    if shutil.which("curl") is None:  # make test installs it; without it the README's examples are untested
        pytest.fail("curl não está instalado (make test o instala: apt-get install curl).")
    make_organization("acme")
    key = run_cli(tmp_path, sqlite_only, "create-api-key", "--organization", "acme", "--role", "admin").stdout.strip()
    server = LiveServer(
        {"DATABASE_URL": sqlite_only, "FATURA_SEED_DEMO": "0", "FATURA_HUEY_IMMEDIATE": "1"}, tmp_path / "live"
    )
    try:
        server.wait_healthy()
        api, auth = f"{server.url}/api/v1", ["-H", f"Authorization: Bearer {key}"]
        json_body = ["-H", "Content-Type: application/json"]
        status, customer = curl(
            "-X",
            "POST",
            f"{api}/customers",
            *auth,
            *json_body,
            "-H",
            "Idempotency-Key: k1",
            "-d",
            json.dumps(README_CUSTOMER),
        )
        assert status == 201, customer
        account_id = customer["billing_accounts"][0]["id"]
        status, page = curl(f"{api}/billing-accounts?filter[status]=active&page[size]=10", "-g", *auth)
        assert status == 200 and page["meta"]["total_items"] == 1 and page["data"][0]["id"] == account_id
        status, invoice = curl(
            "-X",
            "POST",
            f"{api}/invoices",
            *auth,
            *json_body,
            "-H",
            "Idempotency-Key: k2",
            "-d",
            json.dumps({**README_INVOICE, "billing_account_id": account_id}),
        )
        assert status == 201, invoice
        status, opened = curl("-X", "POST", f"{api}/invoices/{invoice['id']}/finalize", *auth)
        assert status == 200 and opened["status"] == "open", opened
        status, paid = curl(
            "-X", "POST", f"{api}/invoices/{invoice['id']}/pay", *auth, *json_body, "-d", '{"method": "pix"}'
        )
        assert status == 200 and paid["invoice"]["status"] == "paid", paid
        status, merge = curl(
            "-X",
            "POST",
            f"{api}/customers/merge",
            *auth,
            *json_body,
            "-d",
            json.dumps(
                {"source_customer_id": customer["id"], "target_customer_id": customer["id"], "strategy": "PREVIEW"}
            ),
        )
        assert status == 422 and merge["error"]["code"] == "MERGE_SELF"
        status, spec = curl(f"{api}/openapi.json")
        assert status == 200 and spec["info"]["title"] == "Fatura API"
        status, refused = curl(f"{api}/customers")
        assert status == 401 and refused["error"]["code"] == "MISSING_API_KEY"
    finally:
        server.stop()


# NOTE: the same bodies as the README's "API" section.
README_CUSTOMER = kobana_customer()
README_INVOICE = {
    "due_date": "2099-06-30",
    "collection_method": "manual_charge",
    "line_items": [
        {
            "description": "Consultoria sob demanda — junho/2026",
            "quantity": 8,
            "unit_amount_cents": 25000,
            "service_item_id": "svc_consultoria",
        }
    ],
}
