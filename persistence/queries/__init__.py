"""Read-only views behind lists, screens and reports: one module per area, scoped like every session."""
