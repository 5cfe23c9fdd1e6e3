"""The NiceGUI main file of the `user` fixture: the real app, on the test database, with an in-memory queue."""

import os

from nicegui import ui

from jobs import huey_app
from persistence import database
from ui.app import setup

database.configure(os.environ["FATURA_TEST_DATABASE_URL"])
huey_app.configure(redis_url=None, immediate=True)
setup()
ui.run(storage_secret="test-secret", language="pt-BR", title="Fatura")
