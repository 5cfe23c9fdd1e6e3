"""Fatura's domain: entities, rules and use cases. Imports no other top-level folder."""
