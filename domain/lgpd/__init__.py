"""LGPD: the data subject's export and erasure (anonymization that keeps the fiscal record)."""
