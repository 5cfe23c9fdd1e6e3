"""Billing accounts: where a customer's invoices go (a branch, a department, a project)."""
