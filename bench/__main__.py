"""`python -m bench` runs every benchmark; `python -m bench seed customers` runs the ones named."""

from __future__ import annotations

import importlib
import sys
import traceback

# NOTE: add each new bench module here, in the order they build on each other
BENCHMARKS = ["seed", "customers", "imports", "segments", "invoices", "billing_run"]


def main(names: list[str]) -> int:
    for name in names or BENCHMARKS:
        if name not in BENCHMARKS:
            print(f"benchmark desconhecido: {name} (conhecidos: {', '.join(BENCHMARKS)})", file=sys.stderr)
            return 2
        try:
            importlib.import_module(f"bench.{name}").run()
        except Exception:  # a broken benchmark is reported and the others still run; exit stays 0 by design
            print(f"{name}.error: 1 count (target ≤ 0 count) MISS", flush=True)
            traceback.print_exc()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
