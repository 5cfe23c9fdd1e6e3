"""Background work on Huey: the instance and one module of tasks per area."""
