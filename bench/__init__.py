"""Benchmarks of heavy operations: `python -m bench [NAME ...]`. Each prints one line per figure."""
