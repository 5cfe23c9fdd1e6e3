"""`serve` (the default) and `worker`: the app with its embedded queue consumer, or a standalone consumer."""

from __future__ import annotations

import argparse
import logging
import os

from config import Settings, load_settings
from jobs import huey_app
from persistence import database, migrate

log = logging.getLogger("fatura")


def register(commands: argparse._SubParsersAction) -> None:
    serve_cmd = commands.add_parser("serve", help="sobe o app (padrão)")
    serve_cmd.set_defaults(handler=serve)
    worker_cmd = commands.add_parser("worker", help="consumidor Huey avulso (produção com Redis)")
    worker_cmd.add_argument("--workers", type=int, default=int(os.environ.get("FATURA_WORKERS", "4")))
    worker_cmd.set_defaults(handler=worker)
    migrate_cmd = commands.add_parser("migrate", help="aplica as migrações (alembic upgrade head)")
    migrate_cmd.set_defaults(handler=lambda _args: migrate.upgrade(load_settings().database_url))


def prepare(settings: Settings) -> None:
    """Database and queue for this process; the app and the worker share it."""
    database.configure(settings.database_url)
    huey_app.configure(
        redis_url=settings.redis_url,
        sqlite_path=settings.var_dir / "huey.db",
        immediate=settings.huey_immediate,
        name=settings.queue_name,
    )


def serve(_args: argparse.Namespace | None = None) -> int:
    from nicegui import app, ui
    from nicegui.storage import Storage

    from persistence import seed
    from ui.app import setup

    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    prepare(settings)
    migrate.upgrade(settings.database_url)
    if settings.seed_demo:
        created = seed.ensure_demo(settings.database_url)
        if created is not None:
            _print_first_login(created.admin_email, created.admin_password, settings)
    if settings.redis_url:
        Storage.redis_url = settings.redis_url  # NiceGUI user storage shared by every app process
    Storage.path = settings.var_dir / "nicegui"
    if settings.embedded_worker and not settings.huey_immediate:
        consumer = huey_app.start_embedded_consumer()
        app.on_shutdown(lambda: consumer.stop(graceful=True))
    setup()
    ui.run(
        host=settings.host, port=settings.port, title="Fatura", language="pt-BR", favicon="💼",
        storage_secret=settings.storage_secret, reload=False, show=False, show_welcome_message=False,
    )  # fmt: skip
    return 0


def _print_first_login(email: str, password: str, settings: Settings) -> None:
    line = "=" * 64
    print(f"\n{line}\n  Fatura: primeiro acesso (exibido uma única vez)\n"
          f"  URL:    http://{settings.host}:{settings.port}/login\n"
          f"  E-mail: {email}\n  Senha:  {password}\n{line}\n", flush=True)  # fmt: skip


def worker(args: argparse.Namespace) -> int:
    import jobs.tasks  # noqa: F401  (registers every task)

    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    prepare(settings)
    consumer = huey_app.huey.create_consumer(workers=args.workers, worker_type="thread", periodic=True)
    log.info("worker: %s workers on %s", args.workers, huey_app.backend_name())
    consumer.run()
    return 0
