"""Bulk import of customers (and their billing accounts) from CSV and Excel files."""
