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
import gc
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
from domain.imports.rows import AcceptedRow, ChunkResult, ValidationSpec, validate_rows
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
    pending: deque[list[_Helper]] = deque()  # per chunk in flight, the helpers that have a part of it
    try:
        helpers = _shared_pool(max(cores, 2))
        # Each chunk is split among all the helpers: a helper holds half a chunk (half the memory), and a chunk is
        # ready as soon as its parts are, so the writing thread waits less. Two chunks in flight keep them busy.
        for rows in chunks:
            part = -(-len(rows) // len(helpers))
            group = []
            for helper, start in zip(helpers, range(0, len(rows), part), strict=False):
                helper.send((spec, target, rows[start : start + part]), len(spec.headers))
                group.append(helper)
            pending.append(group)
            if len(pending) >= 2:
                yield _merged([helper.receive() for helper in pending.popleft()])
        while pending:
            yield _merged([helper.receive() for helper in pending.popleft()])
    finally:
        for group in pending:  # abandoned (the run failed): their answers must not reach the next import
            for helper in group:
                with contextlib.suppress(RuntimeError):
                    helper.receive()
        _in_use.release()


def _merged(parts: list[ChunkResult]) -> ChunkResult:
    """The parts of a chunk, in file order, as if it had been checked whole (rows are checked one by one)."""
    result = parts[0]
    for part in parts[1:]:
        result.accepted += part.accepted
        result.problems += part.problems
        result.rejected += part.rejected
        result.skipped += part.skipped
        result.last_line = part.last_line
    return result


def _with_cells(result: ChunkResult, rows: list[tuple[int, list[str]]], width: int) -> ChunkResult:
    """The helper's answer with each accepted row's original cells put back (for a later duplicate's report line):
    the cells were sent, they need not travel back (half of an answer's bytes)."""
    cells = dict(rows)
    make = AcceptedRow._make  # values is the last field: cheaper than _replace, 100,000 times
    result.accepted = [make((*r[:-1], _padded(cells[r.line], width))) for r in result.accepted]
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
    """One helper process; a thread drains its answers so neither side ever blocks on a full pipe.

    The feeding thread also pickles the chunks: that work then runs while the importing thread waits for the database
    (those waits release the GIL). Answers are unpickled by the importing thread: in the reading threads, their
    strings were allocated in those threads' malloc arenas, which keep freed memory (+10 MB resident)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jobs.import_workers"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.answers: queue.Queue[bytes | None] = queue.Queue()
        self.outbox: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
        self.in_flight: deque[tuple[list[tuple[int, list[str]]], int]] = deque()  # (rows, width), in sending order
        threading.Thread(target=self._drain, name=f"import-helper-{self.process.pid}-out", daemon=True).start()
        threading.Thread(target=self._feed, name=f"import-helper-{self.process.pid}-in", daemon=True).start()

    def send(self, work: tuple[ValidationSpec, RowTarget | None, list[tuple[int, list[str]]]], width: int) -> None:
        """Queue a chunk; a thread writes it, so the caller goes on with the database while the helper is busy."""
        self.in_flight.append((work[2], width))  # before the answer can arrive
        self.outbox.put(work)

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            while (work := self.outbox.get()) is not None:
                payload = pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL)
                del work
                stdin.write(len(payload).to_bytes(_HEADER, "big"))
                stdin.write(payload)
                stdin.flush()
                del payload  # the chunk's bytes are not kept until the next one arrives
            stdin.close()  # the helper ends when its input ends
        except (BrokenPipeError, ValueError):
            pass  # the helper died: receive() reports it

    def receive(self) -> ChunkResult:
        answer = self.answers.get()
        if answer is None:
            raise RuntimeError(f"o processo auxiliar de importação {self.process.pid} terminou inesperadamente")
        rows, width = self.in_flight.popleft()
        status, value = pickle.loads(answer)
        if status != "ok":
            raise RuntimeError(f"falha no processo auxiliar de importação:\n{value}")
        return _with_cells(value, rows, width)

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
    # A chunk allocates ~100 objects per row and keeps few: the automatic collector ran every few rows and re-scanned
    # the imported modules each time (~17% of the helper's CPU). Modules are frozen out of the scans, and one full
    # collection after each chunk frees whatever cycles the chunk left (error tracebacks), so memory stays flat.
    gc.freeze()
    gc.disable()
    while (message := _read_message(stdin)) is not None:
        answer: tuple[str, Any]
        try:
            result = check_chunk(*pickle.loads(message))
            result.accepted = [row._replace(values=()) for row in result.accepted]
            answer = ("ok", result)
        except Exception:  # reported to the parent, which fails the run with it
            answer = ("error", traceback.format_exc())
        del message
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        del answer
        stdout.write(len(payload).to_bytes(_HEADER, "big"))
        stdout.write(payload)  # not concatenated to the header: that would copy megabytes
        stdout.flush()
        del payload
        gc.collect()


if __name__ == "__main__":
    import persistence.models  # noqa: F401  (every mapper configured, as in the parent)

    _serve()
