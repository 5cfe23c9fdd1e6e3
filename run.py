"""Fatura's entry point: `python run.py [serve|worker|migrate|create-operator|seed-demo|...]`."""

import sys

from cli.main import main

if __name__ in {"__main__", "__mp_main__"}:
    sys.exit(main())
