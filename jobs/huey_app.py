"""The one Huey instance. Storage is chosen at start-up: Redis in production, a SQLite file when embedded."""

from __future__ import annotations

import logging
from pathlib import Path

from huey import Huey
from huey.consumer import Consumer
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

# Tasks bind to this object when their modules are imported; `configure` swaps its storage, never the object.
huey = Huey("fatura", storage_class=MemoryStorage, utc=True)


def configure(
    *, redis_url: str | None, sqlite_path: Path | None = None, immediate: bool = False, name: str = "fatura"
) -> Huey:
    huey.name = name  # Redis keys and the SQLite queue name: tests give each run its own
    if redis_url:
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": redis_url}
    elif sqlite_path is not None:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": str(sqlite_path)}
    else:
        huey.storage_class, huey.storage_kwargs = MemoryStorage, {}
    huey.storage = huey.create_storage()
    huey.immediate = immediate
    return huey


def backend_name() -> str:
    return {RedisStorage: "redis", SqliteStorage: "sqlite", MemoryStorage: "memory"}.get(huey.storage_class, "?")


def ping() -> bool:
    """Whether the queue answers: used by /healthz."""
    try:
        huey.pending_count()
        return True
    except Exception:  # any storage failure means "not healthy", whatever the backend raises
        log.exception("queue health check failed")
        return False


def start_embedded_consumer(workers: int = 2) -> Consumer:
    """Run the consumer in threads inside the app process (the embedded default); no signal handlers there."""
    import jobs.tasks  # noqa: F401  (registers every task)

    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True, check_worker_health=False)
    consumer.start()
    return consumer
