"""`Idempotency-Key` on POST: the first response is stored and replayed for the same key and the same request.

The request is identified by the SHA-256 of method, path (with its query) and body. Same key, same request: the
stored status and body again, with `Idempotent-Replayed: true`. Same key, another request: 422. While the first is
still running: 409. A first attempt that ends in a 5xx frees the key, so the client's retry runs for real.
Records live in the database of the data they protect (persistence/api_access.py) for 24 hours (jobs/api.py).
"""

from __future__ import annotations

import hashlib

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import api_message, error_response
from domain.access.permissions import Actor
from persistence import api_access

MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("content-type", "location")


async def run_once(app: ASGIApp, scope: Scope, receive: Receive, send: Send, actor: Actor, key: str, path: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        message = api_message("IDEMPOTENCY_KEY_INVALID", Request(scope))
        await error_response(400, "IDEMPOTENCY_KEY_INVALID", message, "Idempotency-Key")(scope, receive, send)
        return
    body = await _read_body(receive)
    query = scope.get("query_string", b"").decode("latin-1")
    request_hash = hashlib.sha256(b"\n".join([b"POST", f"{path}?{query}".encode(), body])).hexdigest()
    stored = await run_in_threadpool(api_access.claim, actor, key, request_hash)
    if stored is not None:
        headers = {**stored.headers, "idempotent-replayed": "true"}
        await _send_stored(send, stored.status_code, stored.body.encode(), headers)
        return
    captured: dict = {"status": 500, "headers": {}, "body": []}

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured["status"] = message["status"]
            captured["headers"] = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            captured["body"].append(message.get("body", b""))
        await send(message)

    try:
        await app(scope, _replay(body, receive), capture)
    except BaseException:
        await run_in_threadpool(api_access.release, actor, key)
        raise
    if captured["status"] >= 500:
        await run_in_threadpool(api_access.release, actor, key)
        return
    kept = {k: v for k, v in captured["headers"].items() if k in REPLAYED_HEADERS}
    text = b"".join(captured["body"]).decode("utf-8", errors="replace")
    await run_in_threadpool(api_access.finish, actor, key, captured["status"], text, kept)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_stored(send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
