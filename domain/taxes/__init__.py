"""Taxes on service invoices: the withholding (retenções na fonte) rule engine and its versioned rate tables."""
