"""`python -m bench` runs every benchmark; `python -m bench seed customers` runs the ones named.

With more than one, each runs in a process of its own: peak-memory figures are a process's lifetime peak, so one
benchmark must not inherit another's."""

from __future__ import annotations

import importlib
import subprocess
import sys
import traceback
from pathlib import Path

# NOTE: add each new bench module here, in the order they build on each other
BENCHMARKS = ["seed", "customers", "imports", "segments", "invoices", "billing_run"]


def main(names: list[str]) -> int:
    names = names or BENCHMARKS
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"benchmark desconhecido: {unknown[0]} (conhecidos: {', '.join(BENCHMARKS)})", file=sys.stderr)
        return 2
    if len(names) > 1:
        for name in names:
            subprocess.run([sys.executable, "-m", "bench", name], check=False, cwd=Path(__file__).resolve().parents[1])
        return 0
    for name in names:
        try:
            importlib.import_module(f"bench.{name}").run()
        except Exception:  # a broken benchmark is reported and the others still run; exit stays 0 by design
            print(f"{name}.error: 1 count (target ≤ 0 count) MISS", flush=True)
            traceback.print_exc()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
