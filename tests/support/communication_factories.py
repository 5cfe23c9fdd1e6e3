"""Real receivers for communication tests: an SMTP server (aiosmtpd) and an HTTP server in a thread, both on free
local ports; and invoices due on a chosen day (finalized with an issue date before it)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from domain.access.permissions import Actor
from domain.billing_accounts.model import BillingAccount
from domain.calendar import today_in
from domain.invoices.finalize import finalize_invoice
from domain.invoices.model import Invoice
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import draft


def local_today() -> date:
    return today_in("America/Sao_Paulo")


def invoice_due(actor: Actor, account: BillingAccount, due_on: date, **kw: Any) -> Invoice:
    """An open invoice due on `due_on`, issued ten days before."""
    invoice = draft(actor, account, due_on=due_on, **kw)
    return finalize_invoice(SqlUnitOfWork(actor), invoice_id=invoice.id, issued_on=due_on - timedelta(days=10))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpInbox:
    port: int
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[SmtpInbox]:
    """A real SMTP server on 127.0.0.1 (no TLS) that keeps what it receives."""
    inbox = SmtpInbox(free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    url: str
    statuses: list[int]  # answers in order; the last one repeats
    requests: list[Received] = field(default_factory=list)


@contextmanager
def webhook_server(statuses: list[int] | None = None) -> Iterator[WebhookReceiver]:
    """A real HTTP server in a thread: records every POST and answers with the given status codes in turn."""
    port = free_port()
    receiver = WebhookReceiver(f"http://127.0.0.1:{port}/hooks/fatura", list(statuses or [200]))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            index = min(len(receiver.requests), len(receiver.statuses)) - 1
            status = receiver.statuses[index]
            answer = (f"recebido {status} " + "x" * 2000).encode()  # longer than the 1 KB we keep
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
