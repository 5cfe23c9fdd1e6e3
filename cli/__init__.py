"""The command line behind run.py: serve, worker, migrate, create-operator, seed-demo, and what areas add."""
