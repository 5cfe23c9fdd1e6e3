"""A production-shaped stack for flows that need background jobs: the app (no embedded consumer) and a standalone
`run.py worker`, both on the e2e PostgreSQL database and Redis, with a queue name of their own so no other test
session's tasks are consumed by them."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import databases
from tests.support.live_server import ROOT, LiveServer


@dataclass(frozen=True)
class Stack:
    url: str
    var_dir: Path


def start(e2e_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Body of a module fixture: `yield from live_stack.start(e2e_database, tmp_path_factory)`."""
    var_dir = tmp_path_factory.mktemp("e2e-jobs-var")
    env = {"DATABASE_URL": e2e_database, "REDIS_URL": databases.require_redis(), "FATURA_SEED_DEMO": "0",
           "FATURA_EMBEDDED_WORKER": "0", "FATURA_QUEUE_NAME": f"fatura-e2e-{uuid.uuid4().hex[:8]}",
           "NICEGUI_REDIS_KEY_PREFIX": "fatura-e2e-jobs:", "FATURA_STORAGE_SECRET": uuid.uuid4().hex}  # fmt: skip
    server = LiveServer(env, var_dir)
    worker_env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST" and not k.startswith("NICEGUI_")}
    worker_env.update(env, FATURA_VAR_DIR=str(var_dir))
    log = (var_dir / "worker.log").open("w")
    worker = subprocess.Popen([sys.executable, "run.py", "worker", "--workers", "2"], cwd=ROOT, env=worker_env,
                              stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        server.wait_healthy()
        yield Stack(server.url, var_dir)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
        server.stop()
