"""`make run` on an empty var/: SQLite, migrations, the embedded queue, demo data and a first login, printed once."""

from __future__ import annotations

import re

import httpx

from tests.support.live_server import LiveServer


def test_the_run_command_starts_on_an_empty_var_folder_with_demo_data_and_a_printed_login(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = LiveServer({"DATABASE_URL": "", "REDIS_URL": ""}, tmp_path / "var")
    try:
        health = server.wait_healthy()
        assert health.json() == {"status": "ok", "database": "ok", "queue": "ok (sqlite)"}
        printed = server.output()
        email = re.search(r"E-mail: (\S+)", printed).group(1)  # type: ignore[union-attr]
        password = re.search(r"Senha:  (\S+)", printed).group(1)  # type: ignore[union-attr]
        assert email == "admin@demo.fatura.com.br" and len(password) >= 12
        assert (tmp_path / "var" / "fatura.db").exists() and (tmp_path / "var" / "huey.db").exists()
        login_page = httpx.get(f"{server.url}/clientes", follow_redirects=True)
        assert "/login" in str(login_page.url)
    finally:
        server.stop()
    again = LiveServer({"DATABASE_URL": "", "REDIS_URL": ""}, tmp_path / "var")
    try:
        again.wait_healthy()
        assert "Senha:" not in again.output()  # the first login is printed once, never again
    finally:
        again.stop()


def test_cli_errors_are_one_clear_line_and_a_non_zero_exit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    from tests.support.live_server import ROOT

    result = subprocess.run(
        [sys.executable, "run.py", "create-operator", "--organization", "nao-existe", "--email", "a@b.com.br",
         "--role", "admin"],
        cwd=ROOT, env={"FATURA_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, input="senha-forte-123\n",
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.strip() == "erro: Não encontrado: Organização nao-existe."
