"""Customers: the registration entity (a person, a company or a foreign party)."""
