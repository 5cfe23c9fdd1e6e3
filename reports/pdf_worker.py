"""HTML → PDF in worker processes, for batches (the ZIP of a filtered set): WeasyPrint is CPU-bound and single
threaded, so a batch uses one warm process per core. The parent queries and renders the HTML; workers only lay out.

Workers are plain `python -m reports.pdf_worker` subprocesses talking pickle over their stdin/stdout, not a
multiprocessing pool: `spawn` re-imports the parent's main module, and run.py's NiceGUI guard
(`__name__ in {"__main__", "__mp_main__"}`) would start a second app in every worker; `fork` from the threaded
worker or app process is unsafe. A worker imports WeasyPrint only.
"""

from __future__ import annotations

import gc
import pickle
import queue
import subprocess
import sys
import threading
from concurrent.futures import Future
from typing import Any, BinaryIO

from config import ROOT


def workers_for(count: int) -> int:
    """One process per core for real batches; small ones render inline (starting a worker costs about a second)."""
    import os

    return min(os.cpu_count() or 1, 4) if count >= 40 else 0


class PdfPool:
    """`with PdfPool(css, base, n) as pool: future = pool.submit(html, base)`: callers keep a bounded queue of futures.
    One stylesheet per pool: a batch belongs to one organization, so to one set of colours. n = 0 renders inline."""

    def __init__(self, css_text: str, base_url: str, processes: int) -> None:
        self.css_text, self.base_url, self.processes = css_text, base_url, processes
        self._tasks: queue.Queue[tuple[str, Future[bytes]] | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._children: list[subprocess.Popen[bytes]] = []
        self._renderer: _Renderer | None = None

    def __enter__(self) -> PdfPool:
        if self.processes <= 0:
            self._renderer = _Renderer(self.css_text, self.base_url)
            return self
        for _ in range(self.processes):
            child = subprocess.Popen(
                [sys.executable, "-m", "reports.pdf_worker"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
            _send(child.stdin, (self.css_text, self.base_url))  # type: ignore[arg-type]
            thread = threading.Thread(target=self._serve, args=(child,), daemon=True)
            thread.start()
            self._children.append(child)
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        for _ in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join()
        for child in self._children:
            child.stdin.close()  # type: ignore[union-attr]
            child.wait(timeout=30)

    def submit(self, html: str, base_url: str) -> Future[bytes]:
        """Queue one document; an inline pool renders at once and hands back a finished future."""
        future: Future[bytes] = Future()
        if self._renderer is not None:
            future.set_result(self._renderer.render(html))
        else:
            self._tasks.put((html, future))
        return future

    def _serve(self, child: subprocess.Popen[bytes]) -> None:
        """One thread per worker: take the next document, send it, wait for its PDF (the pipe I/O frees the GIL)."""
        while (task := self._tasks.get()) is not None:
            html, future = task
            try:
                _send(child.stdin, html)  # type: ignore[arg-type]
                result = pickle.load(child.stdout)  # type: ignore[arg-type]
            except Exception as error:  # a dead worker fails its document; the job reports and Huey retries
                future.set_exception(error)
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)


class _Renderer:
    def __init__(self, css_text: str, base_url: str) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()
        self.stylesheet = CSS(string=css_text, font_config=self.fonts, base_url=base_url)
        self.base_url = base_url

    def render(self, html: str) -> bytes:
        from weasyprint import HTML

        return HTML(string=html, base_url=self.base_url).write_pdf(
            stylesheets=[self.stylesheet], font_config=self.fonts
        )


def _send(stream: BinaryIO, value: Any) -> None:
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _main() -> None:
    """The worker: a stylesheet first, then HTML documents until stdin closes; each answer is bytes or the error."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    css_text, base_url = pickle.load(stdin)
    renderer = _Renderer(css_text, base_url)
    # A document leaves thousands of objects in reference cycles (boxes and their styles): the automatic collector
    # ran several times per document and kept re-scanning WeasyPrint's modules and caches, ~17% of the worker's CPU.
    # One full collection after each document frees exactly that document's garbage (memory stays flat), and what
    # lives as long as the worker (modules, stylesheet, font and layout caches) is frozen out of every scan.
    gc.disable()
    warm = False
    while True:
        try:
            html = pickle.load(stdin)
        except EOFError:
            return
        try:
            answer: Any = renderer.render(html)
        except Exception as error:  # sent back to the job, which records it
            answer = RuntimeError(f"{type(error).__name__}: {error}")
        _send(stdout, answer)
        del answer
        gc.collect()
        if not warm:  # the caches are filled by the first document
            gc.freeze()
            warm = True


if __name__ == "__main__":
    _main()
