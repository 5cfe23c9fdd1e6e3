"""The NiceGUI main file of the `user` fixture: the real app, on the test database, with an in-memory queue."""

import os

from nicegui import app, ui

from jobs import huey_app
from persistence import database
from ui.app import setup

database.configure(os.environ["FATURA_TEST_DATABASE_URL"])
huey_app.configure(redis_url=None, immediate=True)
# NOTE: this file runs once per test; NiceGUI's reset removes the routes but FastAPI keeps wrapping the app's lifespan
# around each router included again, until the nesting exceeds Python's recursion limit. Start from the first one.
if not hasattr(app, "fatura_base_lifespan"):
    app.fatura_base_lifespan = app.router.lifespan_context  # type: ignore[attr-defined]
app.router.lifespan_context = app.fatura_base_lifespan  # type: ignore[attr-defined]
setup()
ui.run(storage_secret="test-secret", language="pt-BR", title="Fatura")
