"""`python run.py worker`: a standalone consumer on Redis executes what the app enqueues (production layout)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

from jobs import huey_app
from jobs.maintenance import ping_queue
from tests.support import databases
from tests.support.live_server import ROOT


def test_a_standalone_worker_consumes_tasks_enqueued_on_redis(tmp_path, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    redis_url = databases.require_redis()
    name = f"fatura-worker-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env.update(DATABASE_URL=sqlite_url, REDIS_URL=redis_url, FATURA_VAR_DIR=str(tmp_path), FATURA_QUEUE_NAME=name)
    worker = subprocess.Popen([sys.executable, "run.py", "worker", "--workers", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        huey_app.configure(redis_url=redis_url, name=name)
        result = ping_queue()
        assert result.get(blocking=True, timeout=30).startswith("20")
    finally:
        worker.terminate()
        output = worker.communicate(timeout=15)[0]
        huey_app.huey.storage.flush_all()
        huey_app.configure(redis_url=None)
    assert "workers on redis" in output
