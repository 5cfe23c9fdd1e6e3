"""Checking an import's rows in chunks, in this process or in helper processes on the machine's other cores.

Validation is the registry's, row by row, ~150 µs each: 100,000 rows are 15 s on one core. Large files are checked
by helper processes (`python -m jobs.import_workers`, fresh interpreters: no fork of a threaded app, no re-run of
run.py) while this process writes the previous batch. Chunks come back in file order, so the result is the same as
checking them here. Only strings and small tuples cross the pipes: rows are encoded for the bulk insert in the
helper (persistence/import_rows.py).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
import traceback
from collections import deque
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from config import ROOT
from domain.imports.rows import ChunkResult, ValidationSpec, validate_rows
from domain.imports.table import SourceTable
from persistence.import_rows import RowTarget, encode_rows

PARALLEL_FROM_ROWS = 20_000  # below this, starting helpers costs more than it saves
_SLICE = 500
_HEADER = 8  # bytes of the length prefix of each message
_pool: list[_Helper] | None = None
_pool_lock = threading.Lock()
_in_use = threading.Lock()  # one import at a time talks to the helpers (answers come back in order)


def check_chunk(spec: ValidationSpec, target: RowTarget | None, rows: list[tuple[int, list[str]]]) -> ChunkResult:
    """Validate a chunk; with a target, encode its accepted rows for the insert (None: a preview, nothing to write).

    With a target, rows go through in slices: a slice's drafts (dicts of lists) are dropped once encoded as text,
    so a 5,000-row chunk never holds 5,000 drafts at once."""
    if target is None:
        return validate_rows(spec, rows)
    result = ChunkResult()
    for start in range(0, len(rows), _SLICE):
        part = validate_rows(spec, rows[start : start + _SLICE])
        result.accepted += encode_rows(part.accepted, target)
        result.problems += part.problems
        result.rejected, result.skipped, result.last_line = (result.rejected + part.rejected,
                                                             result.skipped + part.skipped, part.last_line)  # fmt: skip
    return result


def checked_chunks(
    spec: ValidationSpec, table: SourceTable, *, batch_size: int, target: RowTarget | None,
    parallel: bool | None = None,
) -> Iterator[ChunkResult]:  # fmt: skip
    """The file's rows in chunks of `batch_size`, checked, in order."""
    chunks = _chunks(table, batch_size)
    cores = _core_count()
    if parallel is None:
        parallel = cores > 1 and table.estimated_rows >= PARALLEL_FROM_ROWS
    if not parallel:
        for rows in chunks:
            yield check_chunk(spec, target, rows)
        return
    if not _in_use.acquire(blocking=False):  # another import of this process has the helpers: check here
        for rows in chunks:
            yield check_chunk(spec, target, rows)
        return
    pending: deque[tuple[_Helper, list[tuple[int, list[str]]]]] = deque()
    try:
        helpers = _shared_pool(max(cores, 2))
        window = 2 * len(helpers)  # bounded: a huge file is never all in memory at once
        for number, rows in enumerate(chunks):
            helper = helpers[number % len(helpers)]
            helper.send(pickle.dumps((spec, target, rows), protocol=pickle.HIGHEST_PROTOCOL))
            pending.append((helper, rows))
            if len(pending) >= window:
                yield _with_cells(*pending.popleft(), len(spec.headers))
        while pending:
            yield _with_cells(*pending.popleft(), len(spec.headers))
    finally:
        for helper, _rows in pending:  # abandoned (the run failed): their answers must not reach the next import
            with contextlib.suppress(RuntimeError):
                helper.receive()
        _in_use.release()


def _with_cells(helper: _Helper, rows: list[tuple[int, list[str]]], width: int) -> ChunkResult:
    """The helper's answer with each accepted row's original cells put back (for a later duplicate's report line):
    the cells were sent, they need not travel back (half of an answer's bytes)."""
    result = helper.receive()
    cells = dict(rows)
    result.accepted = [r._replace(values=_padded(cells[r.line], width)) for r in result.accepted]
    return result


def _padded(cells: list[str], width: int) -> tuple[str, ...]:
    return tuple(cells) if len(cells) >= width else (*cells, *([""] * (width - len(cells))))


def _chunks(table: SourceTable, size: int) -> Iterator[list[tuple[int, list[str]]]]:
    rows = table.rows()
    while chunk := list(islice(rows, size)):
        yield chunk


def _core_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class _Helper:
    """One helper process; a thread drains its answers so neither side ever blocks on a full pipe."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jobs.import_workers"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.answers: queue.Queue[bytes | None] = queue.Queue()
        self.outbox: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._drain, name=f"import-helper-{self.process.pid}-out", daemon=True).start()
        threading.Thread(target=self._feed, name=f"import-helper-{self.process.pid}-in", daemon=True).start()

    def send(self, payload: bytes) -> None:
        """Queue a chunk; a thread writes it, so the caller goes on with the database while the helper is busy."""
        self.outbox.put(payload)

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            while (payload := self.outbox.get()) is not None:
                stdin.write(len(payload).to_bytes(_HEADER, "big") + payload)
                stdin.flush()
            stdin.close()  # the helper ends when its input ends
        except (BrokenPipeError, ValueError):
            pass  # the helper died: receive() reports it

    def receive(self) -> ChunkResult:
        answer = self.answers.get()
        if answer is None:
            raise RuntimeError(f"o processo auxiliar de importação {self.process.pid} terminou inesperadamente")
        status, value = pickle.loads(answer)
        if status != "ok":
            raise RuntimeError(f"falha no processo auxiliar de importação:\n{value}")
        return value

    def _drain(self) -> None:
        assert self.process.stdout is not None
        while (message := _read_message(self.process.stdout)) is not None:
            self.answers.put(message)
        self.answers.put(None)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.outbox.put(None)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _shared_pool(size: int) -> list[_Helper]:
    """Helpers are started on first use and kept for the next imports of this process (start-up ~0.5 s)."""
    global _pool
    with _pool_lock:
        if _pool is None or not all(h.alive() for h in _pool):
            if _pool is not None:
                for helper in _pool:
                    helper.stop()
            else:
                atexit.register(shutdown_pool)
            _pool = [_Helper() for _ in range(size)]
        return _pool


def shutdown_pool() -> None:
    global _pool
    with _pool_lock:
        for helper in _pool or []:
            helper.stop()
        _pool = None


def worker_peaks_mb() -> list[float]:
    """Peak resident memory of each live helper (Linux VmHWM), for the benchmark."""
    with _pool_lock:
        pids = [h.process.pid for h in _pool or []]
    peaks = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                line = next((line for line in status if line.startswith("VmHWM:")), "VmHWM: 0 kB")
        except OSError:
            continue
        peaks.append(int(line.split()[1]) / 1024)
    return peaks


def _read_message(stream: IO[bytes]) -> bytes | None:
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        return None
    size = int.from_bytes(header, "big")
    message = stream.read(size)
    return message if size and len(message) == size else None  # a cut or empty message ends the conversation


def _serve() -> None:
    """The helper's loop: a chunk in, its result out, until the input closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (message := _read_message(stdin)) is not None:
        answer: tuple[str, Any]
        try:
            result = check_chunk(*pickle.loads(message))
            result.accepted = [row._replace(values=()) for row in result.accepted]
            answer = ("ok", result)
        except Exception:  # reported to the parent, which fails the run with it
            answer = ("error", traceback.format_exc())
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(len(payload).to_bytes(_HEADER, "big") + payload)
        stdout.flush()


if __name__ == "__main__":
    import persistence.models  # noqa: F401  (every mapper configured, as in the parent)

    _serve()
