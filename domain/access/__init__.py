"""Operators, roles, permissions and who is acting (the Actor)."""
